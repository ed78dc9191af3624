"""Finds the nodule on a whole LDFC slice (512 x 512, 8-bit [-1200, 600] HU): the LDFC class folders carry no
nodule position, and the box table's file names only match some patients. Classical and deterministic: lung mask
(air not connected to the border, holes filled, closed so juxtapleural nodules stay inside), scale-normalised
Laplacian-of-Gaussian blob response on HU at 1.5-6 px, best soft-tissue blob inside the lungs that is not a vessel
(Hessian eigenvalue ratio). Checked against the boxes of the name-matched slices (train_cancer_type prints it)."""
import numpy as np
from scipy import ndimage as ndi

from .preprocess import bmp_to_hu


def lung_mask(hu):
    air = hu < -400
    lab, n = ndi.label(air)
    border = set(np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])))
    sizes = ndi.sum(air, lab, index=np.arange(1, n + 1))
    keep = [i + 1 for i in np.argsort(sizes)[::-1][:2] if (i + 1) not in border and sizes[i] > 2000]
    m = np.isin(lab, keep)
    m = ndi.binary_closing(m, structure=np.ones((3, 3)), iterations=10)
    return ndi.binary_fill_holes(m)


def candidates(bmp, top=5):
    """[(x, y, radius_px, score)] best first; empty when no lung is found."""
    hu = bmp_to_hu(bmp)
    lung = lung_mask(hu)
    if lung.sum() < 2000:
        return []
    best = np.full(hu.shape, -np.inf)
    scale = np.zeros(hu.shape)
    for s in (1.5, 2.5, 4.0, 6.0):
        r = -s * s * ndi.gaussian_laplace(hu, s)
        # Vessels are tubes: penalise a large ratio between the Hessian's two eigenvalues.
        g = ndi.gaussian_filter(hu, s)
        hxx = ndi.sobel(ndi.sobel(g, 1), 1) / 16
        hyy = ndi.sobel(ndi.sobel(g, 0), 0) / 16
        hxy = ndi.sobel(ndi.sobel(g, 0), 1) / 16
        tr, det = hxx + hyy, hxx * hyy - hxy * hxy
        disc = np.sqrt(np.maximum(tr * tr / 4 - det, 0))
        l1, l2 = tr / 2 - disc, tr / 2 + disc  # l1 <= l2; a bright blob has both negative
        round_ = np.clip(l2 / np.minimum(l1, -1e-6), 0, 1)
        r = r * (0.25 + 0.75 * round_)
        upd = r > best
        best[upd], scale[upd] = r[upd], s
    centre_hu = ndi.gaussian_filter(hu, 1.0)
    ok = lung & (centre_hu > -500)
    peaks = (best == ndi.maximum_filter(best, size=9)) & ok & np.isfinite(best)
    ys, xs = np.nonzero(peaks)
    order = np.argsort(best[ys, xs])[::-1][:top]
    return [(int(xs[i]), int(ys[i]), float(scale[ys[i], xs[i]] * 1.414), float(best[ys[i], xs[i]])) for i in order]
