"""Command used by test/integration/cad/preprocessParity.test.ts: builds the training-time model inputs (and the 2D
locator's candidates) for a volume the app wrote, so the test can compare them with the app's own, voxel for voxel.

  python3 -m pulmo_train.parity request.json   (writes the files the request names)
"""
import json
import sys

import numpy as np

from .locate2d import candidates
from .preprocess import bmp_to_hu, hu_to_bmp, model_input


def main(path):
    with open(path) as f:
        req = json.load(f)
    nx, ny, nz = req["dims"]
    vol = np.fromfile(req["voxels"], dtype="<i2").reshape(nz, ny, nx).astype(np.float64)
    out = {}
    for job in req["jobs"]:
        spec = job["spec"]
        src = vol
        if job.get("viaBmp"):
            # The LDFC route: the slice as an 8-bit BMP ([-1200, 600] HU, 256 levels), then back to HU, as in training.
            k = int(job["centerIjk"][2])
            src = bmp_to_hu(hu_to_bmp(vol[k]))[None]
            job = {**job, "centerIjk": [job["centerIjk"][0], job["centerIjk"][1], 0.0]}
        x = model_input(src, req["spacing"], job["centerIjk"], spec)
        x.astype("<f4").tofile(job["out"])
    for job in req.get("locate", []):
        bmp = hu_to_bmp(vol[int(job["k"])])
        out[job["name"]] = [list(c) for c in candidates(bmp, top=3)]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1])
