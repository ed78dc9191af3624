// The import's limits and sanity rules, in one place. Every file is checked on its own (phase 1, in the worker)
// before it can join a series, and every planned volume before a byte of it is built; a violation rejects the
// file (or refuses the series part) with a code and a reason naming the file, tag and value. Never a crash,
// never a multi-gigabyte allocation, never a silently wrong HU.
import os from 'node:os';
import type { RejectCode } from '../shared/errorCodes';
import type { VolumeGeometry } from '../shared/geometry';
import { dot } from '../shared/geometry';
import { sliceNormal } from './sortSlices';
import type { DicomHeader, InvalidAttribute, SliceRef } from './types';

export type { InvalidAttribute };

export const LIMITS = {
  /** Rows and Columns of one image (CT is 512, large-field or micro-CT up to 2048). */
  maxRowsColumns: 4096,
  /** Frames of one multi-frame object (Enhanced CT of a whole body: a few thousand). */
  maxFrames: 16384,
  /** Planes of one volume. */
  maxDepth: 8192,
  /** A file read whole (DICOMDIR, deflated or encapsulated data sets) or inflated may be at most this big. */
  maxWholeFileBytes: 1 << 30,
  /** A deflated data set may inflate to at most this (a deflate bomb is a few MB inflating to gigabytes). */
  maxInflatedBytes: 512 << 20,
  /** |coordinate| of ImagePositionPatient, mm (scanner tables move well under 10 m). */
  maxPositionMm: 100_000,
  /** Extent of one series along its slice normal, mm: a whole body is under 2.2 m. */
  maxExtentMm: 2500,
  /** PixelSpacing, mm: positive and at most this. */
  maxPixelSpacingMm: 50,
  /** |RescaleIntercept| and the HU reach of RescaleSlope for CT. */
  maxAbsIntercept: 32768,
  maxAbsSlope: 4096,
  /** Direction cosines: unit length and orthogonal within this. */
  cosineTolerance: 1e-2,
} as const;

/** Bytes one volume (int16) may take: what the viewer and CAD must hold in memory, a quarter of this machine's. */
export function maxVolumeBytes(): number {
  return Math.min(4 * 2 ** 30, Math.floor(os.totalmem() / 4));
}

export class RejectedFile extends Error {
  constructor(
    readonly code: RejectCode,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'RejectedFile';
  }
}

export interface Rejection {
  code: RejectCode;
  reason: string;
}


const tagOf = (t: string): string => `${t.slice(1, 5)},${t.slice(5)}`.toUpperCase();
export const tagName = tagOf;

/** NumberOfFrames is checked before one frame entry is made (a bogus 2^32 would otherwise never finish). */
export function checkFrameCount(n: number, raw: string | null): void {
  if (raw !== null && (!Number.isInteger(n) || n < 1 || n > LIMITS.maxFrames)) {
    throw new RejectedFile('limit_exceeded', `NumberOfFrames (0028,0008) = ${raw.slice(0, 32)}: must be 1-${LIMITS.maxFrames}`);
  }
}

const INVALID_CODE: Record<string, RejectCode> = {
  RescaleSlope: 'bad_rescale',
  RescaleIntercept: 'bad_rescale',
};

/** The per-file rules: pixel format, value transform and plane geometry of every frame. */
export function validateHeader(h: DicomHeader): Rejection | null {
  const bad = h.invalid[0];
  if (bad) return { code: INVALID_CODE[bad.name] ?? 'bad_geometry', reason: `${bad.name} (${bad.tag}) = "${bad.value.slice(0, 64)}" is not a valid value` };
  const p = h.pixel;
  if (!p) return null;
  const max = LIMITS.maxRowsColumns;
  if (p.rows < 1 || p.rows > max) return { code: 'limit_exceeded', reason: `Rows (0028,0010) = ${p.rows}: must be 1-${max}` };
  if (p.columns < 1 || p.columns > max) return { code: 'limit_exceeded', reason: `Columns (0028,0011) = ${p.columns}: must be 1-${max}` };
  if (![1, 8, 16, 32].includes(p.bitsAllocated)) return { code: 'bad_pixel_format', reason: `BitsAllocated (0028,0100) = ${p.bitsAllocated}: must be 1, 8, 16 or 32` };
  if (p.bitsStored < 1 || p.bitsStored > p.bitsAllocated) {
    return { code: 'bad_pixel_format', reason: `BitsStored (0028,0101) = ${p.bitsStored}: must be 1-${p.bitsAllocated} (BitsAllocated)` };
  }
  if (p.highBit < p.bitsStored - 1 || p.highBit >= p.bitsAllocated) {
    return { code: 'bad_pixel_format', reason: `HighBit (0028,0102) = ${p.highBit}: must be ${p.bitsStored - 1}-${p.bitsAllocated - 1} (BitsStored ${p.bitsStored}, BitsAllocated ${p.bitsAllocated})` };
  }
  if (p.pixelRepresentation !== 0 && p.pixelRepresentation !== 1) {
    return { code: 'bad_pixel_format', reason: `PixelRepresentation (0028,0103) = ${p.pixelRepresentation}: must be 0 (unsigned) or 1 (signed)` };
  }
  if (![1, 3, 4].includes(p.samplesPerPixel)) return { code: 'bad_pixel_format', reason: `SamplesPerPixel (0028,0002) = ${p.samplesPerPixel}: must be 1, 3 or 4` };
  const imageBytes = (p.rows * p.columns * p.samplesPerPixel * p.bitsAllocated * p.numberOfFrames) / 8;
  if (imageBytes > maxVolumeBytes()) {
    return { code: 'limit_exceeded', reason: `${p.columns}x${p.rows}x${p.numberOfFrames} frames of ${p.bitsAllocated} bits = ${mb(imageBytes)} MB of pixels, over the ${mb(maxVolumeBytes())} MB limit` };
  }
  for (let f = 0; f < h.frames.length; f++) {
    const r = validateFrame(h, f);
    if (r) return r;
  }
  return null;
}

