// Segment one nodule in a small crop: region growing from the brightest voxel near the seed at a threshold,
// then a morphological opening sized to the nodule (radius = OPEN_FRACTION x its inscribed radius) that cuts
// attached vessels thinner than that, keeping the part that contains the seed.
import type { Vec3 } from '../../shared/geometry';
import type { Grid } from '../voxel/grid';
import { dilate, labelComponents, open, squaredDistanceTo, invert } from '../voxel/morphology';

export const OPEN_FRACTION = 0.6;

export interface NoduleSegmentation {
  mask: Uint8Array; // crop-sized, 1 = nodule
  voxelCount: number;
  /** Voxels grown before the opening (nodule + attached structures). */
  grownCount: number;
  /** The grown region reached the crop border (attached to something larger than the crop). */
  touchesBorder: boolean;
  /** The final (opened) region still reaches the crop border: part of a structure larger than the crop. */
  finalTouchesBorder: boolean;
  openingRadiusMm: number;
  /** Largest inscribed radius near the seed (mm). */
  inscribedRadiusMm: number;
  startIndex: number;
  startValue: number;
}

export interface SegmentOptions {
  /** Only voxels with allowed = 1 may join (e.g. the lung region). */
  allowed?: Uint8Array;
  /** Radius around the seed searched for the start voxel (mm). */
  searchRadiusMm?: number;
  /** Skip the opening (for tests and for very small nodules). */
  noOpening?: boolean;
}

export function segmentNodule(data: Float32Array, grid: Grid, seedIjk: Vec3, threshold: number, opts: SegmentOptions = {}): NoduleSegmentation | null {
  const [nx, ny, nz] = grid.dims;
  const nxy = nx * ny;
  const start = brightestNear(data, grid, seedIjk, opts.searchRadiusMm ?? 2, opts.allowed);
  if (start < 0 || data[start] < threshold) return null;
  const grown = new Uint8Array(data.length);
  const stack = new Int32Array(data.length);
  let top = 0;
  let grownCount = 0;
  let touchesBorder = false;
  grown[start] = 1;
  stack[top++] = start;
  const ok = (q: number): boolean => !grown[q] && data[q] >= threshold && (!opts.allowed || opts.allowed[q] === 1);
  while (top > 0) {
    const p = stack[--top];
    grownCount++;
    const i = p % nx, j = Math.floor(p / nx) % ny, k = Math.floor(p / nxy);
    if (i === 0 || j === 0 || k === 0 || i === nx - 1 || j === ny - 1 || k === nz - 1) touchesBorder = true;
    if (i > 0 && ok(p - 1)) { grown[p - 1] = 1; stack[top++] = p - 1; }
    if (i < nx - 1 && ok(p + 1)) { grown[p + 1] = 1; stack[top++] = p + 1; }
    if (j > 0 && ok(p - nx)) { grown[p - nx] = 1; stack[top++] = p - nx; }
    if (j < ny - 1 && ok(p + nx)) { grown[p + nx] = 1; stack[top++] = p + nx; }
    if (k > 0 && ok(p - nxy)) { grown[p - nxy] = 1; stack[top++] = p - nxy; }
    if (k < nz - 1 && ok(p + nxy)) { grown[p + nxy] = 1; stack[top++] = p + nxy; }
  }
  // Inscribed radius: the largest distance to the background within a few mm of the start voxel.
  const d2 = squaredDistanceTo(invert(grown), grid);
  const inscribed = Math.sqrt(maxNear(d2, grid, start, 3));
  const minSpacing = Math.min(...grid.spacing);
  const rho = OPEN_FRACTION * inscribed;
  let mask: Uint8Array = grown;
  let openingRadiusMm = 0;
  if (!opts.noOpening && rho >= minSpacing) {
    const opened = open(grown, grid, rho);
    const kept = keepComponentNear(opened, grid, start);
    if (kept) {
      // The opening also shaves the voxelised surface; give back a shell of one voxel inside the grown region.
      const back = dilate(kept, grid, Math.max(...grid.spacing));
      for (let p = 0; p < back.length; p++) back[p] = back[p] && grown[p] ? 1 : 0;
      mask = back;
      openingRadiusMm = rho;
    }
  }
  let voxelCount = 0;
  let finalTouchesBorder = false;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    voxelCount++;
    const i = p % nx, j = Math.floor(p / nx) % ny, k = Math.floor(p / nxy);
    if (i === 0 || j === 0 || k === 0 || i === nx - 1 || j === ny - 1 || k === nz - 1) finalTouchesBorder = true;
  }
  return { mask, voxelCount, grownCount, touchesBorder, finalTouchesBorder, openingRadiusMm, inscribedRadiusMm: inscribed, startIndex: start, startValue: data[start] };
}

