// Phase 2: the stored values of one frame. Native syntaxes read just the frame's bytes at the offset phase 1
// found (byte-swapping big endian); deflated files are inflated; encapsulated frames go to the codecs.
import fs from 'node:fs';
import os from 'node:os';
import type { DataSet } from 'dicom-parser';
import { decodeFrame, fragmentsFromParser, splitFrames } from './codecs/decodeFrame';
import { parseFull } from './readHeader';
import { T } from './tags';
import { TS } from './codecs/transferSyntaxes';
import type { StoredArray } from './storedToHu';
import type { PixelDataLocation, PixelInfo } from './types';

export interface FileInfo {
  transferSyntaxUID: string;
  pixelData: PixelDataLocation;
  pixel: PixelInfo;
}

export interface Frame {
  values: StoredArray;
  /** Right shift that aligns High Bit (native data). */
  shift: number;
  bytesRead: number;
}

/** Keeps the last fully parsed file, so the frames of one multi-frame object are parsed once. */
export class ParsedFileCache {
  private file: string | null = null;
  private ds: DataSet | null = null;
  private split: Uint8Array[] | null = null;
  get(file: string): { ds: DataSet; bytesRead: number } {
    if (this.file === file && this.ds) return { ds: this.ds, bytesRead: 0 };
    const bytes = fs.readFileSync(file);
    this.ds = parseFull(bytes);
    this.file = file;
    this.split = null;
    return { ds: this.ds, bytesRead: bytes.length };
  }
  /** Frames of the file last returned by get(). */
  frames(file: string, split: () => Uint8Array[]): Uint8Array[] {
    if (this.file !== file) throw new Error(`frames(${file}) before get()`);
    return (this.split ??= split());
  }
}

function frameBytes(p: PixelInfo): number {
  return (p.rows * p.columns * p.samplesPerPixel * p.bitsAllocated) / 8;
}

/** Typed view of native little-endian (or swapped big-endian) bytes; copies into an aligned buffer. */
function nativeValues(bytes: Uint8Array, p: PixelInfo, bigEndian: boolean): StoredArray {
  const signed = p.pixelRepresentation === 1;
  if (p.bitsAllocated === 8) return signed ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes;
  const width = p.bitsAllocated / 8;
  const aligned = new Uint8Array(bytes.length);
  if (bigEndian) {
    for (let i = 0; i < bytes.length; i += width) for (let b = 0; b < width; b++) aligned[i + b] = bytes[i + width - 1 - b];
  } else aligned.set(bytes);
  if (p.bitsAllocated === 16) return new Uint16Array(aligned.buffer);
  return new Uint32Array(aligned.buffer);
}

/** Reads exactly dest.length bytes at `offset` into dest. */
function readInto(file: string, offset: number, dest: Uint8Array): void {
  const fd = fs.openSync(file, 'r');
  try {
    const length = dest.length;
    let off = 0;
    while (off < length) {
      const n = fs.readSync(fd, dest, off, length - off, offset + off);
      if (n === 0) throw new Error(`file ends at byte ${offset + off}, frame needs bytes up to ${offset + length}`);
      off += n;
    }
  } finally {
    fs.closeSync(fd);
  }
}

function readAt(file: string, offset: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  readInto(file, offset, buf);
  return buf;
}

const HOST_LE = os.endianness() === 'LE';

/**
 * Whether a frame's 16-bit words can be read straight into the int16 volume (and converted there in place):
 * native little-endian syntax, not deflated, one 16-bit sample per pixel, on a little-endian machine.
 */
export function readsInPlace(info: FileInfo): boolean {
  const p = info.pixel;
  const ts = info.transferSyntaxUID;
  return HOST_LE && !info.pixelData.encapsulated && ts !== TS.deflatedExplicitLittle && ts !== TS.explicitBig && p.bitsAllocated === 16 && p.samplesPerPixel === 1;
}

/** Reads frame `frameIndex` of a file readsInPlace() accepts into dest (rows*columns*2 bytes); returns the bytes read. */
export function readFrameInto(file: string, info: FileInfo, frameIndex: number, dest: Uint8Array): number {
  const len = frameBytes(info.pixel);
  if (dest.length !== len) throw new Error(`frame is ${len} bytes, destination ${dest.length}`);
  readInto(file, info.pixelData.offset + frameIndex * len, dest);
  return len;
}

export async function readFrame(file: string, info: FileInfo, frameIndex: number, cache: ParsedFileCache): Promise<Frame> {
  const p = info.pixel;
  const ts = info.transferSyntaxUID;
  const shift = Math.max(0, p.highBit + 1 - p.bitsStored);
  if (!info.pixelData.encapsulated && ts !== TS.deflatedExplicitLittle) {
    const len = frameBytes(p);
    const bytes = readAt(file, info.pixelData.offset + frameIndex * len, len);
    return { values: nativeValues(bytes, p, ts === TS.explicitBig), shift, bytesRead: len };
  }
  const { ds, bytesRead } = cache.get(file);
  const el = ds.elements[T.pixelData];
  if (!el) throw new Error('no Pixel Data element');
  if (!info.pixelData.encapsulated) {
    const len = frameBytes(p);
    const start = el.dataOffset + frameIndex * len;
    if (start + len > ds.byteArray.length) throw new Error('inflated data set ends before the frame');
    return { values: nativeValues(ds.byteArray.subarray(start, start + len), p, false), shift, bytesRead };
  }
  // Split once per file (multi-frame objects come back for every frame through the cache).
  const frames = cache.frames(file, () =>
    splitFrames(fragmentsFromParser(ds.byteArray, el.fragments ?? []), p.numberOfFrames, el.basicOffsetTable ?? [], ts),
  );
  const bytes = frames[frameIndex];
  if (!bytes) throw new Error(`frame ${frameIndex + 1} of ${p.numberOfFrames} not found in the encapsulated Pixel Data`);
  const values = await decodeFrame(ts, bytes, {
    rows: p.rows,
    columns: p.columns,
    bitsAllocated: p.bitsAllocated,
    bitsStored: p.bitsStored,
    pixelRepresentation: p.pixelRepresentation,
    samplesPerPixel: p.samplesPerPixel,
    photometricInterpretation: p.photometricInterpretation,
  });
  return { values, shift: 0, bytesRead };
}
