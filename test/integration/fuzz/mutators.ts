// Seeded mutations of real DICOM files (the LIDC-IDRI crops): byte flips, truncation, element-length
// corruption, VR swaps, bogus transfer syntaxes, absurd attribute values and bombs. Each mutant says whether it
// MUST be rejected: a file that makes HU or geometry undefined, accepted anyway, counts as a silent wrong HU.
import zlib from 'node:zlib';
import dicomParser from 'dicom-parser';
import { encodeElement, locate, setElement, setString, setUint16 } from './dicomEdit';

export interface Mutant {
  kind: string;
  detail: string;
  bytes: Buffer;
  /** Accepting this file would put an undefined HU or geometry into a volume. */
  mustReject: boolean;
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

const PIXEL_DATA = 'x7fe00010';

/** Crops a real slice to size x size around its centre (Rows, Columns, Pixel Data rewritten; all else kept). */
export function cropSlice(bytes: Buffer, size: number): Buffer {
  const ds = dicomParser.parseDicom(bytes);
  const rows = ds.uint16('x00280010')!;
  const cols = ds.uint16('x00280011')!;
  const px = ds.elements[PIXEL_DATA];
  const r0 = (rows - size) >> 1;
  const c0 = (cols - size) >> 1;
  const out = Buffer.alloc(size * size * 2);
  for (let j = 0; j < size; j++) bytes.copy(out, j * size * 2, px.dataOffset + ((r0 + j) * cols + c0) * 2, px.dataOffset + ((r0 + j) * cols + c0 + size) * 2);
  let b = setElement(bytes, PIXEL_DATA, encodeElement(PIXEL_DATA, 'OW', out));
  b = setUint16(b, 'x00280010', size);
  return setUint16(b, 'x00280011', size);
}

/** Gives a seed its own series and instance UIDs (same length class, under 2.25) so mutants never touch the intact series. */
export function reidentify(bytes: Buffer, seriesUID: string, sopUID: string): Buffer {
  let b = setString(bytes, 'x0020000e', 'UI', seriesUID);
  b = setString(b, 'x00080018', 'UI', sopUID);
  return setString(b, 'x00020003', 'UI', sopUID);
}

function byteFlips(r: Rand, seed: Buffer): Mutant {
  const b = Buffer.from(seed);
  const px = locate(seed).find((e) => e.tag === PIXEL_DATA);
  const headerEnd = px ? px.start + 16 : b.length;
  const n = int(r, 1, 24);
  for (let i = 0; i < n; i++) {
    const at = r() < 0.9 ? int(r, 128, headerEnd - 1) : int(r, 0, b.length - 1);
    b[at] ^= 1 << int(r, 0, 7);
  }
  return { kind: 'byte_flip', detail: `${n} bit flips`, bytes: b, mustReject: false };
}

function truncation(r: Rand, seed: Buffer): Mutant {
  const px = locate(seed).find((e) => e.tag === PIXEL_DATA);
  const at = r() < 0.6 && px ? int(r, 0, px.start + 12) : int(r, 0, seed.length - 1);
  // Cut inside the header or the pixels: the file no longer holds a whole image.
  return { kind: 'truncation', detail: `cut at byte ${at} of ${seed.length}`, bytes: seed.subarray(0, at), mustReject: true };
}

function lengthCorruption(r: Rand, seed: Buffer): Mutant {
  const b = Buffer.from(seed);
  const els = locate(seed);
  const e = pick(r, els);
  const values = e.lengthBytes === 4 ? [0xffffffff, 0xfffffffe, 0x7fffffff, int(r, 0, 0xffffffff), 1, 3] : [0xffff, 0xfffe, int(r, 0, 0xffff), 1, 3];
  const v = pick(r, values);
  if (e.lengthBytes === 4) b.writeUInt32LE(v >>> 0, e.lengthAt);
  else b.writeUInt16LE(v, e.lengthAt);
  return { kind: 'length_corruption', detail: `${e.tag} length -> ${v}`, bytes: b, mustReject: false };
}

const VRS = ['SQ', 'OB', 'OW', 'UN', 'UT', 'US', 'UL', 'FD', 'DS', 'IS', 'UI', 'AT', 'XX', '\0\0'];

function vrSwap(r: Rand, seed: Buffer): Mutant {
  const b = Buffer.from(seed);
  const e = pick(r, locate(seed));
  const vr = pick(r, VRS);
  b.write(vr, e.vrAt, 'latin1');
  return { kind: 'vr_swap', detail: `${e.tag} VR -> ${JSON.stringify(vr)}`, bytes: b, mustReject: false };
}

const SYNTAXES = [
  '1.2.840.10008.1.2.4.50', // JPEG baseline over native pixels
  '1.2.840.10008.1.2.4.90', // JPEG 2000
  '1.2.840.10008.1.2.5', // RLE
  '1.2.840.10008.1.2.1.99', // deflated, but not deflated
  '1.2.840.10008.1.2.4.999',
  '1.2.3.4',
  'NOT A UID',
  '',
];

function bogusSyntax(r: Rand, seed: Buffer): Mutant {
  const ts = pick(r, SYNTAXES);
  return { kind: 'bogus_syntax', detail: `TransferSyntaxUID -> ${JSON.stringify(ts)}`, bytes: setString(seed, 'x00020010', 'UI', ts), mustReject: true };
}

/** [tag, VR, value, must reject]: values that make HU or geometry undefined, or allocations absurd. */
const ABSURD: [string, string, string | number, boolean][] = [
  ['x00200032', 'DS', '1e308\\1e308\\1e308', true],
  ['x00200032', 'DS', 'NaN\\0\\0', true],
  ['x00200032', 'DS', '0\\0\\5000', true],
  ['x00200032', 'DS', '-1e6\\0\\0', true],
  ['x00200037', 'DS', '1\\0\\0\\-1\\0\\0', true],
  ['x00200037', 'DS', '1e-300\\0\\0\\0\\1e-300\\0', true],
  ['x00200037', 'DS', '0\\0\\0\\0\\0\\0', true],
  ['x00200037', 'DS', '1\\0\\0\\0\\1', true],
  ['x00280030', 'DS', '-0.7\\-0.7', true],
  ['x00280030', 'DS', '0\\0', true],
  ['x00280030', 'DS', '1e308\\1', true],
  ['x00281052', 'DS', 'NaN', true],
  ['x00281052', 'DS', '40000', true],
  ['x00281052', 'DS', '1e30', true],
  ['x00281052', 'DS', '-1e30', true],
  ['x00281052', 'DS', 'abc', true],
  ['x00281053', 'DS', '0', true],
  ['x00281053', 'DS', 'NaN', true],
  ['x00281053', 'DS', '1e30', true],
  ['x00280103', 'US', 17, true],
  ['x00280101', 'US', 0, true],
  ['x00280101', 'US', 17, true],
  ['x00280102', 'US', 64, true],
  ['x00280102', 'US', 65535, true],
  ['x00280100', 'US', 7, true],
  ['x00280100', 'US', 64, true],
  ['x00280010', 'US', 65535, true],
  ['x00280011', 'US', 65535, true],
  ['x00280010', 'US', 0, true],
  ['x00280002', 'US', 0, true],
  ['x00280008', 'IS', '2147483647', true],
  ['x00280008', 'IS', '4294967296', true],
  ['x00280008', 'IS', '-1', true],
  ['x00280008', 'IS', 'abc', true],
  ['x00100010', 'PN', 'X'.repeat(60000), false],
  ['x0008103e', 'LO', '\u0000\u0001\u001b[31m<script>', false],
  ['x00200013', 'IS', '99999999999999999999', false],
];

function absurdAttribute(r: Rand, seed: Buffer): Mutant {
  const [tag, vr, value, mustReject] = pick(r, ABSURD);
  let bytes: Buffer;
  if (typeof value === 'number') bytes = setUint16(seed, tag, value);
  else bytes = setString(seed, tag, vr, value);
  return { kind: 'absurd_attribute', detail: `${tag} = ${String(value).slice(0, 40)}`, bytes, mustReject };
}

function rleBomb(r: Rand, seed: Buffer): Mutant {
  return makeRleBomb(seed, pick(r, [65535, 16384, 40000]));
}

/** An RLE frame declaring a size x size image in a few hundred bytes. */
export function makeRleBomb(seed: Buffer, size: number): Mutant {
  const segment = Buffer.alloc(64 + 256);
  segment.writeUInt32LE(1, 0);
  segment.writeUInt32LE(64, 4);
  for (let i = 64; i < segment.length; i += 2) segment[i] = 0x81; // replicate-run headers: -127 -> 128 zero bytes each
  const item = (body: Buffer): Buffer => {
    const h = Buffer.alloc(8);
    h.writeUInt16LE(0xfffe, 0);
    h.writeUInt16LE(0xe000, 2);
    h.writeUInt32LE(body.length, 4);
    return Buffer.concat([h, body]);
  };
  const head = Buffer.from([0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  const delim = Buffer.from([0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  let b = setElement(seed, PIXEL_DATA, Buffer.concat([head, item(Buffer.alloc(0)), item(segment), delim]));
  b = setString(b, 'x00020010', 'UI', '1.2.840.10008.1.2.5');
  b = setUint16(b, 'x00280010', size);
  b = setUint16(b, 'x00280011', size);
  return { kind: 'bomb', detail: `RLE ${size}x${size} in ${segment.length} bytes`, bytes: b, mustReject: true };
}

/** Sequences nested thousands deep (undefined lengths): recursion in a parser must not take the process down. */
function nestingBomb(r: Rand, seed: Buffer): Mutant {
  const depth = int(r, 2000, 20000);
  const open = Buffer.from([0x40, 0x00, 0x30, 0xa7, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff]);
  const close = Buffer.from([0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0]);
  const body = Buffer.concat([Buffer.alloc(open.length * depth).fill(open), Buffer.alloc(close.length * depth).fill(close)]);
  return { kind: 'bomb', detail: `sequence nested ${depth} deep`, bytes: setElement(seed, 'x0040a730', body), mustReject: false };
}

let deflated: Buffer | null = null;
/**
 * A deflated data set that inflates past the limit, built once (~3 MB): raw-deflate segments of zeros, each
 * ended by a sync flush, concatenate into one valid stream; an empty final block closes it.
 */
export function deflateBomb(seed: Buffer, inflatedBytes: number): Mutant {
  if (!deflated) {
    const chunk = Buffer.alloc(64 << 20);
    // Each segment starts a fresh stream (no back-references before it), so one compressed segment repeats.
    const segment = zlib.deflateRawSync(chunk, { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH });
    const parts: Buffer[] = [];
    for (let done = 0; done < inflatedBytes; done += chunk.length) parts.push(segment);
    parts.push(zlib.deflateRawSync(Buffer.alloc(0)));
    deflated = Buffer.concat(parts);
  }
  const withSyntax = setString(seed, 'x00020010', 'UI', '1.2.840.10008.1.2.1.99');
  const meta = dicomParser.readPart10Header(withSyntax);
  const metaEnd = Math.max(...Object.values(meta.elements).map((e) => e.dataOffset + e.length));
  return { kind: 'bomb', detail: `deflate bomb inflating to ${inflatedBytes >> 20} MB`, bytes: Buffer.concat([withSyntax.subarray(0, metaEnd), deflated]), mustReject: true };
}

const MUTATORS: [number, (r: Rand, seed: Buffer) => Mutant][] = [
  [20, byteFlips],
  [10, truncation],
  [15, lengthCorruption],
  [12, vrSwap],
  [8, bogusSyntax],
  [30, absurdAttribute],
  [3, rleBomb],
  [2, nestingBomb],
];
const TOTAL = MUTATORS.reduce((n, [w]) => n + w, 0);

export function mutate(r: Rand, seed: Buffer, opts: { deflateBombBytes: number; allowDeflateBomb: boolean }): Mutant {
  if (opts.allowDeflateBomb && r() < 0.005) return deflateBomb(seed, opts.deflateBombBytes);
  let x = r() * TOTAL;
  for (const [w, f] of MUTATORS) {
    if ((x -= w) < 0) return f(r, seed);
  }
  return byteFlips(r, seed);
}
