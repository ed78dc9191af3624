// Phase 2: fills the planned grid with HU, slice by slice (or, for irregular or tilted stacks, plane by plane
// interpolated from the acquired slices: resampleSlices.ts). A slice that cannot be read raises SliceError
// naming its file, so the pipeline can report it and plan again without it. buildVolume returns the whole
// volume in memory; streamVolume hands it out in slabs (a few slices) so it never has to be held whole.
import type { HuVolume } from '../shared/geometry';
import { errorMessage } from '../shared/errorCodes';
import { voxelCount } from '../shared/geometry';
import { NO_DATA_HU } from './checkGeometry';
import { ParsedFileCache, readFrame, readFrameInto, readsInPlace } from './readFrame';
import { Simd16 } from './simd16';
import { storedToHu } from './storedToHu';
import { ResampledPlanes } from './resampleSlices';
import type { SliceRef, VolumePlan } from './types';

export class SliceError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'SliceError';
  }
}

export interface BuiltVolume {
  volume: HuVolume;
  minHU: number;
  maxHU: number;
  bytesRead: number;
}

export interface BuildProgress {
  slicesDone: number;
  slicesTotal: number;
  bytesRead: number;
}

interface Range {
  min: number;
  max: number;
  bytesRead: number;
}

/** Fills slice k of the plan into out[offset ... offset + plane). */
async function fillSlice(plan: VolumePlan, k: number, out: Int16Array, offset: number, cache: ParsedFileCache, simd: Simd16 | null): Promise<Range> {
  const plane = plan.geometry.dims[0] * plan.geometry.dims[1];
  const s = plan.slices[k];
  if (!s) {
    out.fill(NO_DATA_HU, offset, offset + plane);
    return { min: NO_DATA_HU, max: NO_DATA_HU, bytesRead: 0 };
  }
  return readSlice(plan, s, plane, out, offset, cache, simd);
}

/** Decodes one acquired slice to HU into out[offset ... offset + plane); `plane` must be its rows x columns. */
async function readSlice(plan: VolumePlan, s: SliceRef, plane: number, out: Int16Array, offset: number, cache: ParsedFileCache, simd: Simd16 | null): Promise<Range> {
  const info = plan.files[s.file];
  if (!info) throw new SliceError(s.file, 'no pixel data location from phase 1');
  try {
    if (info.pixel.rows * info.pixel.columns !== plane) throw new Error(`image is ${info.pixel.columns}x${info.pixel.rows}, the volume plane ${plane} voxels`);
    if (readsInPlace(info)) {
      // The common case: the stored words go straight into their place in the volume and are converted there.
      const at = out.byteOffset + 2 * offset;
      const bytesRead = readFrameInto(s.file, info, s.frameIndex, new Uint8Array(out.buffer, at, 2 * plane));
      const words = info.pixel.pixelRepresentation === 1 ? new Int16Array(out.buffer, at, plane) : new Uint16Array(out.buffer, at, plane);
      const shift = Math.max(0, info.pixel.highBit + 1 - info.pixel.bitsStored);
      const r = storedToHu(words, info.pixel, s.rescaleSlope, s.rescaleIntercept, out, offset, shift, simd ?? undefined);
      return { ...r, bytesRead };
    }
    const frame = await readFrame(s.file, info, s.frameIndex, cache);
    const r = storedToHu(frame.values, info.pixel, s.rescaleSlope, s.rescaleIntercept, out, offset, frame.shift);
    return { ...r, bytesRead: frame.bytesRead };
  } catch (e) {
    if (e instanceof SliceError) throw e;
    throw new SliceError(s.file, errorMessage(e));
  }
}

export async function buildVolume(plan: VolumePlan, onProgress?: (p: BuildProgress) => void, signal?: AbortSignal): Promise<BuiltVolume> {
  const g = plan.geometry;
  const voxels = new Int16Array(voxelCount(g));
  const r = await streamVolume(plan, async () => {}, { onProgress, isCancelled: () => signal?.aborted === true, slab: voxels });
  return { volume: { voxels, geometry: g }, minHU: r.minHU, maxHU: r.maxHU, bytesRead: r.bytesRead };
}

