// Encapsulated Pixel Data (PS3.5 A.4) -> one byte array per frame. Offsets in the Basic (or Extended) Offset
// Table count from the first byte of the first item after the table, items included (8-byte headers).
import { CodecError } from './errors';

export interface PixelDataFragment {
  /** Offset of this item's tag from the first item after the Basic Offset Table (dicom-parser's Fragment.offset). */
  offset: number;
  /** The item's value bytes. */
  bytes: Uint8Array;
}

/** Builds fragments from a dicom-parser pixel data element ({offset, position, length} per fragment). */
export function fragmentsFromParser(
  byteArray: Uint8Array,
  fragments: ReadonlyArray<{ offset: number; position: number; length: number }>,
): PixelDataFragment[] {
  return fragments.map((f) => ({ offset: f.offset, bytes: byteArray.subarray(f.position, f.position + f.length) }));
}

/**
 * Splits fragments into frames: one frame = all fragments; else the offset table (Basic, or Extended when the
 * caller passes it); else one fragment per frame; else fragments that begin a JPEG/J2K codestream start a frame.
 * `uid` only names the syntax in errors.
 */
export function splitFrames(
  fragments: readonly PixelDataFragment[],
  numberOfFrames: number,
  basicOffsetTable: readonly number[],
  uid = 'encapsulated',
): Uint8Array[] {
  if (fragments.length === 0) throw new CodecError(uid, 'pixel data has no fragments');
  if (!Number.isInteger(numberOfFrames) || numberOfFrames < 1) throw new CodecError(uid, `invalid number of frames ${numberOfFrames}`);
  if (numberOfFrames === 1) return [concat(fragments)];

  if (basicOffsetTable.length > 0) {
    if (basicOffsetTable.length !== numberOfFrames) {
      throw new CodecError(uid, `offset table has ${basicOffsetTable.length} entries for ${numberOfFrames} frames`);
    }
    return basicOffsetTable.map((start, k) => {
      const end = k + 1 < basicOffsetTable.length ? basicOffsetTable[k + 1] : Infinity;
      const parts = fragments.filter((f) => f.offset >= start && f.offset < end);
      if (parts.length === 0 || parts[0].offset !== start) {
        throw new CodecError(uid, `offset table entry ${k} (${start}) does not point at a fragment`);
      }
      return concat(parts);
    });
  }

  if (fragments.length === numberOfFrames) return fragments.map((f) => f.bytes);

  const starts = fragments.flatMap((f, i) => (startsCodestream(f.bytes) ? [i] : []));
  if (starts.length !== numberOfFrames || starts[0] !== 0) {
    throw new CodecError(
      uid,
      `${fragments.length} fragments, no offset table, and ${starts.length} codestream starts for ${numberOfFrames} frames`,
    );
  }
  return starts.map((s, k) => concat(fragments.slice(s, k + 1 < starts.length ? starts[k + 1] : fragments.length)));
}

/** JPEG / JPEG-LS SOI (FFD8 FF), J2K codestream SOC+SIZ (FF4F FF51) or a JP2 signature box. */
function startsCodestream(b: Uint8Array): boolean {
  if (b.length < 4) return false;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return true;
  if (b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51) return true;
  return b.length >= 12 && b[4] === 0x6a && b[5] === 0x50 && b[6] === 0x20 && b[7] === 0x20; // 'jP  '
}

function concat(parts: readonly PixelDataFragment[]): Uint8Array {
  if (parts.length === 1) return parts[0].bytes;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.bytes.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p.bytes, o);
    o += p.bytes.length;
  }
  return out;
}
