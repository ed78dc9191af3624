"""LIDC-IDRI nodule VOIs (../shared/data/lidc-vois): HU crops at native spacing with masks and reader ratings.
Each nodule gives axial 2D model inputs built by preprocess.model_input around its mask centroid, on the slice
through the centroid and (for training) its neighbours inside the nodule. Splits are by patient, never by nodule."""
import csv
import hashlib
import json
import os

import nibabel as nib
import numpy as np

from .preprocess import model_input


def read_table(root):
    with open(os.path.join(root, "nodules.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise ValueError(f"{root}/nodules.csv: no rows")
    for col in ("file", "patient_id", "Diagnosis"):
        if col not in rows[0]:
            raise ValueError(f"{root}/nodules.csv: no column {col!r}")
    return rows


def load_voi(root, name):
    """(volume [k, j, i] HU float64, spacing (si, sj, sk) mm, mask [k, j, i] bool). NIfTI arrays are [i, j, k]."""
    img = nib.load(os.path.join(root, "image", name))
    msk = nib.load(os.path.join(root, "mask", name))
    vol = np.asarray(img.dataobj).transpose(2, 1, 0).astype(np.float64)
    mask = np.asarray(msk.dataobj).transpose(2, 1, 0) > 0
    if vol.shape != mask.shape:
        raise ValueError(f"{name}: image {vol.shape} and mask {mask.shape} differ")
    z = img.header.get_zooms()
    return vol, (float(z[0]), float(z[1]), float(z[2])), mask


def samples(root, spec, neighbours=1, limit=None, cache=None):
    """Model inputs for every nodule. Returns dict: x [M, 1, H, W] float32, label (1 = malignant by reader
    consensus), malignancy (1-5), patient, nodule index, centre (True for the centroid slice, False for a
    neighbour). neighbours: slices each side of the centroid slice also taken when the mask covers them."""
    if cache:
        key = hashlib.sha1(json.dumps([os.path.abspath(root), spec, neighbours, limit], sort_keys=True).encode()).hexdigest()[:16]
        path = os.path.join(cache, f"lidc-{key}.npz")
        if os.path.exists(path):
            with np.load(path) as z:
                return {k: z[k] for k in z.files}
        out = samples(root, spec, neighbours, limit)
        os.makedirs(cache, exist_ok=True)
        np.savez(path, **out)
        return out
    rows = read_table(root)
    if limit:
        rows = rows[:limit]
    xs, lab, mal, pat, nod, centre = [], [], [], [], [], []
    for n, r in enumerate(rows):
        vol, sp, mask = load_voi(root, r["file"])
        if not mask.any():
            mask = np.ones_like(mask)  # no mask: take the crop's centre
        k, j, i = np.argwhere(mask).mean(axis=0)
        kc = int(np.floor(k + 0.5))
        for dk in range(-neighbours, neighbours + 1):
            kk = kc + dk
            if not (0 <= kk < vol.shape[0]) or (dk and not mask[kk].any()):
                continue
            xs.append(model_input(vol, sp, (i, j, float(kk)), spec)[0])
            lab.append(1 if r["Diagnosis"].startswith("Malign") else 0)
            mal.append(int(float(r.get("Malignancy_value") or 0)))
            pat.append(r["patient_id"])
            nod.append(n)
            centre.append(dk == 0)
    return {"x": np.stack(xs)[:, None].astype(np.float32), "label": np.array(lab), "malignancy": np.array(mal),
            "patient": np.array(pat), "nodule": np.array(nod), "centre": np.array(centre)}
