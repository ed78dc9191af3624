// Phase 1: read one file's header, stopping before Pixel Data. Reads a growing prefix of the file, so the
// pixels of a native image are never read here; a bad file becomes a result with a code and a reason, never a
// throw. Only regular files are read: the open never blocks (a FIFO would wait for a writer for ever).
import fs from 'node:fs';
import zlib from 'node:zlib';
import dicomParser, { type DataSet } from 'dicom-parser';
import { errorMessage as message, type RejectCode } from '../shared/errorCodes';
import { T, DICOMDIR_SOP_CLASS } from './tags';
import { dataSetToHeader } from './dataSetToHeader';
import { readDicomdir, type DicomdirRefs } from './dicomdir';
import { LIMITS, RejectedFile, validateHeader } from './limits';
import { openRegularFile } from './openRegular';
import { checkSyntax, NATIVE } from './transferSyntax';
import { TS } from './codecs/transferSyntaxes';
import type { DicomHeader } from './types';

export type HeaderResult =
  | { kind: 'header'; header: DicomHeader; bytesRead: number }
  | ({ kind: 'dicomdir'; file: string; bytesRead: number } & DicomdirRefs)
  | { kind: 'error'; file: string; code: RejectCode; reason: string; bytesRead: number };

const FIRST_READ = 8 * 1024;

function readPrefix(fd: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let off = 0;
  while (off < length) {
    const n = fs.readSync(fd, buf, off, length - off, off);
    if (n === 0) break;
    off += n;
  }
  return off === length ? buf : buf.subarray(0, off);
}

/** Inflates the data set after the file meta group (deflated explicit VR little endian). */
export function inflateAfterMeta(bytes: Uint8Array, position: number): Buffer {
  let inflated: Buffer;
  try {
    inflated = zlib.inflateRawSync(bytes.subarray(position), { maxOutputLength: LIMITS.maxInflatedBytes });
  } catch (e) {
    if (e instanceof RangeError) throw new RejectedFile('limit_exceeded', `deflated data set inflates past ${LIMITS.maxInflatedBytes >> 20} MB (a deflate bomb?)`);
    throw e;
  }
  const out = Buffer.alloc(position + inflated.length);
  out.set(bytes.subarray(0, position), 0);
  out.set(inflated, position);
  return out;
}

export function parseFull(bytes: Uint8Array, untilTag?: string): DataSet {
  return dicomParser.parseDicom(bytes, { untilTag, inflater: inflateAfterMeta } as Parameters<typeof dicomParser.parseDicom>[1]);
}

