"""Trains the cancer-type model (benign / AC / SCC) on LDFC nodule-centred crops: patient-grouped k-fold CV with
patient-bootstrap CIs against the majority rule, temperature scaling on the out-of-fold logits, a final model on all
patients, ONNX export, manifest and model card. When CV does not beat chance the manifest says so and the app shows
a notice instead of the probabilities.

  /usr/bin/python3 -m pulmo_train.train_cancer_type --data ../shared/data/ldfc/BMP_classification/train \\
      --boxes ../shared/data/ldfc/BMP_classification/all_anno_3D.csv --out resources/models/pulmo-cancer-type
"""
import argparse
import json
import os
import time

import numpy as np
import torch

from . import common as C
from .data_ldfc import CLASSES, samples
from .export import export_model
from .features import FeatureLR, RadialFeatures, feature_matrix, fit_lr
from .model_card import write_card

SPEC = {"layout": "NCHW", "size": [64, 64], "spacingMm": None, "windowHU": [-1200, 600], "normalizeTo": [0, 1],
        "quantizeLevels": 256, "interpolation": "nearest"}
RADII = (2, 3, 4, 6, 8, 11, 15, 20, 26, 31)  # native pixels (~0.6-0.9 mm)
THRESHOLDS_HU = (-800, -600, -400, -200, 0, 100, 300)
NOTICE = "Cancer type not shown: this model is no better than chance in patient-grouped cross-validation on LDFC (see its model card)."


