// A voxel grid described by its size and spacing only (mm); voxel (i,j,k) is at index i + nx*(j + ny*k).
import type { Vec3 } from '../../shared/geometry';

export interface Grid {
  dims: Vec3;
  spacing: Vec3;
}

export function gridSize(g: Grid): number {
  return g.dims[0] * g.dims[1] * g.dims[2];
}

/** A sub-box of a grid, inclusive min, exclusive max, in voxel indices. */
export interface Box {
  min: Vec3;
  max: Vec3;
}

export function clampBox(b: Box, dims: Vec3): Box {
  const min: Vec3 = [0, 0, 0];
  const max: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    min[a] = Math.max(0, Math.min(dims[a], Math.floor(b.min[a])));
    max[a] = Math.max(min[a], Math.min(dims[a], Math.ceil(b.max[a])));
  }
  return { min, max };
}

/** Copy a box out of a volume (any typed array with numeric elements) into a Float32Array. */
export function cropToFloat(src: ArrayLike<number>, dims: Vec3, box: Box): { data: Float32Array; dims: Vec3 } {
  const [nx, ny] = dims;
  const cd: Vec3 = [box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]];
  const out = new Float32Array(cd[0] * cd[1] * cd[2]);
  let o = 0;
  for (let k = box.min[2]; k < box.max[2]; k++) {
    for (let j = box.min[1]; j < box.max[1]; j++) {
      const base = box.min[0] + nx * (j + ny * k);
      for (let i = 0; i < cd[0]; i++) out[o++] = src[base + i];
    }
  }
  return { data: out, dims: cd };
}

export function cropMask(src: Uint8Array, dims: Vec3, box: Box): Uint8Array {
  const [nx, ny] = dims;
  const cd: Vec3 = [box.max[0] - box.min[0], box.max[1] - box.min[1], box.max[2] - box.min[2]];
  const out = new Uint8Array(cd[0] * cd[1] * cd[2]);
  let o = 0;
  for (let k = box.min[2]; k < box.max[2]; k++) {
    for (let j = box.min[1]; j < box.max[1]; j++) {
      const base = box.min[0] + nx * (j + ny * k);
      out.set(src.subarray(base, base + cd[0]), o);
      o += cd[0];
    }
  }
  return out;
}

/**
 * Euclidean distance (mm, isotropic grid of spacing h) from voxel c to the nearest voxel where mask = 0, searched
 * in growing cubes up to capMm (returns capMm when none is nearer). Exact within the cap: the search stops once the
 * next cube can only hold farther voxels. For a few hundred points this is far cheaper than a whole-grid transform.
 */
export function distanceToOutside(mask: Uint8Array, dims: Vec3, h: number, c: Vec3, capMm: number): number {
  const [nx, ny, nz] = dims;
  const ci = Math.round(c[0]), cj = Math.round(c[1]), ck = Math.round(c[2]);
  const inGrid = (i: number, j: number, k: number): boolean => i >= 0 && j >= 0 && k >= 0 && i < nx && j < ny && k < nz;
  if (!inGrid(ci, cj, ck) || !mask[ci + nx * (cj + ny * ck)]) return 0;
  let best2 = (capMm / h) ** 2;
  const rMax = Math.ceil(capMm / h);
  for (let r = 1; r <= rMax && r * r < best2; r++)
    for (let k = ck - r; k <= ck + r; k++)
      for (let j = cj - r; j <= cj + r; j++) {
        const onFace = k === ck - r || k === ck + r || j === cj - r || j === cj + r;
        for (let i = ci - r; i <= ci + r; i += onFace ? 1 : 2 * r) {
          if (!inGrid(i, j, k) || mask[i + nx * (j + ny * k)]) continue;
          const d2 = (i - ci) ** 2 + (j - cj) ** 2 + (k - ck) ** 2;
          if (d2 < best2) best2 = d2;
        }
      }
  return Math.min(capMm, Math.sqrt(best2) * h);
}