export function hasDicmPrefix(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

export function readHeader(file: string): HeaderResult {
  let bytesRead = 0;
  const fail = (code: RejectCode, reason: string): HeaderResult => ({ kind: 'error', file, code, reason, bytesRead });
  const opened = openRegularFile(file);
  if (!opened.ok) return fail(opened.code, opened.reason);
  const { fd, stat: st } = opened;
  // Data sets read whole (deflated, DICOMDIR, unusually long meta) must fit in memory comfortably.
  const wholeTooBig = (): HeaderResult | null =>
    st.size > LIMITS.maxWholeFileBytes ? fail('limit_exceeded', `${st.size} bytes must be read whole, over the ${LIMITS.maxWholeFileBytes >> 20} MB limit`) : null;
  try {
    if (st.size < 132) return fail('not_dicom', `not DICOM: ${st.size} bytes, too short for a part-10 file`);
    let want = Math.min(st.size, FIRST_READ);
    let bytes = readPrefix(fd, want);
    bytesRead += bytes.length;
    if (!hasDicmPrefix(bytes)) return fail('not_dicom', 'not DICOM: no "DICM" prefix at byte 128');

    let meta: DataSet;
    try {
      meta = dicomParser.readPart10Header(bytes) as unknown as DataSet;
    } catch (e) {
      // A meta group longer than the first read: read the whole file once.
      if (want < st.size) {
        const big = wholeTooBig();
        if (big) return big;
        bytes = readPrefix(fd, (want = st.size));
        bytesRead += bytes.length;
        try {
          meta = dicomParser.readPart10Header(bytes) as unknown as DataSet;
        } catch (e2) {
          return fail('bad_meta', `bad file meta information: ${message(e2)}`);
        }
      } else return fail('bad_meta', `bad file meta information: ${message(e)}`);
    }
    const ts = (meta.string(T.transferSyntaxUID) ?? '').replace(/\0/g, '').trim();
    if (!ts) return fail('bad_meta', 'missing TransferSyntaxUID (0002,0010) in the file meta information');
    const isDicomdir = meta.string(T.mediaStorageSOPClassUID) === DICOMDIR_SOP_CLASS;
    const syntaxProblem = isDicomdir ? null : checkSyntax(ts);
    if (syntaxProblem) return fail('unsupported_syntax', syntaxProblem);

    // Deflated data sets and DICOMDIRs are parsed whole; everything else grows the prefix until Pixel Data.
    if ((ts === TS.deflatedExplicitLittle || isDicomdir) && want < st.size) {
      const big = wholeTooBig();
      if (big) return big;
      bytes = readPrefix(fd, (want = st.size));
      bytesRead += bytes.length;
    }
    for (;;) {
      let ds: DataSet | null = null;
      let err: unknown = null;
      try {
        ds = parseFull(bytes, T.pixelData);
      } catch (e) {
        err = e;
      }
      const complete = ds !== null && (ds.elements[T.pixelData] !== undefined || want >= st.size);
      if (!complete && want < st.size) {
        want = Math.min(st.size, want * 8);
        if (want === st.size) {
          const big = wholeTooBig();
          if (big) return big;
        }
        bytes = readPrefix(fd, want);
        bytesRead += bytes.length;
        continue;
      }
      if (!ds) {
        const inner = err && typeof err === 'object' && 'exception' in err ? (err as { exception: unknown }).exception : err;
        if (inner instanceof RejectedFile) return fail(inner.code, inner.reason);
        return fail('parse_error', `cannot parse: ${message(err)}${want >= st.size ? ' (file truncated or corrupt)' : ''}`);
      }
      if (isDicomdir) return { kind: 'dicomdir', file, bytesRead, ...readDicomdir(file, ds) };
      let header: DicomHeader;
      try {
        header = dataSetToHeader(ds, { file, size: st.size, mtimeMs: Math.floor(st.mtimeMs), transferSyntaxUID: ts });
      } catch (e) {
        if (e instanceof RejectedFile) return fail(e.code, e.reason);
        return fail('missing_attribute', message(e));
      }
      const invalid = validateHeader(header);
      if (invalid) return fail(invalid.code, invalid.reason);
      const problem = checkPixelExtent(header, ts === TS.deflatedExplicitLittle ? ds.byteArray.length : st.size);
      if (problem) return fail(problem.startsWith('trunc') ? 'truncated' : 'parse_error', problem);
      return { kind: 'header', header, bytesRead };
    }
  } catch (e) {
    if (e instanceof RejectedFile) return fail(e.code, e.reason);
    return fail('parse_error', message(e));
  } finally {
    fs.closeSync(fd);
  }
}

/** A native image whose Pixel Data runs past the end of the file (or is shorter than the image) is truncated. */
function checkPixelExtent(h: DicomHeader, available: number): string | null {
  const p = h.pixel;
  const pd = h.pixelData;
  if (!p || !pd) return null;
  // The syntax and the Pixel Data encoding must agree, or the bytes would be read as what they are not.
  const native = NATIVE.has(h.transferSyntaxUID);
  if (native && pd.encapsulated) return `Pixel Data is encapsulated (undefined length) but the transfer syntax ${h.transferSyntaxUID} is native`;
  if (!native && !pd.encapsulated) return `transfer syntax ${h.transferSyntaxUID} is compressed but Pixel Data is not encapsulated`;
  if (pd.encapsulated) return null;
  const needed = Math.ceil((p.rows * p.columns * p.samplesPerPixel * p.numberOfFrames * p.bitsAllocated) / 8);
  if (pd.offset + pd.length > available) {
    return `truncated: Pixel Data declares ${pd.length} bytes at offset ${pd.offset} but the file ends at byte ${available}`;
  }
  if (pd.length < needed) {
    return `truncated Pixel Data: ${pd.length} bytes, the image (${p.columns}x${p.rows}x${p.numberOfFrames} frames, ${p.bitsAllocated} bits) needs ${needed}`;
  }
  return null;
}
