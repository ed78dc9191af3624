"""LDFC classification folders (BMP_classification layout: <root>/{0,1,2}/PPPP_SSS.bmp; 0 = benign, 1 = AC,
2 = SCC) and nodule-centred model inputs built from them with preprocess.model_input, exactly as the app builds
its input from an imported CT. Bad input raises ValueError naming the folder or file."""
import csv
import os

import numpy as np
from PIL import Image

from .locate2d import candidates
from .preprocess import bmp_to_hu, model_input

CLASSES = ("benign", "AC", "SCC")


def list_images(root):
    """[(path, label, patient)] sorted; every class folder must exist and hold at least one .bmp/.png."""
    out = []
    for label in range(3):
        d = os.path.join(root, str(label))
        if not os.path.isdir(d):
            raise ValueError(f"{d}: missing class folder (expected {root}/0, /1, /2 for benign, AC, SCC)")
        names = sorted(n for n in os.listdir(d) if n.lower().endswith((".bmp", ".png")))
        if not names:
            raise ValueError(f"{d}: no .bmp or .png images")
        out += [(os.path.join(d, n), label, n.split("_")[0]) for n in names]
    return out


def read_slice(path):
    """The 8-bit slice as uint8 [rows, cols]; ValueError naming the file when it cannot be read as grey 8-bit."""
    try:
        with Image.open(path) as im:
            if im.mode not in ("L", "P", "RGB", "RGBA"):
                raise ValueError(f"image mode {im.mode} (8-bit grey expected)")
            a = np.asarray(im.convert("L"))
    except Exception as e:  # PIL raises many types for corrupt files
        raise ValueError(f"{path}: cannot be read as an 8-bit image ({e})") from None
    return a


def read_boxes(csv_path):
    """all_anno_3D.csv boxes by image name: [(x_centre, y_centre, diameter_px)]."""
    boxes = {}
    if not csv_path or not os.path.exists(csv_path):
        return boxes
    with open(csv_path, newline="") as f:
        for n, r in enumerate(csv.DictReader(f), start=2):
            try:
                boxes.setdefault(r["image"], []).append((float(r["x_center"]), float(r["y_center"]), float(r["diameter"]), r))
            except (KeyError, ValueError) as e:
                raise ValueError(f"{csv_path}:{n}: bad row ({e})") from None
    return boxes


def locate(bmp, name, boxes):
    """(x, y, how): the table's box centre where the name matches AND the box holds soft tissue (the names are only
    sometimes the same patient), else the locator's best candidate, else the slice centre."""
    for x, y, _, r in boxes.get(name, []):
        x0, x1, y0, y1 = (int(r[k]) for k in ("x_min", "x_max", "y_min", "y_max"))
        if bmp_to_hu(bmp[y0:y1 + 1, x0:x1 + 1]).mean() > -500:
            return x, y, "box"
    c = candidates(bmp, top=1)
    if c:
        return c[0][0], c[0][1], "locator"
    return (bmp.shape[1] - 1) / 2, (bmp.shape[0] - 1) / 2, "centre"


def samples(root, spec, boxes_csv=None, limit_per_class=None):
    """Model inputs x [N, 1, H, W], labels, patients, names, how each was located."""
    boxes = read_boxes(boxes_csv)
    items = list_images(root)
    if limit_per_class:
        items = [it for lab in range(3) for it in [i for i in items if i[1] == lab][:limit_per_class]]
    xs, ys, pats, names, how = [], [], [], [], []
    for path, label, pat in items:
        bmp = read_slice(path)
        x, y, h = locate(bmp, os.path.basename(path), boxes)
        vol = bmp_to_hu(bmp)[None]  # one slice, [k, j, i]
        xs.append(model_input(vol, (1.0, 1.0, 1.0), (x, y, 0.0), spec)[0])
        ys.append(label)
        pats.append(pat)
        names.append(os.path.basename(path))
        how.append(h)
    return {"x": np.stack(xs)[:, None].astype(np.float32), "label": np.array(ys), "patient": np.array(pats),
            "name": np.array(names), "how": np.array(how)}
