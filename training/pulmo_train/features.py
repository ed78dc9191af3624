"""Hand-made, rotation-invariant nodule features computed INSIDE the exported graph (so the app feeds the same
patch it would feed a CNN and no feature code is duplicated in TypeScript), followed by logistic regression.

Features of an axial patch (values in [0, 1] = HU window): for central disks of several radii, the fraction of
pixels denser than several HU thresholds (size and solidity of what sits at the centre), the mean HU of the smaller
disks, and the fraction of soft tissue in rings around them (vessels, pleura, spiculation)."""
import numpy as np
import torch
from torch import nn


class RadialFeatures(nn.Module):
    def __init__(self, size, radii, thresholds_hu=(-700, -400, -100, 100), window_hu=(-1200, 600)):
        super().__init__()
        h, w = size
        yy, xx = np.mgrid[0:h, 0:w]
        dist = np.hypot(yy - (h - 1) / 2, xx - (w - 1) / 2)
        disks = np.stack([(dist <= r).astype(np.float32) for r in radii])
        rings = np.stack([((dist > a) & (dist <= b)).astype(np.float32) for a, b in zip(radii[:-1], radii[1:])])
        self.register_buffer("disks", torch.from_numpy(disks)[None])  # [1, R, H, W]
        self.register_buffer("rings", torch.from_numpy(rings)[None])
        lo, hi = window_hu
        self.register_buffer("thr", torch.tensor([(t - lo) / (hi - lo) for t in thresholds_hu], dtype=torch.float32))
        self.scale = float(hi - lo)
        self.offset = float(lo)
        self.n_mean = min(3, len(radii))

    def forward(self, x):  # x [N, 1, H, W]
        feats = []
        area_d = self.disks.sum(dim=(2, 3))
        area_r = self.rings.sum(dim=(2, 3))
        for t in range(self.thr.shape[0]):
            above = (x > self.thr[t]).float()
            feats.append((above * self.disks).sum(dim=(2, 3)) / area_d)
        hu = x * self.scale + self.offset
        feats.append((hu * self.disks[:, : self.n_mean]).sum(dim=(2, 3)) / area_d[:, : self.n_mean] / 1000.0)
        soft = (x > self.thr[1]).float()
        feats.append((soft * self.rings).sum(dim=(2, 3)) / area_r)
        return torch.cat(feats, dim=1)


class FeatureLR(nn.Module):
    """features -> standardise -> linear -> logits. Two classes: logits [0, z] (softmax = sigmoid(z))."""

    def __init__(self, features, mean, std, coef, intercept):
        super().__init__()
        self.features = features
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32))
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32))
        coef = np.atleast_2d(coef)
        intercept = np.atleast_1d(intercept)
        if coef.shape[0] == 1:  # binary: logits [0, z]
            coef = np.vstack([np.zeros_like(coef), coef])
            intercept = np.concatenate([[0.0], intercept])
        self.register_buffer("w", torch.tensor(coef.T, dtype=torch.float32))
        self.register_buffer("b", torch.tensor(intercept, dtype=torch.float32))

    def forward(self, x):
        f = (self.features(x) - self.mean) / self.std
        return f @ self.w + self.b


@torch.no_grad()
def feature_matrix(features, x, batch=512):
    return np.concatenate([features(torch.from_numpy(x[i:i + batch])).numpy() for i in range(0, len(x), batch)])


def fit_lr(f, y, c=1.0, class_weight="balanced", seed=0):
    """Standardised L2 logistic regression (multinomial for 3 classes). Returns (mean, std, coef, intercept)."""
    from sklearn.linear_model import LogisticRegression
    mean = f.mean(axis=0)
    std = f.std(axis=0) + 1e-6
    lr = LogisticRegression(C=c, class_weight=class_weight, max_iter=2000, random_state=seed)
    lr.fit((f - mean) / std, y)
    return mean, std, lr.coef_, lr.intercept_
