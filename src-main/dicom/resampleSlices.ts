// Phase 2 of a resampled volume (irregular spacing, gantry tilt): each output plane is the linear blend of the
// two acquired slices around it along the normal, each first shifted in-plane onto the output grid (bilinear).
// A sample that needs a pixel outside its slice or a no-data pixel (padding) is no data. Slices are decoded
// once each, in order, and only the two in use are kept.
import { NO_DATA_HU } from './checkGeometry';
import type { ResamplePlan, SliceRef } from './types';

export interface PlaneRange {
  min: number;
  max: number;
  bytesRead: number;
}

/** Decodes one acquired slice to HU (rows x columns, NO_DATA_HU for padding); returns the bytes read. */
export type SliceReader = (slice: SliceRef, out: Int16Array) => Promise<number>;

export class ResampledPlanes {
  /** Source index -> that slice on the output plane grid (NaN: no data). */
  private readonly shifted = new Map<number, Float64Array>();
  private readonly decoded: Int16Array;

  constructor(
    private readonly plan: ResamplePlan,
    private readonly dims: readonly [number, number, number],
    private readonly sourceDims: readonly [number, number],
    private readonly read: SliceReader,
  ) {
    this.decoded = new Int16Array(sourceDims[0] * sourceDims[1]);
  }

  /** Writes output plane k to out[offset ... offset + plane) and returns its HU range. */
  async fill(k: number, out: Int16Array, offset: number): Promise<PlaneRange> {
    const plane = this.dims[0] * this.dims[1];
    const blend = this.plan.planes[k];
    if (!blend) {
      out.fill(NO_DATA_HU, offset, offset + plane);
      return { min: NO_DATA_HU, max: NO_DATA_HU, bytesRead: 0 };
    }
    for (const idx of this.shifted.keys()) if (idx < blend.a) this.shifted.delete(idx);
    let bytesRead = 0;
    const load = async (idx: number): Promise<Float64Array> => {
      let p = this.shifted.get(idx);
      if (!p) {
        bytesRead += await this.read(this.plan.sources[idx], this.decoded);
        p = shiftOntoGrid(this.decoded, this.sourceDims, this.plan.origins[idx], this.dims);
        this.shifted.set(idx, p);
      }
      return p;
    };
    const a = await load(blend.a);
    const b = blend.w === 0 ? a : await load(blend.b);
    const w = blend.w;
    let min = Infinity;
    let max = -Infinity;
    for (let v = 0; v < plane; v++) {
      const x = w === 0 ? a[v] : (1 - w) * a[v] + w * b[v];
      const hu = Number.isNaN(x) ? NO_DATA_HU : Math.round(x);
      out[offset + v] = hu;
      if (hu < min) min = hu;
      if (hu > max) max = hu;
    }
    return { min, max, bytesRead };
  }
}

/** Splits a shift into whole voxels and a fraction in [0, 1), treating near-integers as exact. */
function split(v: number): [number, number] {
  const r = Math.round(v);
  if (Math.abs(v - r) < 1e-6) return [r, 0];
  const f = Math.floor(v);
  return [f, v - f];
}

/**
 * Samples a decoded slice whose pixel (0, 0) lies at `origin` (output voxels) at every output voxel (i, j):
 * source position (i - origin[0], j - origin[1]), bilinear. Taps of zero weight are not read.
 */
export function shiftOntoGrid(src: Int16Array, sourceDims: readonly [number, number], origin: readonly [number, number], dims: readonly [number, number, number]): Float64Array {
  const [cols, rows] = sourceDims;
  const out = new Float64Array(dims[0] * dims[1]);
  const [ix, fx] = split(-origin[0]);
  const [iy, fy] = split(-origin[1]);
  const tap = (x: number, y: number): number => {
    if (x < 0 || y < 0 || x >= cols || y >= rows) return NaN;
    const v = src[x + cols * y];
    return v === NO_DATA_HU ? NaN : v;
  };
  for (let j = 0; j < dims[1]; j++) {
    const y = j + iy;
    for (let i = 0; i < dims[0]; i++) {
      const x = i + ix;
      let v = (1 - fx) * tap(x, y);
      if (fx > 0) v += fx * tap(x + 1, y);
      if (fy > 0) {
        let u = (1 - fx) * tap(x, y + 1);
        if (fx > 0) u += fx * tap(x + 1, y + 1);
        v = (1 - fy) * v + fy * u;
      }
      out[i + dims[0] * j] = v;
    }
  }
  return out;
}
