// Shape and intensity descriptors of a segmented region on a (possibly anisotropic) grid.
import type { Vec3 } from '../../shared/geometry';
import type { Grid } from '../voxel/grid';
import { symmetricEigenvalues3 } from '../voxel/symmetricEigen3';

export interface RegionFeatures {
  voxelCount: number;
  volumeMm3: number;
  /** Diameter of the sphere of equal volume (mm). */
  equivalentDiameterMm: number;
  /** Centroid in (fractional) crop voxel indices. */
  centroidIjk: Vec3;
  /** Fraction of the region inside the equal-volume sphere at its centroid: 1 for a ball, low for tubes. */
  sphericity: number;
  /** sqrt(largest / smallest principal variance): 1 for a ball, large for a tube. */
  elongation: number;
  meanHU: number;
  stdHU: number;
  maxHU: number;
}

export function regionFeatures(data: Float32Array, grid: Grid, mask: Uint8Array): RegionFeatures | null {
  const [nx, ny] = grid.dims;
  const [sx, sy, sz] = grid.spacing;
  let n = 0, cx = 0, cy = 0, cz = 0, sum = 0, sum2 = 0, max = -Infinity;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    const i = p % nx, j = Math.floor(p / nx) % ny, k = Math.floor(p / (nx * ny));
    n++; cx += i; cy += j; cz += k;
    const v = data[p];
    sum += v; sum2 += v * v; if (v > max) max = v;
  }
  if (n === 0) return null;
  cx /= n; cy /= n; cz /= n;
  const voxelMm3 = sx * sy * sz;
  const volumeMm3 = n * voxelMm3;
  const rEq = Math.cbrt((3 * volumeMm3) / (4 * Math.PI));
  let xx = 0, yy = 0, zz = 0, xy = 0, xz = 0, yz = 0, inside = 0;
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    const dx = ((p % nx) - cx) * sx, dy = ((Math.floor(p / nx) % ny) - cy) * sy, dz = (Math.floor(p / (nx * ny)) - cz) * sz;
    xx += dx * dx; yy += dy * dy; zz += dz * dz; xy += dx * dy; xz += dx * dz; yz += dy * dz;
    if (dx * dx + dy * dy + dz * dz <= rEq * rEq) inside++;
  }
  const ev = new Float64Array(3);
  // Add the variance of a uniform voxel (s²/12) so that single-voxel-thick regions are not degenerate.
  symmetricEigenvalues3(xx / n + (sx * sx) / 12, yy / n + (sy * sy) / 12, zz / n + (sz * sz) / 12, xy / n, xz / n, yz / n, ev);
  const mean = sum / n;
  return {
    voxelCount: n,
    volumeMm3,
    equivalentDiameterMm: 2 * rEq,
    centroidIjk: [cx, cy, cz],
    sphericity: inside / n,
    elongation: Math.sqrt(Math.abs(ev[0]) / Math.max(1e-9, Math.abs(ev[2]))),
    meanHU: mean,
    stdHU: Math.sqrt(Math.max(0, sum2 / n - mean * mean)),
    maxHU: max,
  };
}
