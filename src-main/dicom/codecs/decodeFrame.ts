// Entry point for compressed pixel data: picks the codec for a transfer syntax, checks the decoded frame
// against the DICOM header, and returns stored values (before Rescale Slope/Intercept).
import { decodeJpeg2000 } from './decodeJpeg2000';
import { decodeJpegBaseline } from './decodeJpegBaseline';
import { decodeJpegLossless } from './decodeJpegLossless';
import { decodeJpegLs } from './decodeJpegLs';
import { decodeRle } from './decodeRle';
import { CodecError, UnsupportedTransferSyntaxError } from './errors';
import { jpegSamplePrecision } from './jpegMarkers';
import { toStoredValues } from './storedValues';
import { codecFamily, isEncapsulatedSyntax, isHtj2k, transferSyntaxName } from './transferSyntaxes';
import type { DecodedSamples } from './wasmCodec';

export { CodecError, UnsupportedTransferSyntaxError } from './errors';
export { isEncapsulatedSyntax, isEncapsulatedSyntaxSupported, transferSyntaxName, TS } from './transferSyntaxes';
export { fragmentsFromParser, splitFrames, type PixelDataFragment } from './splitFrames';

export interface FrameInfo {
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  samplesPerPixel: number;
  photometricInterpretation: string;
}

/** Decodes ONE compressed frame (the bytes of its fragments concatenated) of an encapsulated transfer syntax.
 * Returns the stored pixel values (before rescale), rows*columns of them (Int16Array when pixelRepresentation=1). */
export async function decodeFrame(transferSyntaxUID: string, frame: Uint8Array, info: FrameInfo): Promise<Int16Array | Uint16Array> {
  const uid = transferSyntaxUID.trim();
  const family = codecFamily(uid);
  if (family === undefined) {
    const known = transferSyntaxName(uid) !== 'unknown transfer syntax';
    const detail = !known
      ? undefined
      : isEncapsulatedSyntax(uid)
        ? 'Pulmo has no decoder for it'
        : 'it is not encapsulated; its pixel data is read directly, not through a codec';
    throw new UnsupportedTransferSyntaxError(uid, detail);
  }
  checkInfo(uid, info);
  if (frame.byteLength === 0) throw new CodecError(uid, 'frame is empty');

  let decoded: DecodedSamples;
  switch (family) {
    case 'rle':
      decoded = decodeRle(frame, info.rows, info.columns, info.bitsAllocated, info.samplesPerPixel);
      break;
    case 'jpegBaseline': {
      const precision = jpegSamplePrecision(frame);
      if (precision !== undefined && precision > 8) {
        throw new UnsupportedTransferSyntaxError(
          uid,
          `${precision}-bit lossy JPEG needs a 12-bit JPEG decoder, which Pulmo does not bundle; ` +
            'ask for the series in a lossless syntax (JPEG Lossless, JPEG-LS, JPEG 2000 or uncompressed)',
        );
      }
      decoded = await decodeJpegBaseline(uid, frame);
      break;
    }
    case 'jpegLossless':
      decoded = await decodeJpegLossless(uid, frame);
      break;
    case 'jpegLs':
      decoded = await decodeJpegLs(uid, frame);
      break;
    case 'jpeg2000':
      if (isHtj2k(uid) && info.pixelRepresentation === 1) {
        // Measured: a signed 16-bit CT slice encoded losslessly by OpenJPH 0.9 round-trips with OpenJPH but
        // decodes with OpenJPEG 2.5 (native and this WASM build) to saturated values (32767 for -1024). Until a
        // conformance file settles which side is right, signed HTJ2K is refused rather than risk wrong HU.
        throw new UnsupportedTransferSyntaxError(
          uid,
          'signed (Pixel Representation 1) HTJ2K is not enabled: OpenJPEG and OpenJPH disagree on signed HT code-blocks, so the values cannot be trusted',
        );
      }
      decoded = await decodeJpeg2000(uid, frame);
      break;
  }
  checkDecoded(uid, decoded, info);
  const pixels = info.rows * info.columns;
  const samples = decoded.samples.length === pixels ? decoded.samples : decoded.samples.subarray(0, pixels);
  return toStoredValues(samples, info.bitsStored, info.pixelRepresentation === 1);
}

function checkInfo(uid: string, info: FrameInfo): void {
  const bad = (reason: string): never => {
    throw new CodecError(uid, reason);
  };
  if (!(info.rows > 0 && info.columns > 0)) bad(`invalid image size ${info.rows}x${info.columns}`);
  if (info.samplesPerPixel !== 1) {
    bad(`${info.samplesPerPixel} samples per pixel (${info.photometricInterpretation}): only monochrome images are supported`);
  }
  if (info.bitsAllocated !== 8 && info.bitsAllocated !== 16) bad(`bits allocated ${info.bitsAllocated} is not supported (8 or 16)`);
  if (!(info.bitsStored >= 1 && info.bitsStored <= info.bitsAllocated)) {
    bad(`bits stored ${info.bitsStored} does not fit bits allocated ${info.bitsAllocated}`);
  }
  if (info.pixelRepresentation !== 0 && info.pixelRepresentation !== 1) bad(`invalid pixel representation ${info.pixelRepresentation}`);
}

function checkDecoded(uid: string, d: DecodedSamples, info: FrameInfo): void {
  if (d.width !== info.columns || d.height !== info.rows) {
    throw new CodecError(uid, `decoded ${d.height}x${d.width} (rows x columns) but the header says ${info.rows}x${info.columns}`);
  }
  if (d.componentCount !== 1) throw new CodecError(uid, `decoded ${d.componentCount} components, expected 1 (monochrome)`);
  if (d.bitsPerSample > 16) throw new CodecError(uid, `decoded ${d.bitsPerSample}-bit samples; at most 16 are supported`);
  if (d.samples.length < info.rows * info.columns) {
    throw new CodecError(uid, `decoded ${d.samples.length} samples, expected ${info.rows * info.columns}`);
  }
}
