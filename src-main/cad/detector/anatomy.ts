// Where a candidate sits in the chest, from the unmasked working volume and the lung region: the evidence the
// false-positive stage needs to tell a nodule from the hilar vessels, the mediastinum, bone and the chest wall.
//   mediastinumMm     in-plane distance to the nearest non-lung voxel lying between lung on the same image row:
//                     the mediastinum, the hila and the heart border (a concavity of the lung region)
//   shellAirFraction  share of aerated lung (< SHELL_AIR_HU) in a shell 1.5-4.5 mm outside the candidate's
//                     equivalent sphere: a nodule in the lung is ringed by air (juxtapleural: about half), a hilar
//                     vessel or a piece of mediastinum by tissue
//   shellBranches     tissue components crossing that shell and larger than a 2 mm vessel's cross-section: the
//                     vessels entering and leaving (a nodule: 0-2, a vessel bifurcation: 3 or more)
//   denseFraction     share of the candidate's sphere above DENSE_HU: calcification and bone
import type { Vec3 } from '../../shared/geometry';
import type { Grid } from '../voxel/grid';

export const SHELL_AIR_HU = -500;
export const DENSE_HU = 300;
const MEDIASTINUM_SEARCH_MM = 40;

export interface AnatomyFeatures {
  mediastinumMm: number;
  shellAirFraction: number;
  shellBranches: number;
  denseFraction: number;
}

/**
 * Marks, per axial image row, the non-lung voxels between the first and the last lung voxel of that row: the
 * mediastinum and hila between the lungs, and the concavities of one lung (heart border, hilum).
 */
export function betweenLungs(region: Uint8Array, dims: Vec3): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(region.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const row = nx * (j + ny * k);
      let first = -1, last = -1;
      for (let i = 0; i < nx; i++) if (region[row + i]) { if (first < 0) first = i; last = i; }
      for (let i = first + 1; i < last; i++) if (!region[row + i]) out[row + i] = 1;
    }
  return out;
}

export function anatomyFeatures(raw: Float32Array, between: Uint8Array, grid: Grid, center: Vec3, radiusMm: number): AnatomyFeatures {
  const [nx, ny, nz] = grid.dims;
  const h = grid.spacing[0];
  const ci = Math.round(center[0]), cj = Math.round(center[1]), ck = Math.round(center[2]);
  // Mediastinum: nearest marked voxel in the candidate's slice.
  const rs = Math.ceil(MEDIASTINUM_SEARCH_MM / h);
  let best = MEDIASTINUM_SEARCH_MM * MEDIASTINUM_SEARCH_MM;
  if (ck >= 0 && ck < nz)
    for (let j = Math.max(0, cj - rs); j <= Math.min(ny - 1, cj + rs); j++)
      for (let i = Math.max(0, ci - rs); i <= Math.min(nx - 1, ci + rs); i++) {
        if (!between[i + nx * (j + ny * ck)]) continue;
        const d = ((i - center[0]) ** 2 + (j - center[1]) ** 2) * h * h;
        if (d < best) best = d;
      }
  // Shell and core around the equivalent sphere, in a local cube (side 2r + 1) for the component count.
  const rIn = radiusMm + 1.5, rOut = radiusMm + 4.5;
  const r = Math.ceil(rOut / h);
  const side = 2 * r + 1;
  const tissue = new Uint8Array(side * side * side); // 1: tissue voxel of the shell
  let shell = 0, shellAir = 0, core = 0, dense = 0;
  for (let dk = -r, q = 0; dk <= r; dk++)
    for (let dj = -r; dj <= r; dj++)
      for (let di = -r; di <= r; di++, q++) {
        const i = ci + di, j = cj + dj, k = ck + dk;
        if (i < 0 || j < 0 || k < 0 || i >= nx || j >= ny || k >= nz) continue;
        const d2 = ((i - center[0]) ** 2 + (j - center[1]) ** 2 + (k - center[2]) ** 2) * h * h;
        if (d2 > rOut * rOut) continue;
        const v = raw[i + nx * (j + ny * k)];
        if (d2 <= radiusMm * radiusMm) {
          core++;
          if (v >= DENSE_HU) dense++;
        } else if (d2 >= rIn * rIn) {
          shell++;
          if (v < SHELL_AIR_HU) shellAir++;
          else tissue[q] = 1;
        }
      }
  return {
    mediastinumMm: Math.sqrt(best),
    shellAirFraction: shell ? shellAir / shell : 0,
    shellBranches: countComponents(tissue, side, Math.PI * (1 / h) ** 2 * 3),
    denseFraction: core ? dense / core : 0,
  };
}