const mb = (b: number): string => (b / 2 ** 20).toFixed(0);
const at = (h: DicomHeader, f: number): string => (h.frames.length > 1 ? ` (frame ${f + 1})` : '');

function validateFrame(h: DicomHeader, f: number): Rejection | null {
  const g = h.frames[f];
  if (h.modality === 'CT') {
    if (!(Math.abs(g.rescaleSlope) <= LIMITS.maxAbsSlope) || g.rescaleSlope === 0) {
      return { code: 'bad_rescale', reason: `RescaleSlope (0028,1053) = ${g.rescaleSlope}${at(h, f)}: a CT slope must be non-zero and at most ${LIMITS.maxAbsSlope}` };
    }
    if (!(Math.abs(g.rescaleIntercept) <= LIMITS.maxAbsIntercept)) {
      return { code: 'bad_rescale', reason: `RescaleIntercept (0028,1052) = ${g.rescaleIntercept}${at(h, f)}: outside ±${LIMITS.maxAbsIntercept}, every voxel would clamp to one HU` };
    }
  }
  if (g.ipp && g.ipp.some((v) => !(Math.abs(v) <= LIMITS.maxPositionMm))) {
    return { code: 'bad_geometry', reason: `ImagePositionPatient (0020,0032) = ${g.ipp.join('\\')}${at(h, f)}: coordinates must be finite and within ±${LIMITS.maxPositionMm} mm` };
  }
  if (g.pixelSpacing && g.pixelSpacing.some((v) => !(v > 0 && v <= LIMITS.maxPixelSpacingMm))) {
    return { code: 'bad_geometry', reason: `PixelSpacing (0028,0030) = ${g.pixelSpacing.join('\\')}${at(h, f)}: must be positive and at most ${LIMITS.maxPixelSpacingMm} mm` };
  }
  if (g.iop) {
    const [a, b, c, d, e, k] = g.iop;
    const tol = LIMITS.cosineTolerance;
    const unitRow = Math.abs(Math.hypot(a, b, c) - 1) <= tol;
    const unitCol = Math.abs(Math.hypot(d, e, k) - 1) <= tol;
    const orthogonal = Math.abs(a * d + b * e + c * k) <= tol;
    if (!unitRow || !unitCol || !orthogonal) {
      return { code: 'bad_geometry', reason: `ImageOrientationPatient (0020,0037) = ${g.iop.join('\\')}${at(h, f)}: row and column cosines must be unit vectors at right angles` };
    }
  }
  return null;
}

/** The rules for a planned grid: finite, positive spacing, a body-sized extent, a size this machine can hold. */
export function validateGrid(g: VolumeGeometry): string | null {
  const [x, y, z] = g.dims;
  if (![x, y, z].every((n) => Number.isInteger(n) && n >= 1)) return `grid dimensions ${g.dims.join('x')} are not positive integers`;
  if (!g.spacing.every((s) => Number.isFinite(s) && s > 0)) return `grid spacing ${g.spacing.join(', ')} mm is not finite and positive`;
  if (![...g.origin, ...g.direction].every(Number.isFinite)) return 'grid origin or direction is not finite';
  if (z > LIMITS.maxDepth) return `${z} planes, over the limit of ${LIMITS.maxDepth}`;
  if (z * g.spacing[2] > LIMITS.maxExtentMm) return `${(z * g.spacing[2]).toFixed(0)} mm along the slice normal, over the ${LIMITS.maxExtentMm} mm a body can span`;
  const bytes = x * y * z * 2;
  if (bytes > maxVolumeBytes()) return `${x}x${y}x${z} voxels (${mb(bytes)} MB) are over the ${mb(maxVolumeBytes())} MB a volume may take on this machine`;
  return null;
}

/**
 * Slices lying further from the series' median position (along the slice normal) than half the body-sized
 * extent: one stray header (+5000 mm) must not stretch the grid to thousands of empty planes. Returns the
 * rejected files with the reason; the caller leaves them out and builds the rest.
 */
export function positionOutliers(slices: SliceRef[]): (Rejection & { file: string })[] {
  if (slices.length < 3) return [];
  const n = sliceNormal(slices[0].iop);
  const pos = slices.map((s) => dot(s.ipp, n));
  const sorted = [...pos].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  const half = LIMITS.maxExtentMm / 2;
  const out: (Rejection & { file: string })[] = [];
  const seen = new Set<string>();
  slices.forEach((s, i) => {
    const d = pos[i] - median;
    if (Math.abs(d) <= half || seen.has(s.file)) return;
    seen.add(s.file);
    out.push({
      file: s.file,
      code: 'bad_geometry',
      reason: `ImagePositionPatient (0020,0032) = ${s.ipp.join('\\')} lies ${d.toFixed(0)} mm from the series' median slice position, beyond the ${LIMITS.maxExtentMm} mm a body spans: left out`,
    });
  });
  return out;
}
