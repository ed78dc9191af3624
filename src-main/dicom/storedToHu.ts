// Stored pixel values -> int16 Hounsfield units: BitsStored masking and sign extension (Pixel Representation),
// Pixel Padding (-> NO_DATA_HU), Rescale Slope/Intercept, rounding and clamping to the int16 range.
import { NO_DATA_HU } from './checkGeometry';
import type { Simd16 } from './simd16';
import type { PixelInfo } from './types';

export type StoredArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

export interface HuRange {
  min: number;
  max: number;
}

/**
 * Converts one frame. `shift` moves the stored bits down when High Bit is not BitsStored-1 (native data only;
 * codecs return right-aligned values). Writes rows*columns values to out[outOffset...] and returns their range.
 * `raw` may be a view of the very memory it is converted into (out[outOffset...]): each value is read before
 * its own slot is written, and nothing else is read. With `simd` and out in its memory, that in-place case
 * runs its first pass in WebAssembly SIMD.
 */
export function storedToHu(
  raw: StoredArray,
  pixel: PixelInfo,
  slope: number,
  intercept: number,
  out: Int16Array,
  outOffset: number,
  shift = 0,
  simd?: Simd16,
): HuRange {
  const n = pixel.rows * pixel.columns;
  if (raw.length < n) throw new Error(`frame holds ${raw.length} values, the image needs ${n}`);
  if ((raw instanceof Uint16Array || raw instanceof Int16Array) && shift === 0 && slope === 1 && Number.isInteger(intercept) && pixel.bitsStored <= 16) {
    return integral16(raw, pixel, intercept, out, outOffset, n, simd);
  }
  return general(raw, pixel, slope, intercept, out, outOffset, shift, n);
}

/** Padding limits as an inclusive range of stored values ([1, 0], empty, when there is no padding). */
function paddingRange(pixel: PixelInfo): [number, number] {
  const pad = pixel.paddingValue;
  if (pad === null) return [1, 0];
  const lim = pixel.paddingRangeLimit;
  return lim === null ? [pad, pad] : [Math.min(pad, lim), Math.max(pad, lim)];
}

/**
 * The common CT case (16-bit words, slope 1, integer intercept): one tight pass stores value + intercept and
 * tracks the stored range; only when that range reaches padding or leaves int16 after the intercept does a
 * second pass (fixPadAndClamp) redo those voxels, recovering each stored value from what the first pass wrote.
 */
function integral16(raw: Uint16Array | Int16Array, pixel: PixelInfo, intercept: number, out: Int16Array, o: number, n: number, simd?: Simd16): HuRange {
  if (n === 0) return { min: Infinity, max: -Infinity };
  const bits = pixel.bitsStored;
  const signed = pixel.pixelRepresentation === 1;
  // Values read as-is when the word is exactly the stored value; otherwise mask (unsigned) or sign-extend.
  const direct = bits === 16 && signed === raw instanceof Int16Array;
  const inPlace = raw.buffer === out.buffer && raw.byteOffset === out.byteOffset + 2 * o;
  let lo = Infinity;
  let hi = -Infinity;
  if (inPlace && simd?.owns(out)) {
    [lo, hi] = simd.pass(out.subarray(o, o + n), n, bits, signed, intercept);
  } else if (direct && inPlace && intercept === 0) {
    for (let i = 0; i < n; i++) {
      const v = raw[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  } else if (direct) {
    for (let i = 0; i < n; i++) {
      const v = raw[i];
      out[o + i] = v + intercept;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  } else if (!signed) {
    const mask = 2 ** bits - 1;
    for (let i = 0; i < n; i++) {
      const v = raw[i] & mask;
      out[o + i] = v + intercept;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  } else {
    const up = 32 - bits;
    for (let i = 0; i < n; i++) {
      const v = (raw[i] << up) >> up;
      out[o + i] = v + intercept;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const [padLo, padHi] = paddingRange(pixel);
  const clamps = lo + intercept < -32768 || hi + intercept > 32767;
  const pads = padLo <= padHi && padLo <= hi && padHi >= lo;
  if (!clamps && !pads) return { min: lo + intercept, max: hi + intercept };
  return fixPadAndClamp(out, o, n, intercept, lo, padLo, padHi);
}

/** Second pass of integral16: stored value v lies in [lo, lo + 65535] and out holds (v + intercept) mod 2^16. */
function fixPadAndClamp(out: Int16Array, o: number, n: number, intercept: number, lo: number, padLo: number, padHi: number): HuRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = lo + ((out[o + i] - intercept - lo) & 0xffff);
    let hu: number;
    if (v >= padLo && v <= padHi) hu = NO_DATA_HU;
    else {
      hu = v + intercept;
      if (hu < -32768) hu = -32768;
      else if (hu > 32767) hu = 32767;
    }
    out[o + i] = hu;
    if (hu < min) min = hu;
    if (hu > max) max = hu;
  }
  return { min, max };
}

function general(raw: StoredArray, pixel: PixelInfo, slope: number, intercept: number, out: Int16Array, outOffset: number, shift: number, n: number): HuRange {
  const bits = Math.min(pixel.bitsStored, 32);
  const signed = pixel.pixelRepresentation === 1;
  const full = bits === 32;
  const mask = full ? 0xffffffff : 2 ** bits - 1;
  const signBit = 2 ** (bits - 1);
  const wrap = 2 ** bits;
  const [padLo, padHi] = paddingRange(pixel);
  const integral = slope === 1 && Number.isInteger(intercept);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    // Unsigned bit pattern of the stored value (>>> keeps 32-bit values unsigned).
    let u = raw[i] >>> 0;
    if (shift) u = u >>> shift;
    if (!full) u = u & mask;
    const v = signed && u >= signBit ? u - wrap : u;
    let hu: number;
    if (v >= padLo && v <= padHi) hu = NO_DATA_HU;
    else {
      hu = integral ? v + intercept : Math.round(v * slope + intercept);
      if (hu < -32768) hu = -32768;
      else if (hu > 32767) hu = 32767;
    }
    out[outOffset + i] = hu;
    if (hu < min) min = hu;
    if (hu > max) max = hu;
  }
  return { min, max };
}