/** 26-connected components of a cube mask (side³ voxels) with at least minVoxels voxels. Clears the mask. */
function countComponents(mask: Uint8Array, side: number, minVoxels: number): number {
  const s2 = side * side;
  const stack = new Int32Array(mask.length);
  let count = 0;
  for (let p0 = 0; p0 < mask.length; p0++) {
    if (!mask[p0]) continue;
    mask[p0] = 0;
    let top = 0, size = 0;
    stack[top++] = p0;
    while (top) {
      const p = stack[--top];
      size++;
      const i = p % side, j = Math.floor(p / side) % side, k = Math.floor(p / s2);
      for (let dk = -1; dk <= 1; dk++) {
        const kk = k + dk;
        if (kk < 0 || kk >= side) continue;
        for (let dj = -1; dj <= 1; dj++) {
          const jj = j + dj;
          if (jj < 0 || jj >= side) continue;
          for (let di = -1; di <= 1; di++) {
            const ii = i + di;
            if (ii < 0 || ii >= side) continue;
            const q = ii + side * jj + s2 * kk;
            if (mask[q]) { mask[q] = 0; stack[top++] = q; }
          }
        }
      }
    }
    if (size >= minVoxels) count++;
  }
  return count;
}

/** Shell air share under which a candidate that is part of a larger structure is anatomy, not a nodule. */
export const STRUCTURE_MAX_SHELL_AIR = 0.6;
/** Within this distance (mm) of the mediastinum, a candidate ringed mostly by tissue is hilum or mediastinum. */
export const MEDIASTINUM_NEAR_MM = 5;
export const MEDIASTINUM_MAX_SHELL_AIR = 0.45;
/** Share of the candidate's sphere above DENSE_HU from which it is bone or dense calcification. */
export const DENSE_MIN_FRACTION = 0.25;

/**
 * The anatomy a candidate belongs to when that rules it out as a suspicious nodule, or null. The rules (and their
 * thresholds) were set on the whole LIDC-IDRI-0002 series and the three LIDC crops, where they separate every
 * reader-marked nodule from the false marks by a margin (README, "CAD false-positive reduction").
 */
export function anatomyVerdict(f: { touchesBorder: number; pleuraDistanceMm: number; equivalentDiameterMm: number }, a: AnatomyFeatures): string | null {
  const air = `${Math.round(100 * a.shellAirFraction)} % aerated lung around it`;
  if (a.denseFraction >= DENSE_MIN_FRACTION) {
    const pct = `${Math.round(100 * a.denseFraction)} % of it above ${DENSE_HU} HU`;
    return f.touchesBorder || f.pleuraDistanceMm <= 3
      ? `bone at the chest wall (${pct})`
      : `densely calcified: benign calcification pattern (${pct}; Lung-RADS 1), not a suspicious nodule`;
  }
  if (f.touchesBorder && a.shellAirFraction < STRUCTURE_MAX_SHELL_AIR) {
    const where = a.mediastinumMm < 15 ? 'hilum or mediastinum' : 'chest wall, diaphragm or a central vessel';
    return `part of a larger structure (${where}): it continues beyond its box and has ${air}`;
  }
  if (a.mediastinumMm < MEDIASTINUM_NEAR_MM && a.shellAirFraction < MEDIASTINUM_MAX_SHELL_AIR) {
    return `on the mediastinal surface (${a.mediastinumMm.toFixed(1)} mm) with ${air}: hilar vessel or mediastinum`;
  }
  return null;
}