def fit(kind, x, y, seed, epochs):
    if kind == "features":
        feats = RadialFeatures(SPEC["size"], RADII, THRESHOLDS_HU)
        return FeatureLR(feats, *fit_lr(feature_matrix(feats, x), y, c=0.1, class_weight="balanced", seed=seed)).eval()
    counts = np.bincount(y, minlength=3)
    return C.train_net(x, y, 3, epochs, seed, weights=list(len(y) / (3 * np.maximum(counts, 1))))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="folder with class folders 0, 1, 2 of 8-bit slices")
    ap.add_argument("--boxes", default=None, help="all_anno_3D.csv (optional): nodule boxes where the names match")
    ap.add_argument("--out", required=True)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=None, help="first N images per class (smoke runs)")
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--id", default="pulmo-cancer-type")
    ap.add_argument("--model", choices=["features", "cnn"], default="features")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    t0 = time.time()
    d = samples(a.data, SPEC, a.boxes, a.limit)
    y, g = d["label"], list(d["patient"])
    how = {h: int((d["how"] == h).sum()) for h in ("box", "locator", "centre")}
    print(f"{len(y)} slices, {len(set(g))} patients, classes {np.bincount(y, minlength=3).tolist()}, located by {how}", flush=True)
    folds = C.grouped_folds(g, a.folds, a.seed, y)
    oof = np.zeros((len(y), 3))
    for f, test in enumerate(folds):
        train = np.setdiff1d(np.arange(len(y)), test)
        oof[test] = C.logits_of(fit(a.model, d["x"][train], y[train], a.seed + f, a.epochs), d["x"][test], tta=False)
    t = C.fit_temperature(oof, y)
    pred = oof.argmax(1)
    majority = int(np.bincount(y, minlength=3).argmax())
    metrics = {
        "acc": lambda i: float((pred[i] == y[i]).mean()),
        "qwk": lambda i: C.qwk(y[i], pred[i], 3),
        "majorityAcc": lambda i: float((y[i] == majority).mean()),
        **{f"recall{c}": (lambda i, k=k: float((pred[i][y[i] == k] == k).mean()) if (y[i] == k).any() else float("nan")) for k, c in enumerate(CLASSES)},
    }
    allidx = np.arange(len(y))
    cv = {k: {"mean": round(f(allidx), 4), "ci95": [round(v, 4) for v in C.patient_bootstrap(f, g)]} for k, f in metrics.items()}
    # Better than chance only when both intervals clear the baselines: ACC above the majority rule, QWK above 0.
    diff = C.patient_bootstrap(lambda i: metrics["acc"](i) - metrics["majorityAcc"](i), g)
    better = bool(diff[0] > 0 and cv["qwk"]["ci95"][0] > 0)
    cv["accMinusMajority"] = {"mean": round(cv["acc"]["mean"] - cv["majorityAcc"]["mean"], 4), "ci95": [round(v, 4) for v in diff]}
    conf = np.zeros((3, 3), int)
    for a_, b_ in zip(y, pred):
        conf[a_, b_] += 1
    print("CV: " + ", ".join(f"{k} {v['mean']:.3f} [{v['ci95'][0]:.3f}, {v['ci95'][1]:.3f}]" for k, v in cv.items())
          + f"; confusion {conf.tolist()}; better than chance: {better}", flush=True)

    final = fit(a.model, d["x"], y, a.seed, a.epochs)
    n_pat = len(set(g))
    manifest = {
        "id": a.id, "version": a.version, "task": "classification", "classes": list(CLASSES),
        "name": f"Pulmo cancer type ({'radial density features + logistic regression' if a.model == 'features' else '2D CNN'} on a 64 x 64 crop of the LDFC slice around the nodule)",
        "license": "Model: part of Pulmo. Trained on the LDFC dataset (CC BY, doi:10.5281/zenodo.8422229; Jian et al., Sci Data 2024)",
        "intendedUse": "Research use only, not a medical device. Benign / adenocarcinoma / squamous cell carcinoma probabilities for a detected nodule; shown only where patient-grouped validation beats chance.",
        "description": f"Softmax over benign, AC, SCC (histopathology labels of LDFC); temperature {t:.3f}.",
        "training": {
            "data": f"LDFC BMP_classification train split: {len(y)} slices from {n_pat} patients ({', '.join(f'{c} {n}' for c, n in zip(CLASSES, np.bincount(y, minlength=3)))}), nodule located by the box table ({how['box']}) or the 2D locator ({how['locator']})",
            "validation": f"{a.folds}-fold cross-validation grouped by patient; slice-level figures, 95 % CI by patient bootstrap (1000 resamples); baseline: the majority class (AC)",
            "cv": cv,
            "betterThanChance": better,
            **({} if better else {"notice": NOTICE}),
        },
    }
    full = export_model(final, t, SPEC, manifest, a.out)
    extra = {"temperature": t, "seconds": round(time.time() - t0), "epochs": a.epochs, "folds": a.folds, "seed": a.seed,
             "model": a.model, "slices": int(len(y)), "patients": n_pat, "located": how, "confusion": conf.tolist()}
    table = "## Out-of-fold confusion (rows: truth, columns: predicted)\n\n| | benign | AC | SCC |\n|---|---|---|---|\n" + "\n".join(
        f"| {CLASSES[i]} | " + " | ".join(str(v) for v in conf[i]) + " |" for i in range(3)) + "\n"
    agree = _locator_agreement(a.data, a.boxes, d)
    extra["locatorAgreement"] = agree
    table += (f"\n## Locating the nodule\n\nWhere a slice's name is in all_anno_3D.csv and its box holds soft tissue (mean > -500 HU; "
              f"{how['box']} slices), the box centre is used; elsewhere the 2D locator (training/pulmo_train/locate2d.py). On those "
              f"{agree[1]} boxed slices the locator's best candidate lies in the box (4 px margin) on {agree[0]}: it often picks another "
              f"blob, so many of the {how['locator']} located crops may miss the nodule. This, more than the classifier, limits the model.\n")
    write_card(a.out, full, extra, "cancer-type", table)
    with open(os.path.join(a.out, "cv.json"), "w") as f:
        json.dump({"cv": cv, **extra}, f, indent=2)
    print(f"wrote {a.out} in {time.time() - t0:.0f} s", flush=True)


def _locator_agreement(root, boxes_csv, d):
    """(hits, n): how often the locator's top candidate falls in the table's box on the slices located by the box."""
    from .data_ldfc import read_boxes, read_slice
    from .locate2d import candidates
    boxes = read_boxes(boxes_csv)
    hits = n = 0
    for name, lab, how in zip(d["name"], d["label"], d["how"]):
        if how != "box":
            continue
        c = candidates(read_slice(os.path.join(root, str(lab), name)), top=1)
        r = boxes[name][0][3]
        n += 1
        if c and int(r["x_min"]) - 4 <= c[0][0] <= int(r["x_max"]) + 4 and int(r["y_min"]) - 4 <= c[0][1] <= int(r["y_max"]) + 4:
            hits += 1
    return hits, n


if __name__ == "__main__":
    main()
