// Stored pixel values -> int16 Hounsfield units: BitsStored masking and sign extension (Pixel Representation),
// Pixel Padding (-> NO_DATA_HU), Rescale Slope/Intercept, rounding and clamping to the int16 range.
import { NO_DATA_HU } from './checkGeometry';
import type { PixelInfo } from './types';

export type StoredArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

export interface HuRange {
  min: number;
  max: number;
}

/**
 * Converts one frame. `shift` moves the stored bits down when High Bit is not BitsStored-1 (native data only;
 * codecs return right-aligned values). Writes rows*columns values to out[outOffset...] and returns their range.
 */
export function storedToHu(
  raw: StoredArray,
  pixel: PixelInfo,
  slope: number,
  intercept: number,
  out: Int16Array,
  outOffset: number,
  shift = 0,
): HuRange {
  const n = pixel.rows * pixel.columns;
  if (raw.length < n) throw new Error(`frame holds ${raw.length} values, the image needs ${n}`);
  const bits = Math.min(pixel.bitsStored, 32);
  const signed = pixel.pixelRepresentation === 1;
  const full = bits === 32;
  const mask = full ? 0xffffffff : 2 ** bits - 1;
  const signBit = 2 ** (bits - 1);
  const wrap = 2 ** bits;
  const pad = pixel.paddingValue;
  const padLo = pad === null ? 1 : pixel.paddingRangeLimit === null ? pad : Math.min(pad, pixel.paddingRangeLimit);
  const padHi = pad === null ? 0 : pixel.paddingRangeLimit === null ? pad : Math.max(pad, pixel.paddingRangeLimit);
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
