// Checks that sorted slices form a regular grid. Problems become Warnings; nothing is silently stretched:
// missing slices keep their place in the grid (filled with NO_DATA_HU and named in the warning); irregular
// spacing and gantry tilt are resampled onto a regular orthonormal grid (resampleGrid.ts), and the warning says
// exactly how; mixed orientations leave the part without a volume.
import { dot, type Vec3 } from '../shared/geometry';
import type { Warning } from '../shared/types';
import { gridStep, interpolatedPlanes, MAX_INTERPOLATED_GAP_STEPS, positionTolerance, type ResampledLayout } from './resampleGrid';
import type { SortedSlices } from './sortSlices';
import type { PlaneBlend, SliceRef } from './types';

/** Value written where the grid has no data (missing slices, Pixel Padding): below any tissue, shown black. */
export const NO_DATA_HU = -2048;

/** Positions closer than this (mm) along the normal are the same slice position. */
const DUPLICATE_TOL_MM = 0.01;
/** Allowed deviation of one gap from the nominal step: 1 % of it plus 5 µm of rounding in the headers. */
const gapTolerance = positionTolerance;
/** In-plane drift of slice origins, as an angle, above which the stack is tilted (gantry tilt). */
const TILT_TOL_DEG = 0.1;

export interface GridLayout {
  kind: 'regular';
  /** Slices placed on the grid, ascending along the normal. */
  slices: SliceRef[];
  /** Grid index k of each placed slice (gaps where slices are missing). */
  k: number[];
  depth: number;
  stepMm: number;
  normal: Vec3;
}

export interface GeometryCheck {
  layout: GridLayout | ResampledLayout | null;
  warnings: Warning[];
}

const fmt = (v: number): string => (Math.round(v * 1000) / 1000).toString();

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function checkGeometry(sorted: SortedSlices): GeometryCheck {
  const warnings: Warning[] = [];
  const { normal } = sorted;
  if (sorted.slices.length < 2) {
    warnings.push({ code: 'single_slice', message: 'Only one image in this series part: not a volume' });
    return { layout: null, warnings };
  }
  const ref = sorted.slices[0].iop;
  const tilted = sorted.slices.filter((s) => s.iop.some((v, i) => Math.abs(v - ref[i]) > 1e-3));
  if (tilted.length > 0) {
    warnings.push({ code: 'mixed_orientation', message: `${tilted.length} of ${sorted.slices.length} frames have a different image orientation: not built as a volume` });
    return { layout: null, warnings };
  }

  // Duplicate positions: keep the first (by Instance Number), name the rest.
  const kept: SliceRef[] = [];
  const pos: number[] = [];
  const dropped: SliceRef[] = [];
  sorted.slices.forEach((s, i) => {
    if (pos.length > 0 && sorted.positions[i] - pos[pos.length - 1] < DUPLICATE_TOL_MM) dropped.push(s);
    else {
      kept.push(s);
      pos.push(sorted.positions[i]);
    }
  });
  if (dropped.length > 0) {
    warnings.push({
      code: 'duplicate_positions',
      message: `${dropped.length} image(s) share a position with another image; the first by Instance Number is used, left out: ${dropped
        .slice(0, 5)
        .map((s) => `${s.file}${s.frameIndex ? ` frame ${s.frameIndex + 1}` : ''}`)
        .join(', ')}${dropped.length > 5 ? ' …' : ''}`,
    });
  }
  if (kept.length < 2) {
    warnings.push({ code: 'single_slice', message: 'All images are at one position: not a volume' });
    return { layout: null, warnings };
  }

  // Gantry tilt: slice origins drift in-plane as they advance along the normal.
  const first = kept[0].ipp;
  const last = kept[kept.length - 1].ipp;
  const delta: Vec3 = [last[0] - first[0], last[1] - first[1], last[2] - first[2]];
  const along = dot(delta, normal);
  const perp = Math.hypot(delta[0] - along * normal[0], delta[1] - along * normal[1], delta[2] - along * normal[2]);
  const tiltDeg = (Math.atan2(perp, Math.abs(along)) * 180) / Math.PI;
  const sheared = tiltDeg > TILT_TOL_DEG;

  const gaps = pos.slice(1).map((p, i) => p - pos[i]);
  const step = median(gaps);
  const tol = gapTolerance(step);
  const k: number[] = [0];
  const missingAt: number[] = [];
  let irregular = false;
  gaps.forEach((g, i) => {
    const n = Math.round(g / step);
    if (n >= 1 && Math.abs(g - n * step) <= tol * n) {
      for (let m = 1; m < n; m++) missingAt.push(pos[i] + m * step);
      k.push(k[i] + n);
    } else {
      irregular = true;
      k.push(k[i] + Math.max(1, n));
    }
  });
  if (!irregular && missingAt.length > 0) {
    warnings.push({
      code: 'missing_slices',
      message: `${missingAt.length} slice(s) missing at ${missingAt
        .slice(0, 8)
        .map((p) => `${fmt(p)} mm`)
        .join(', ')}${missingAt.length > 8 ? ' …' : ''} along the slice normal (step ${fmt(step)} mm); their planes are filled with ${NO_DATA_HU} HU (no data)`,
    });
  }
  if (!irregular && !sheared) return { layout: { kind: 'regular', slices: kept, k, depth: k[k.length - 1] + 1, stepMm: step, normal }, warnings };

  // Not a regular grid: resample. Regular but tilted stacks keep their planes (and missing ones stay no-data).
  let planes: (PlaneBlend | null)[];
  let gridMm = step;
  if (irregular) {
    gridMm = gridStep(gaps);
    const ip = interpolatedPlanes(pos, gridMm);
    planes = ip.planes;
    const wide = ip.noData > 0 ? `; ${ip.noData} plane(s) in gaps wider than ${fmt(MAX_INTERPOLATED_GAP_STEPS * gridMm)} mm hold no data (${NO_DATA_HU} HU)` : '';
    warnings.push({
      code: 'irregular_spacing',
      message: `Slice spacing varies from ${fmt(Math.min(...gaps))} to ${fmt(Math.max(...gaps))} mm: resampled to a regular ${fmt(gridMm)} mm grid by linear interpolation between acquired slices; ${ip.interpolated} of ${planes.length} planes interpolated${wide}`,
    });
  } else {
    planes = new Array<PlaneBlend | null>(k[k.length - 1] + 1).fill(null);
    k.forEach((kk, i) => (planes[kk] = { a: i, b: i, w: 0 }));
  }
  const iop = kept[0].iop;
  const rowDir = unit([iop[0], iop[1], iop[2]]);
  const colDir = unit([iop[3], iop[4], iop[5]]);
  const shiftMm = kept.map((s): [number, number] => {
    if (!sheared) return [0, 0]; // sub-threshold drift is header rounding, as in a regular stack
    const d: Vec3 = [s.ipp[0] - first[0], s.ipp[1] - first[1], s.ipp[2] - first[2]];
    return [dot(d, rowDir), dot(d, colDir)];
  });
  if (sheared) {
    warnings.push({
      code: 'gantry_tilt',
      message: `Slices are sheared by ${fmt(tiltDeg)}° (gantry tilt): corrected by shifting each slice in-plane by its offset (up to ${fmt(perp)} mm, linear interpolation) onto an orthonormal grid along the image rows, columns and slice normal`,
    });
  }
  return { layout: { kind: 'resampled', sources: kept, shiftMm, planes, depth: planes.length, stepMm: gridMm, normal }, warnings };
}

function unit(v: Vec3): Vec3 {
  const l = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / l, v[1] / l, v[2] / l];
}
