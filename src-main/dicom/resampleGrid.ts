// Plans the regular grid for a stack that is not one: irregular spacing along the normal (planes blended
// linearly from the two acquired slices around them) and gantry tilt (slices shifted in-plane onto an
// orthonormal grid, which is widened so that no acquired pixel falls outside it). Pure maths, LPS mm.
import type { Vec3, VolumeGeometry } from '../shared/geometry';
import type { PlaneBlend, SliceRef } from './types';

export interface ResampledLayout {
  kind: 'resampled';
  /** Acquired slices, ascending along the normal. */
  sources: SliceRef[];
  /** Offset of each source's origin from the first one's, in mm along the row and column directions. */
  shiftMm: [number, number][];
  planes: (PlaneBlend | null)[];
  depth: number;
  stepMm: number;
  normal: Vec3;
}

/** Gaps wider than this many grid steps are not interpolated: their planes hold no data. */
export const MAX_INTERPOLATED_GAP_STEPS = 2;

/** Relative tolerance of "the same gap" and "on an acquired slice": 1 % of the step plus 5 µm of header rounding. */
export const positionTolerance = (step: number): number => 0.01 * step + 0.005;

/**
 * The grid step for irregular gaps (mm): the most common gap (gaps within tolerance count as one; ties go to
 * the smaller), or the median when no gap repeats. A step that would make the grid more than four times as
 * deep as the stack (a rare tiny gap) gives way to the median.
 */
export function gridStep(gaps: number[]): number {
  const sorted = [...gaps].sort((a, b) => a - b);
  const median = sorted.length % 2 ? sorted[sorted.length >> 1] : (sorted[(sorted.length >> 1) - 1] + sorted[sorted.length >> 1]) / 2;
  let best = median;
  let bestCount = 1;
  for (const g of sorted) {
    const members = sorted.filter((h) => Math.abs(h - g) <= positionTolerance(g));
    if (members.length > bestCount) {
      bestCount = members.length;
      best = members.reduce((s, h) => s + h, 0) / members.length;
    }
  }
  const extent = gaps.reduce((s, g) => s + g, 0);
  return extent / best > 4 * (gaps.length + 1) ? median : best;
}

export interface InterpolatedPlanes {
  planes: (PlaneBlend | null)[];
  /** Planes blended from two slices (not on an acquired position). */
  interpolated: number;
  /** Planes in gaps wider than MAX_INTERPOLATED_GAP_STEPS steps. */
  noData: number;
}

/** Planes every `step` mm from the first position (`pos` ascending, mm along the normal). */
export function interpolatedPlanes(pos: number[], step: number): InterpolatedPlanes {
  const tol = positionTolerance(step);
  const depth = Math.floor((pos[pos.length - 1] - pos[0] + tol) / step) + 1;
  const planes: (PlaneBlend | null)[] = [];
  let interpolated = 0;
  let noData = 0;
  let a = 0;
  for (let k = 0; k < depth; k++) {
    const q = pos[0] + k * step;
    while (a + 1 < pos.length && pos[a + 1] <= q + tol) a++;
    if (Math.abs(q - pos[a]) <= tol) planes.push({ a, b: a, w: 0 });
    else if (a + 1 >= pos.length || pos[a + 1] - pos[a] > MAX_INTERPOLATED_GAP_STEPS * step + tol) {
      planes.push(null);
      noData++;
    } else {
      planes.push({ a, b: a + 1, w: (q - pos[a]) / (pos[a + 1] - pos[a]) });
      interpolated++;
    }
  }
  return { planes, interpolated, noData };
}

/** Snaps values within a millionth of a voxel of an integer, so unshifted pixels are copied exactly. */
const snap = (v: number): number => (Math.abs(v - Math.round(v)) < 1e-6 ? Math.round(v) : v);

export interface ResampledGrid {
  geometry: VolumeGeometry;
  /** Where each source's pixel (0, 0) lies in the output plane, in voxels [i, j]. */
  origins: [number, number][];
}

/**
 * The orthonormal grid (i along the rows, j along the columns, k along the normal) that holds every source
 * slice: the first slice's grid, widened on each side by whole voxels to cover the others' in-plane shifts.
 */
export function resampledGeometry(layout: ResampledLayout, columns: number, rows: number): ResampledGrid {
  const s0 = layout.sources[0];
  const dirI = unit(s0.iop[0], s0.iop[1], s0.iop[2]);
  const dirJ = unit(s0.iop[3], s0.iop[4], s0.iop[5]);
  // PixelSpacing is [between rows, between columns]: i steps between columns.
  const si = s0.pixelSpacing[1];
  const sj = s0.pixelSpacing[0];
  const off = layout.shiftMm.map(([di, dj]) => [snap(di / si), snap(dj / sj)] as [number, number]);
  const lo = [Math.floor(Math.min(...off.map((o) => o[0]))), Math.floor(Math.min(...off.map((o) => o[1])))];
  const hi = [Math.ceil(Math.max(...off.map((o) => o[0]))), Math.ceil(Math.max(...off.map((o) => o[1])))];
  const n = layout.normal;
  const origin: Vec3 = [0, 1, 2].map((a) => s0.ipp[a] + lo[0] * si * dirI[a] + lo[1] * sj * dirJ[a]) as Vec3;
  return {
    geometry: {
      dims: [columns + hi[0] - lo[0], rows + hi[1] - lo[1], layout.depth],
      spacing: [si, sj, layout.stepMm],
      origin,
      direction: [dirI[0], dirI[1], dirI[2], dirJ[0], dirJ[1], dirJ[2], n[0], n[1], n[2]],
    },
    origins: off.map(([i, j]) => [i - lo[0], j - lo[1]]),
  };
}

function unit(x: number, y: number, z: number): Vec3 {
  const l = Math.hypot(x, y, z);
  return [x / l, y / l, z / l];
}
