"""The model input, built exactly as the app builds it (src-main/cad/resample.ts cropPatch + src-main/cad/manifest.ts
normalizer + quantize). Every training sample goes through these functions, and test/integration/cad/
preprocessParity.test.ts compares them with the TypeScript on the same CT, voxel for voxel.

Volumes are numpy arrays indexed [k, j, i] (slice, row, column) with spacing (si, sj, sk) in mm, like the app's
HuVolume (i fastest in memory). Patches are [z, y, x] (slice, row, column), centred on a continuous voxel index.
"""
import numpy as np

OUTSIDE_HU = -1024.0  # resample.ts OUTSIDE_HU: HU outside the scanned field (air)


def _axis_table(pos, n):
    """Per-axis lower index, upper index and weight of trilinear sampling at continuous positions `pos`
    (already known to be inside [-0.5, n - 0.5]); mirrors sampleHU's clamping to the last voxel centre."""
    x = np.clip(pos, 0, n - 1)
    lo = np.minimum(np.floor(x), max(n - 2, 0)).astype(np.int64)
    hi = np.minimum(lo + 1, n - 1)
    return lo, hi, x - lo


def sample(vol, ii, jj, kk, interpolation="linear"):
    """HU at continuous voxel indices (broadcast arrays ii, jj, kk) as float64; OUTSIDE_HU beyond the volume.
    linear = sampleHU (trilinear); nearest = the voxel whose centre is nearest (ties round half up)."""
    nz, ny, nx = vol.shape
    ii, jj, kk = np.broadcast_arrays(np.asarray(ii, float), np.asarray(jj, float), np.asarray(kk, float))
    inside = (ii >= -0.5) & (jj >= -0.5) & (kk >= -0.5) & (ii <= nx - 0.5) & (jj <= ny - 0.5) & (kk <= nz - 0.5)
    v = vol.astype(np.float64)
    if interpolation == "nearest":
        a = np.clip(np.floor(ii + 0.5), 0, nx - 1).astype(np.int64)
        b = np.clip(np.floor(jj + 0.5), 0, ny - 1).astype(np.int64)
        c = np.clip(np.floor(kk + 0.5), 0, nz - 1).astype(np.int64)
        out = v[c, b, a]
    else:
        x0, x1, fx = _axis_table(ii, nx)
        y0, y1, fy = _axis_table(jj, ny)
        z0, z1, fz = _axis_table(kk, nz)
        c00 = v[z0, y0, x0] * (1 - fx) + v[z0, y0, x1] * fx
        c10 = v[z0, y1, x0] * (1 - fx) + v[z0, y1, x1] * fx
        c01 = v[z1, y0, x0] * (1 - fx) + v[z1, y0, x1] * fx
        c11 = v[z1, y1, x0] * (1 - fx) + v[z1, y1, x1] * fx
        out = (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz
    return np.where(inside, out, OUTSIDE_HU)


def patch_indices(center_ijk, size_zyx, spacing_ijk, target_zyx=None):
    """Continuous voxel indices (ii, jj, kk) of a patch of size_zyx voxels at target_zyx mm ([z, y, x]; None = the
    volume's own grid), centred on center_ijk, axes aligned with the volume's: cropPatch's sampling grid."""
    if target_zyx is None:
        step = (1.0, 1.0, 1.0)
    else:
        step = (target_zyx[2] / spacing_ijk[0], target_zyx[1] / spacing_ijk[1], target_zyx[0] / spacing_ijk[2])
    d, h, w = size_zyx
    z = center_ijk[2] + (np.arange(d) - (d - 1) / 2) * step[2]
    y = center_ijk[1] + (np.arange(h) - (h - 1) / 2) * step[1]
    x = center_ijk[0] + (np.arange(w) - (w - 1) / 2) * step[0]
    return x[None, None, :], y[None, :, None], z[:, None, None]


def window(hu, window_hu, normalize_to=(0.0, 1.0), quantize_levels=None):
    """manifest.ts normalizer, the same float64 operations in the same order: clip to the HU window, optionally
    quantise to `quantize_levels` grey levels (the LDFC BMPs: 256 levels, round half up), map onto normalize_to."""
    lo, hi = float(window_hu[0]), float(window_hu[1])
    a, b = float(normalize_to[0]), float(normalize_to[1])
    c = np.minimum(hi, np.maximum(lo, hu))
    if quantize_levels:
        q = quantize_levels - 1
        return ((np.floor((c - lo) / (hi - lo) * q + 0.5) / q) * (b - a) + a).astype(np.float32)
    return ((c - lo) * ((b - a) / (hi - lo)) + a).astype(np.float32)


def model_input(vol, spacing_ijk, center_ijk, spec):
    """The float32 patch [D, H, W] a model with manifest input `spec` receives for a finding at center_ijk."""
    size = spec["size"] if spec["layout"] == "NCDHW" else [1, *spec["size"]]
    ii, jj, kk = patch_indices(center_ijk, size, spacing_ijk, spec.get("spacingMm"))
    hu = sample(vol, ii, jj, kk, spec.get("interpolation", "linear"))
    return window(hu, spec["windowHU"], spec.get("normalizeTo", (0, 1)), spec.get("quantizeLevels"))


def hu_to_bmp(hu_slice):
    """An LDFC-style 8-bit slice: HU clipped to [-1200, 600] and scaled to 0..255 (round half up)."""
    return np.floor((np.clip(hu_slice, -1200, 600) + 1200) / 1800 * 255 + 0.5).astype(np.uint8)


def bmp_to_hu(bmp):
    """The HU an 8-bit LDFC value stands for (the centre of its bin); window(bmp_to_hu(v)) gives back v / 255."""
    return bmp.astype(np.float64) / 255 * 1800 - 1200
