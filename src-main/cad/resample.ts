// Resampling HU volumes onto the voxel grid a model expects (trilinear), fused with the model's intensity
// mapping so the float copy is made once. Grids stay aligned with the volume's axes: the resampled grid has the
// same origin (centre of voxel 0,0,0) and direction, only spacing and dims change, so LPS mapping stays exact.
import type { HuVolume, Vec3, VolumeGeometry } from '../shared/geometry';
import { lpsToIjk } from '../shared/geometry';

/** HU used outside the scanned field (air). */
export const OUTSIDE_HU = -1024;

export interface FloatVolume {
  data: Float32Array;
  geometry: VolumeGeometry;
}

/** Trilinear HU at continuous voxel index (i, j, k); OUTSIDE_HU beyond the volume. */
export function sampleHU(vol: HuVolume, i: number, j: number, k: number): number {
  const [nx, ny, nz] = vol.geometry.dims;
  if (i < -0.5 || j < -0.5 || k < -0.5 || i > nx - 0.5 || j > ny - 0.5 || k > nz - 0.5) return OUTSIDE_HU;
  // Clamp to the last voxel centre so the half-voxel border reads edge values.
  const x = Math.min(Math.max(i, 0), nx - 1);
  const y = Math.min(Math.max(j, 0), ny - 1);
  const z = Math.min(Math.max(k, 0), nz - 1);
  const x0 = Math.min(Math.floor(x), nx - 2 < 0 ? 0 : nx - 2);
  const y0 = Math.min(Math.floor(y), ny - 2 < 0 ? 0 : ny - 2);
  const z0 = Math.min(Math.floor(z), nz - 2 < 0 ? 0 : nz - 2);
  const x1 = Math.min(x0 + 1, nx - 1);
  const y1 = Math.min(y0 + 1, ny - 1);
  const z1 = Math.min(z0 + 1, nz - 1);
  const fx = x - x0;
  const fy = y - y0;
  const fz = z - z0;
  const v = vol.voxels;
  const sxy = nx * ny;
  const at = (a: number, b: number, c: number) => v[c * sxy + b * nx + a];
  const c00 = at(x0, y0, z0) * (1 - fx) + at(x1, y0, z0) * fx;
  const c10 = at(x0, y1, z0) * (1 - fx) + at(x1, y1, z0) * fx;
  const c01 = at(x0, y0, z1) * (1 - fx) + at(x1, y0, z1) * fx;
  const c11 = at(x0, y1, z1) * (1 - fx) + at(x1, y1, z1) * fx;
  return (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
}

/** HU of the voxel whose centre is nearest (ties round up); OUTSIDE_HU beyond the volume. */
export function sampleNearestHU(vol: HuVolume, i: number, j: number, k: number): number {
  const [nx, ny, nz] = vol.geometry.dims;
  if (i < -0.5 || j < -0.5 || k < -0.5 || i > nx - 0.5 || j > ny - 0.5 || k > nz - 0.5) return OUTSIDE_HU;
  const a = Math.min(Math.max(Math.floor(i + 0.5), 0), nx - 1);
  const b = Math.min(Math.max(Math.floor(j + 0.5), 0), ny - 1);
  const c = Math.min(Math.max(Math.floor(k + 0.5), 0), nz - 1);
  return vol.voxels[c * nx * ny + b * nx + a];
}

/**
 * The whole volume on a grid of `spacingZYX` (mm, [slice, row, column]), each value passed through `map`
 * (e.g. HU window + normalisation). null spacing keeps the grid and only maps intensities.
 */
export function resampleVolume(vol: HuVolume, spacingZYX: Vec3 | null, map: (hu: number) => number): FloatVolume {
  const g = vol.geometry;
  if (!spacingZYX) {
    const data = new Float32Array(vol.voxels.length);
    for (let n = 0; n < data.length; n++) data[n] = map(vol.voxels[n]);
    return { data, geometry: g };
  }
  const target: Vec3 = [spacingZYX[2], spacingZYX[1], spacingZYX[0]]; // to i, j, k order
  const dims = [0, 1, 2].map((a) => Math.max(1, Math.floor(((g.dims[a] - 1) * g.spacing[a]) / target[a] + 1e-6) + 1)) as Vec3;
  const data = new Float32Array(dims[0] * dims[1] * dims[2]);
  // Per-axis source indices and weights, computed once: the grid is axis-aligned, so trilinear separates.
  const tables = [0, 1, 2].map((a) => {
    const n = dims[a];
    const lo = new Int32Array(n);
    const hi = new Int32Array(n);
    const f = new Float32Array(n);
    const last = g.dims[a] - 1;
    for (let q = 0; q < n; q++) {
      const x = Math.min((q * target[a]) / g.spacing[a], last);
      lo[q] = Math.floor(x);
      hi[q] = Math.min(lo[q] + 1, last);
      f[q] = x - lo[q];
    }
    return { lo, hi, f };
  });
  const [tx, ty, tz] = tables;
  const v = vol.voxels;
  const nx = g.dims[0];
  const sxy = g.dims[0] * g.dims[1];
  let n = 0;
  for (let k = 0; k < dims[2]; k++) {
    const z0 = tz.lo[k] * sxy, z1 = tz.hi[k] * sxy, fz = tz.f[k];
    for (let j = 0; j < dims[1]; j++) {
      const y0 = ty.lo[j] * nx, y1 = ty.hi[j] * nx, fy = ty.f[j];
      const a00 = z0 + y0, a10 = z0 + y1, a01 = z1 + y0, a11 = z1 + y1;
      for (let i = 0; i < dims[0]; i++) {
        const x0 = tx.lo[i], x1 = tx.hi[i], fx = tx.f[i];
        const c00 = v[a00 + x0] + (v[a00 + x1] - v[a00 + x0]) * fx;
        const c10 = v[a10 + x0] + (v[a10 + x1] - v[a10 + x0]) * fx;
        const c01 = v[a01 + x0] + (v[a01 + x1] - v[a01 + x0]) * fx;
        const c11 = v[a11 + x0] + (v[a11 + x1] - v[a11 + x0]) * fx;
        const c0 = c00 + (c10 - c00) * fy;
        const c1 = c01 + (c11 - c01) * fy;
        data[n++] = map(c0 + (c1 - c0) * fz);
      }
    }
  }
  return { data, geometry: { ...g, dims, spacing: target } };
}

/**
 * A patch of `sizeZYX` voxels at `spacingZYX` mm centred on `centerLPS`, axes aligned with the volume's,
 * written (z, y, x order, x fastest) into `out` at `offset`. null spacing = the volume's own spacing.
 * training/pulmo_train/preprocess.py model_input() builds the same patch for training (a test compares them).
 */
export function cropPatch(
  vol: HuVolume,
  centerLPS: Vec3,
  sizeZYX: Vec3,
  spacingZYX: Vec3 | null,
  map: (hu: number) => number,
  out: Float32Array,
  offset = 0,
  interpolation: 'linear' | 'nearest' = 'linear',
): void {
  const g = vol.geometry;
  const at = interpolation === 'nearest' ? sampleNearestHU : sampleHU;
  const c = lpsToIjk(g, centerLPS);
  const step: Vec3 = spacingZYX
    ? [spacingZYX[2] / g.spacing[0], spacingZYX[1] / g.spacing[1], spacingZYX[0] / g.spacing[2]]
    : [1, 1, 1];
  const [d, h, w] = sizeZYX;
  let n = offset;
  for (let z = 0; z < d; z++) {
    const k = c[2] + (z - (d - 1) / 2) * step[2];
    for (let y = 0; y < h; y++) {
      const j = c[1] + (y - (h - 1) / 2) * step[1];
      for (let x = 0; x < w; x++) out[n++] = map(at(vol, c[0] + (x - (w - 1) / 2) * step[0], j, k));
    }
  }
}
