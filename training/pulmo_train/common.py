"""Shared training machinery: seeds, a small 2D CNN, the training loop with flip/rotate augmentation, patient-grouped
k-fold cross-validation, patient-bootstrap confidence intervals, temperature scaling and metrics."""
import random

import numpy as np
import torch
from torch import nn


def seed_all(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


class SmallCNN(nn.Module):
    """Three conv stages (two 3x3 convs each, batch norm, ReLU, 2x2 max pool), global average pool, linear head.
    ~0.1 M parameters: trains in minutes on two CPU cores and fits a < 1 MB ONNX file."""

    def __init__(self, classes, width=16, dropout=0.3):
        super().__init__()
        layers, cin = [], 1
        for w in (width, width * 2, width * 4):
            layers += [nn.Conv2d(cin, w, 3, padding=1), nn.BatchNorm2d(w), nn.ReLU(inplace=True),
                       nn.Conv2d(w, w, 3, padding=1), nn.BatchNorm2d(w), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
            cin = w
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(cin, classes))

    def forward(self, x):
        return self.head(self.features(x).mean(dim=(2, 3)))


class Calibrated(nn.Module):
    """The exported graph: logits divided by the temperature fitted on out-of-fold predictions."""

    def __init__(self, net, temperature):
        super().__init__()
        self.net = net
        self.register_buffer("t", torch.tensor(float(temperature)))

    def forward(self, x):
        return self.net(x) / self.t


def augment(x, rng):
    """Random flips and 90-degree rotations of a [N, 1, H, W] batch (orientation-free nodule appearance; also makes
    the model indifferent to the LPS/RAS flip between NIfTI crops and DICOM volumes)."""
    x = x.clone()
    for n in range(x.shape[0]):
        if rng.random() < 0.5:
            x[n] = torch.flip(x[n], dims=[2])
        if rng.random() < 0.5:
            x[n] = torch.flip(x[n], dims=[1])
        x[n] = torch.rot90(x[n], int(rng.integers(4)), dims=[1, 2])
    return x


def train_net(x, y, classes, epochs, seed, weights=None, init=None, lr=2e-3, batch=64, log=None):
    """Trains a SmallCNN on float32 inputs x [N, 1, H, W] and integer labels y; class-weighted cross entropy."""
    seed_all(seed)
    net = SmallCNN(classes)
    if init is not None:
        own = net.state_dict()
        own.update({k: v for k, v in init.items() if k in own and own[k].shape == v.shape})
        net.load_state_dict(own)
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=max(1, epochs * ((len(x) + batch - 1) // batch)))
    lossf = nn.CrossEntropyLoss(weight=None if weights is None else torch.tensor(weights, dtype=torch.float32))
    rng = np.random.default_rng(seed)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y.astype(np.int64))
    for ep in range(epochs):
        net.train()
        order = rng.permutation(len(x))
        total = 0.0
        for b in range(0, len(order), batch):
            idx = order[b:b + batch]
            if len(idx) < 2:
                continue
            opt.zero_grad()
            loss = lossf(net(augment(xt[idx], rng)), yt[idx])
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
        if log:
            log(f"  epoch {ep + 1}/{epochs} loss {total / len(x):.4f}")
    net.eval()
    return net


@torch.no_grad()
def logits_of(net, x, tta=True):
    """Logits, averaged over the 8 flips/rotations when tta (the exported model does not do this: tta=False
    for anything reported as the shipped model's figure)."""
    xt = torch.from_numpy(x)
    if not tta:
        return net(xt).numpy()
    outs = []
    for k in range(4):
        r = torch.rot90(xt, k, dims=[2, 3])
        outs += [net(r), net(torch.flip(r, dims=[3]))]
    return torch.stack(outs).mean(0).numpy()


def grouped_folds(groups, k, seed, labels=None):
    """k folds of sample indices such that no patient is in two folds; patients shuffled with the seed and dealt
    round-robin per majority label so folds keep similar class mixes."""
    rng = np.random.default_rng(seed)
    pats = sorted(set(groups))
    lab = {}
    if labels is not None:
        for g, l in zip(groups, labels):
            lab.setdefault(g, []).append(l)
    keyed = sorted(pats, key=lambda p: (np.bincount(lab[p]).argmax() if labels is not None else 0, rng.random()))
    fold_of = {p: i % k for i, p in enumerate(keyed)}
    return [np.array([n for n, g in enumerate(groups) if fold_of[g] == f]) for f in range(k)]


def softmax(z, t=1.0):
    z = z / t
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(logits, y):
    """Temperature minimising the negative log-likelihood (Guo et al. 2017), by a 1-D grid then refinement."""
    def nll(t):
        p = softmax(logits, t)
        return -np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, 1)))
    grid = np.exp(np.linspace(np.log(0.25), np.log(8), 200))
    best = grid[np.argmin([nll(t) for t in grid])]
    fine = np.linspace(best * 0.9, best * 1.1, 101)
    return float(fine[np.argmin([nll(t) for t in fine])])


def roc_auc(y, s):
    """Mann-Whitney AUC with ties counted half."""
    y = np.asarray(y)
    s = np.asarray(s, float)
    pos, neg = s[y == 1], s[y == 0]
    if len(pos) == 0 or len(neg) == 0:
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    allv = np.concatenate([pos, neg])[order]
    ranks = np.empty(len(allv))
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[i:j + 1] = (i + j) / 2 + 1
        i = j + 1
    r = np.empty(len(allv))
    r[order] = ranks
    return float((r[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def brier(y, p):
    return float(np.mean((np.asarray(p) - np.asarray(y)) ** 2))


def ece(y, p, bins=10):
    """Expected calibration error of P(malignant), equal-width bins (the last bin includes 1)."""
    y, p = np.asarray(y), np.asarray(p)
    b = np.minimum((p * bins).astype(int), bins - 1)
    return float(sum(abs(p[b == i].mean() - y[b == i].mean()) * (b == i).sum() for i in range(bins) if (b == i).any()) / len(y))


def qwk(y, pred, k):
    o = np.zeros((k, k))
    for a, b in zip(y, pred):
        o[a, b] += 1
    w = np.array([[(i - j) ** 2 / (k - 1) ** 2 for j in range(k)] for i in range(k)])
    e = np.outer(o.sum(1), o.sum(0)) / o.sum()
    den = (w * e).sum()
    return float(1 - (w * o).sum() / den) if den else 1.0


def patient_bootstrap(metric, groups, n=1000, seed=0):
    """Mean and 95 % percentile interval of metric(indices) over bootstrap resamples of patients (not samples:
    slices and nodules of one patient are correlated)."""
    rng = np.random.default_rng(seed)
    pats = sorted(set(groups))
    by = {p: [] for p in pats}
    for i, g in enumerate(groups):
        by[g].append(i)
    vals = []
    for _ in range(n):
        pick = rng.choice(len(pats), len(pats), replace=True)
        idx = np.concatenate([by[pats[i]] for i in pick])
        v = metric(idx)
        if np.isfinite(v):
            vals.append(v)
    return float(np.percentile(vals, 2.5)), float(np.percentile(vals, 97.5))