export function brightestNear(data: Float32Array, grid: Grid, c: Vec3, radiusMm: number, allowed?: Uint8Array): number {
  const [nx, ny, nz] = grid.dims;
  const r = grid.spacing.map((s) => Math.ceil(radiusMm / s));
  let best = -1;
  let bestV = -Infinity;
  const ci = Math.round(c[0]), cj = Math.round(c[1]), ck = Math.round(c[2]);
  for (let k = Math.max(0, ck - r[2]); k <= Math.min(nz - 1, ck + r[2]); k++)
    for (let j = Math.max(0, cj - r[1]); j <= Math.min(ny - 1, cj + r[1]); j++)
      for (let i = Math.max(0, ci - r[0]); i <= Math.min(nx - 1, ci + r[0]); i++) {
        const dx = (i - c[0]) * grid.spacing[0], dy = (j - c[1]) * grid.spacing[1], dz = (k - c[2]) * grid.spacing[2];
        if (dx * dx + dy * dy + dz * dz > radiusMm * radiusMm + 1e-6) continue;
        const p = i + nx * (j + ny * k);
        if (allowed && !allowed[p]) continue;
        if (data[p] > bestV) { bestV = data[p]; best = p; }
      }
  return best;
}

function maxNear(v: Float32Array, grid: Grid, p: number, radiusMm: number): number {
  const [nx, ny] = grid.dims;
  const c: Vec3 = [p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny))];
  let m = 0;
  const r = grid.spacing.map((s) => Math.ceil(radiusMm / s));
  for (let k = Math.max(0, c[2] - r[2]); k <= Math.min(grid.dims[2] - 1, c[2] + r[2]); k++)
    for (let j = Math.max(0, c[1] - r[1]); j <= Math.min(ny - 1, c[1] + r[1]); j++)
      for (let i = Math.max(0, c[0] - r[0]); i <= Math.min(nx - 1, c[0] + r[0]); i++) {
        const q = i + nx * (j + ny * k);
        if (v[q] > m && v[q] < 1e19) m = v[q];
      }
  return m;
}

/** The component of `mask` containing p, else the one closest to p (within 3 voxels); null if none. */
function keepComponentNear(mask: Uint8Array, grid: Grid, p: number): Uint8Array | null {
  const comps = labelComponents(mask, grid);
  if (comps.count === 0) return null;
  let label = comps.labels[p];
  if (!label) {
    const [nx, ny] = grid.dims;
    const c = [p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny))];
    let bestD = 10;
    for (let q = 0; q < mask.length; q++) {
      if (!comps.labels[q]) continue;
      const d = Math.abs((q % nx) - c[0]) + Math.abs((Math.floor(q / nx) % ny) - c[1]) + Math.abs(Math.floor(q / (nx * ny)) - c[2]);
      if (d < bestD) { bestD = d; label = comps.labels[q]; }
    }
    if (!label) return null;
  }
  const out = new Uint8Array(mask.length);
  for (let q = 0; q < mask.length; q++) out[q] = comps.labels[q] === label ? 1 : 0;
  return out;
}