export interface StreamOptions {
  onProgress?: (p: BuildProgress) => void;
  /** Polled before every slice (a worker reads a shared flag here: no event-loop turn needed to see a cancel). */
  isCancelled?: () => boolean;
  /** Slices per slab (default: 8 MB worth). */
  slabSlices?: number;
  /** Fill this one buffer (the whole volume) instead of rotating slab buffers. */
  slab?: Int16Array;
}

export interface StreamResult {
  minHU: number;
  maxHU: number;
  bytesRead: number;
}

/** Slab buffers in rotation: one being filled while up to this many minus one are being written. */
const SLAB_BUFFERS = 3;
const SLAB_BYTES = 8 << 20;

/**
 * Fills the volume slab by slab and calls `write(slab, byteOffset, pageAligned)` for each, in order; the returned
 * promise (the write) may still run while the next slab is filled. `pageAligned`: the slab's memory starts on a
 * page boundary (so O_DIRECT can write it). Every write has settled when this returns or throws.
 */
export async function streamVolume(
  plan: VolumePlan,
  write: (slab: Int16Array, byteOffset: number, pageAligned: boolean) => Promise<void>,
  opts: StreamOptions = {},
): Promise<StreamResult> {
  const plane = plan.geometry.dims[0] * plan.geometry.dims[1];
  const depth = plan.geometry.dims[2];
  if (!plan.resample && plan.slices.length !== depth) throw new Error(`plan lists ${plan.slices.length} slices for ${depth} planes`);
  const whole = opts.slab;
  if (whole && whole.length !== plane * depth) throw new Error(`slab holds ${whole.length} voxels, the volume ${plane * depth}`);
  const perSlab = whole ? depth : Math.max(1, Math.min(depth, opts.slabSlices ?? Math.floor(SLAB_BYTES / (2 * plane))));
  // Slab buffers live in a WebAssembly memory where SIMD is available (the conversion then runs there).
  const simd = whole ? null : Simd16.create(SLAB_BUFFERS, perSlab * plane);
  const buffers: Int16Array[] = [];
  const writes: (Promise<void> | null)[] = new Array(SLAB_BUFFERS).fill(null);
  const cache = new ParsedFileCache();
  // Irregular or tilted stacks: planes are interpolated from the acquired slices (decoded outside the slab).
  const resampled = plan.resample
    ? new ResampledPlanes(plan.resample, plan.geometry.dims, [plan.pixel.columns, plan.pixel.rows], async (s, out) => (await readSlice(plan, s, out.length, out, 0, cache, null)).bytesRead)
    : null;
  let min = Infinity;
  let max = -Infinity;
  let bytesRead = 0;
  try {
    for (let first = 0, n = 0; first < depth; first += perSlab, n++) {
      const b = n % SLAB_BUFFERS;
      await writes[b]; // this buffer's previous write must be done before it is filled again
      const buf = whole ?? (buffers[b] ??= simd ? simd.alloc(perSlab * plane) : new Int16Array(perSlab * plane));
      const count = Math.min(perSlab, depth - first);
      for (let j = 0; j < count; j++) {
        if (opts.isCancelled?.()) throw new Error('cancelled');
        const k = first + j;
        const at = (whole ? k : j) * plane;
        const r = resampled ? await resampled.fill(k, buf, at) : await fillSlice(plan, k, buf, at, cache, simd);
        if (r.min < min) min = r.min;
        if (r.max > max) max = r.max;
        bytesRead += r.bytesRead;
        opts.onProgress?.({ slicesDone: k + 1, slicesTotal: depth, bytesRead });
      }
      const w = write(buf.subarray(0, count * plane), 2 * first * plane, simd !== null);
      w.catch(() => {}); // awaited below; this only keeps a failed write from counting as unhandled meanwhile
      writes[b] = w;
    }
    for (const w of writes) await w;
  } finally {
    await Promise.allSettled(writes);
  }
  return { minHU: min, maxHU: max, bytesRead };
}
