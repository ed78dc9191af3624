// Slices are ordered by their position projected on the slice normal (row x column direction cosines),
// never by Instance Number or file name, which scanners and exports do not keep consistent.
import { cross, dot, type Vec3 } from '../shared/geometry';
import type { SliceRef } from './types';

export function sliceNormal(iop: readonly number[]): Vec3 {
  const n = cross([iop[0], iop[1], iop[2]], [iop[3], iop[4], iop[5]]);
  const len = Math.hypot(n[0], n[1], n[2]);
  return [n[0] / len, n[1] / len, n[2] / len];
}

export interface SortedSlices {
  normal: Vec3;
  slices: SliceRef[];
  /** dot(IPP, normal) of each sorted slice, ascending (mm). */
  positions: number[];
}

export function sortSlices(slices: SliceRef[]): SortedSlices {
  if (slices.length === 0) throw new Error('sortSlices: no slices');
  const normal = sliceNormal(slices[0].iop);
  const keyed = slices.map((s) => ({ s, p: dot(s.ipp, normal) }));
  // Ties (duplicate positions) keep a deterministic order: Instance Number, then SOP UID.
  keyed.sort((a, b) => a.p - b.p || (a.s.instanceNumber ?? 0) - (b.s.instanceNumber ?? 0) || (a.s.sopInstanceUID < b.s.sopInstanceUID ? -1 : 1));
  return { normal, slices: keyed.map((k) => k.s), positions: keyed.map((k) => k.p) };
}
