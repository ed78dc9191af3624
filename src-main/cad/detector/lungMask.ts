// Lung segmentation on the working grid. Air (< -400 HU) not connected in-plane to the slice border is
// "inside air"; its two largest 3D components are the lungs. Each lung is closed per axial slice with a disc
// (a rolling ball of CLOSING_RADIUS_MM) and its holes filled, so vessels and juxtapleural nodules (up to about
// twice that radius wide) lie inside the mask. Border connectivity is in-plane only so that a thin slab (a crop
// whose first and last slices cut through the lungs) still works.
import type { Vec3 } from '../../shared/geometry';
import type { Box, Grid } from '../voxel/grid';
import { clampBox } from '../voxel/grid';
import { close, connectedToSliceBorder, fillHolesPerSlice, labelComponents } from '../voxel/morphology';
import { AIR_THRESHOLD_HU, CLOSING_RADIUS_MM } from '../voxel/lungThresholds';


export interface LungMask {
  /** Aerated lung voxels (< -400 HU inside the lungs). */
  air: Uint8Array;
  /** Closed and hole-filled lung region: the search region for nodules. */
  region: Uint8Array;
  /** Median HU of aerated lung: the background a nodule is measured against. */
  backgroundHU: number;
  /** Bounding box of `region` in voxels (empty when no lung was found). */
  box: Box;
  lungCount: number;
}

export function segmentLungs(data: Float32Array, grid: Grid): LungMask {
  const n = data.length;
  const airAll = new Uint8Array(n);
  for (let p = 0; p < n; p++) airAll[p] = data[p] < AIR_THRESHOLD_HU ? 1 : 0;
  const outside = connectedToSliceBorder(airAll, grid);
  for (let p = 0; p < n; p++) if (outside[p]) airAll[p] = 0;
  const comps = labelComponents(airAll, grid);
  const voxelMm3 = grid.spacing[0] * grid.spacing[1] * grid.spacing[2];
  const order = comps.sizes.map((s, l) => ({ s, l })).filter((c) => c.l > 0).sort((a, b) => b.s - a.s);
  const largest = order.length ? order[0].s : 0;
  // Keep at most two: the lungs (or one, when they meet at the carina). Bowel gas and the trachea are smaller.
  const keep = order.slice(0, 2).filter((c) => c.s >= Math.max(0.05 * largest, 1000 / voxelMm3));
  const air = new Uint8Array(n);
  const region = new Uint8Array(n);
  const [nx, ny, nz] = grid.dims;
  // Bounding boxes of the kept components in one pass.
  const slot = new Int8Array(comps.count + 1).fill(-1); // label → index in keep (a typed lookup: millions of voxels)
  keep.forEach((c, idx) => (slot[c.l] = idx));
  const lo = keep.map(() => [Infinity, Infinity, Infinity] as Vec3);
  const hi = keep.map(() => [-Infinity, -Infinity, -Infinity] as Vec3);
  for (let k = 0, p = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, p++) {
        const l = comps.labels[p];
        if (!l) continue;
        const idx = slot[l];
        if (idx < 0) continue;
        air[p] = 1;
        const a = lo[idx], b = hi[idx];
        if (i < a[0]) a[0] = i; if (i > b[0]) b[0] = i;
        if (j < a[1]) a[1] = j; if (j > b[1]) b[1] = j;
        if (k < a[2]) a[2] = k; if (k > b[2]) b[2] = k;
      }
  const m = Math.ceil(CLOSING_RADIUS_MM / Math.min(grid.spacing[0], grid.spacing[1])) + 1;
  keep.forEach((c, idx) => {
    // Each lung is closed on its own so the closing cannot bridge the mediastinum between them.
    const box = clampBox({ min: [lo[idx][0] - m, lo[idx][1] - m, lo[idx][2]], max: [hi[idx][0] + m + 1, hi[idx][1] + m + 1, hi[idx][2] + 1] }, grid.dims);
    const sub: Grid = { dims: [box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]], spacing: grid.spacing };
    const comp = new Uint8Array(sub.dims[0] * sub.dims[1] * sub.dims[2]);
    let q = 0;
    for (let k = box.min[2]; k < box.max[2]; k++)
      for (let j = box.min[1]; j < box.max[1]; j++)
        for (let i = box.min[0]; i < box.max[0]; i++, q++) comp[q] = comps.labels[i + nx * (j + ny * k)] === c.l ? 1 : 0;
    const closed = fillHolesPerSlice(close(comp, sub, CLOSING_RADIUS_MM, [0, 1]), sub);
    q = 0;
    for (let k = box.min[2]; k < box.max[2]; k++)
      for (let j = box.min[1]; j < box.max[1]; j++)
        for (let i = box.min[0]; i < box.max[0]; i++, q++) if (closed[q]) region[i + nx * (j + ny * k)] = 1;
  });
  return { air, region, backgroundHU: medianOver(data, air, -850), box: maskBox(region, grid), lungCount: keep.length };
}

function medianOver(data: Float32Array, mask: Uint8Array, fallback: number): number {
  // Histogram median in 1-HU bins over -1100..0.
  const hist = new Uint32Array(1101);
  let total = 0;
  for (let p = 0; p < data.length; p++) {
    if (!mask[p]) continue;
    const b = Math.round(data[p]) + 1100;
    if (b < 0 || b > 1100) continue;
    hist[b]++;
    total++;
  }
  if (total === 0) return fallback;
  let acc = 0;
  for (let b = 0; b <= 1100; b++) {
    acc += hist[b];
    if (acc * 2 >= total) return b - 1100;
  }
  return fallback;
}

export function maskBox(mask: Uint8Array, grid: Grid): Box {
  const [nx, ny] = grid.dims;
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-1, -1, -1];
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    const i = p % nx, j = Math.floor(p / nx) % ny, k = Math.floor(p / (nx * ny));
    if (i < lo[0]) lo[0] = i; if (i > hi[0]) hi[0] = i;
    if (j < lo[1]) lo[1] = j; if (j > hi[1]) hi[1] = j;
    if (k < lo[2]) lo[2] = k; if (k > hi[2]) hi[2] = k;
  }
  if (hi[0] < 0) return { min: [0, 0, 0], max: [0, 0, 0] };
  return { min: lo, max: [hi[0] + 1, hi[1] + 1, hi[2] + 1] };
}
