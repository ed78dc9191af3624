"""Finds the nodule on a whole LDFC slice (512 x 512, 8-bit [-1200, 600] HU): the LDFC class folders carry no
nodule position, and the box table's file names match only some patients (and not all of those are the same
patient). Classical and deterministic, on a half-resolution copy: lung mask (air not connected to the border,
closed and hole-filled so nodules stay inside), scale-normalised Laplacian-of-Gaussian blob response at 3-12 px
(full resolution), weighted by roundness (Hessian eigenvalue ratio: vessels are tubes), best soft-tissue blob
inside the lungs. train_cancer_type reports how often it lands in the table's box where the join is plausible."""
import numpy as np
from scipy import ndimage as ndi

from .preprocess import bmp_to_hu


def lung_mask(hu):
    body = ndi.binary_fill_holes(ndi.binary_opening(hu > -400, iterations=2))
    lab, n = ndi.label(body)
    if n:
        body = lab == (np.argmax(ndi.sum(body, lab, index=np.arange(1, n + 1))) + 1)
        body = ndi.binary_fill_holes(body)
    air = (hu < -400) & body  # air inside the body: lungs, airways (not the air under the table)
    lab, n = ndi.label(air)
    if n == 0:
        return np.zeros_like(air)
    border = set(np.unique(np.concatenate([lab[0], lab[-1], lab[:, 0], lab[:, -1]])).tolist())
    sizes = ndi.sum(air, lab, index=np.arange(1, n + 1))
    keep = [i + 1 for i in np.argsort(sizes)[::-1] if (i + 1) not in border and sizes[i] > 500][:2]
    m = np.isin(lab, keep)
    m = ndi.binary_closing(m, structure=np.ones((3, 3)), iterations=5)
    return ndi.binary_fill_holes(m)


def candidates(bmp, top=5):
    """[(x, y, radius_px, score)] at full resolution, best first; empty when no lung is found."""
    hu = bmp_to_hu(bmp)
    h = hu.reshape(hu.shape[0] // 2, 2, hu.shape[1] // 2, 2).mean(axis=(1, 3))
    lung = lung_mask(h)
    if lung.sum() < 500:
        return []
    best = np.full(h.shape, -np.inf)
    scale = np.zeros(h.shape)
    for s in (1.0, 1.7, 2.8, 4.2):
        hxx = ndi.gaussian_filter(h, s, order=(0, 2))
        hyy = ndi.gaussian_filter(h, s, order=(2, 0))
        hxy = ndi.gaussian_filter(h, s, order=(1, 1))
        tr, det = hxx + hyy, hxx * hyy - hxy * hxy
        disc = np.sqrt(np.maximum(tr * tr / 4 - det, 0))
        l1, l2 = tr / 2 - disc, tr / 2 + disc  # l1 <= l2; a bright blob has both negative
        roundness = np.clip(l2 / np.minimum(l1, -1e-6), 0, 1)
        r = -s * s * tr * roundness
        upd = r > best
        best[upd], scale[upd] = r[upd], s
    soft = ndi.gaussian_filter(h, 1.0) > -500
    peaks = (best == ndi.maximum_filter(best, size=5)) & lung & soft & (best > 0)
    # Nodules are isolated: a peak whose soft-tissue region (>-500 HU, inside the eroded lung) is much larger than
    # its blob, or runs into the mediastinum, is a vessel, bronchus wall or hilum.
    core = ndi.binary_erosion(lung, iterations=2)
    comp, _ = ndi.label(soft & core)
    area = np.bincount(comp.ravel())
    edge = np.zeros(len(area), bool)
    edge[np.unique(comp[ndi.binary_dilation(~core) & (comp > 0)])] = True
    ys, xs = np.nonzero(peaks)
    score = best[ys, xs].copy()
    for n, (y, x) in enumerate(zip(ys, xs)):
        c = comp[y, x]
        blob = np.pi * (scale[y, x] * 1.414) ** 2
        if c == 0 or area[c] > 6 * blob + 20:
            score[n] *= 0.2
        if c and edge[c] and area[c] > 3 * blob + 20:
            score[n] *= 0.2
    order = np.argsort(score)[::-1][:top]
    return [(int(xs[i] * 2 + 1), int(ys[i] * 2 + 1), float(scale[ys[i], xs[i]] * 2 * 1.414), float(best[ys[i], xs[i]])) for i in order]
