// DICOM RLE Lossless (PS3.5 Annex G): a 64-byte header of 15 segment offsets, then one PackBits-coded
// segment per byte plane, most significant byte first (a 16-bit sample = high-byte segment + low-byte segment).
// No maintained npm codec exists for it outside Cornerstone's loader, so this small decoder is our own.
import { CodecError } from './errors';
import type { DecodedSamples } from './wasmCodec';
import { TS } from './transferSyntaxes';

const HEADER_BYTES = 64;

export function decodeRle(frame: Uint8Array, rows: number, columns: number, bitsAllocated: number, samplesPerPixel: number): DecodedSamples {
  const fail = (reason: string): never => {
    throw new CodecError(TS.rleLossless, reason);
  };
  if (bitsAllocated !== 8 && bitsAllocated !== 16) fail(`bits allocated ${bitsAllocated} is not supported (8 or 16)`);
  if (frame.byteLength < HEADER_BYTES) fail(`frame is ${frame.byteLength} bytes, shorter than the 64-byte RLE header`);

  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segmentCount = view.getUint32(0, true);
  const bytesPerSample = bitsAllocated / 8;
  const expectedSegments = bytesPerSample * samplesPerPixel;
  if (segmentCount !== expectedSegments) {
    fail(`header declares ${segmentCount} segments, expected ${expectedSegments} for ${bitsAllocated}-bit, ${samplesPerPixel} sample(s) per pixel`);
  }
  const offsets: number[] = [];
  for (let s = 0; s < segmentCount; s++) offsets.push(view.getUint32(4 + 4 * s, true));

  const pixels = rows * columns;
  const samples = bytesPerSample === 1 ? new Uint8Array(pixels * samplesPerPixel) : new Uint16Array(pixels * samplesPerPixel);
  const plane = new Uint8Array(pixels);
  for (let s = 0; s < segmentCount; s++) {
    const start = offsets[s];
    const end = s + 1 < segmentCount ? offsets[s + 1] : frame.byteLength;
    if (start < HEADER_BYTES || end > frame.byteLength || start > end) {
      fail(`segment ${s + 1} offsets ${start}..${end} lie outside the ${frame.byteLength}-byte frame`);
    }
    const produced = unpackBits(frame, start, end, plane);
    if (produced < pixels) fail(`segment ${s + 1} ended after ${produced} of ${pixels} bytes (truncated or corrupt)`);

    // Segment order: sample 0 MSB, sample 0 LSB, sample 1 MSB, ... (PS3.5 G.2)
    const sample = Math.floor(s / bytesPerSample);
    const shift = 8 * (bytesPerSample - 1 - (s % bytesPerSample));
    for (let p = 0, o = sample; p < pixels; p++, o += samplesPerPixel) samples[o] |= plane[p] << shift;
  }
  return { width: columns, height: rows, bitsPerSample: bitsAllocated, componentCount: samplesPerPixel, samples };
}

/** PackBits: n in 0..127 copies n+1 literal bytes, n in -127..-1 repeats the next byte 1-n times, -128 is a no-op.
 * Fills `out` and returns how many bytes it produced; extra output in the segment is ignored. */
function unpackBits(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let i = start;
  let o = 0;
  const n = out.length;
  while (o < n && i < end) {
    const header = src[i++];
    if (header < 128) {
      const count = Math.min(header + 1, n - o, end - i);
      out.set(src.subarray(i, i + count), o);
      i += header + 1;
      o += count;
      if (i > end) return o; // literal run cut short
    } else if (header > 128) {
      if (i >= end) return o;
      const count = Math.min(257 - header, n - o);
      out.fill(src[i++], o, o + count);
      o += count;
    }
  }
  return o;
}
