// JPEG Lossless, Process 14 (.4.57, any predictor) and SV1 (.4.70) via jpeg-lossless-decoder-js
// (the decoder Cornerstone uses). Pure JS: nothing to initialise beyond loading the module once.
import { CodecError, describeThrown } from './errors';
import { findTrailingEoi } from './jpegMarkers';
import { once, type DecodedSamples } from './wasmCodec';

const loadDecoder = once(async () => (await import('jpeg-lossless-decoder-js')).Decoder);

/** Zero bytes put between the entropy-coded data and EOI (see withPadding). */
const PAD = 8;
/** How far past the data the decoder may read ahead on a complete stream (one Huffman code + extra bits). */
const LOOKAHEAD = 4;

export async function decodeJpegLossless(uid: string, frame: Uint8Array): Promise<DecodedSamples> {
  const Decoder = await loadDecoder();
  const { bytes, dataEnd } = withPadding(frame);
  // A fresh decoder per frame: the class keeps numBytes and tables from the previous stream.
  const decoder = new Decoder();
  let out: Uint8Array | Uint16Array;
  try {
    out = decoder.decode(bytes.buffer as ArrayBuffer, 0, bytes.byteLength);
  } catch (e) {
    throw new CodecError(uid, describeThrown(e), { cause: e });
  }
  const { dimX: width, dimY: height, precision } = decoder.frame;
  const componentCount = decoder.numComp;
  // The decoder reads zeros past the end instead of failing: reading beyond the padding means the
  // entropy-coded data ran out before the last pixel, i.e. the stream was cut short.
  if ((decoder.stream?.index ?? 0) > dataEnd + LOOKAHEAD) {
    throw new CodecError(uid, `stream truncated: its ${dataEnd} bytes end before the last pixel`);
  }
  if (decoder.yLoc < height) {
    throw new CodecError(uid, `decoding stopped at row ${decoder.yLoc}, column ${decoder.xLoc} of ${height}x${width}`);
  }
  if (!out || out.length < width * height * componentCount) {
    throw new CodecError(uid, `decoder produced ${out?.length ?? 0} samples, expected ${width * height * componentCount}`);
  }
  return { width, height, bitsPerSample: precision, componentCount, samples: out };
}

/**
 * Copies the stream with zero bytes inserted before its EOI marker. jpeg-lossless-decoder-js 2.1.2 mistakes
 * the last Huffman code for a marker when that code ends exactly on the last data bit before EOI (an
 * off-by-one in its marker look-ahead) and then leaves the last pixel at 0; found on real CT slices encoded by
 * dcmtk and GDCM. With padding the code is read whole; the decoder stops once every pixel is out, so the
 * padding itself is never decoded as pixels.
 */
function withPadding(frame: Uint8Array): { bytes: Uint8Array; dataEnd: number } {
  let dataEnd = findTrailingEoi(frame) ?? frame.length; // no EOI: a cut-off stream, caught after decoding
  // Fill bytes (FF) before a marker are not data; followed by our zeros they would read as a stuffed FF00.
  while (dataEnd > 0 && frame[dataEnd - 1] === 0xff) dataEnd--;
  const bytes = new Uint8Array(dataEnd + PAD + 2);
  bytes.set(frame.subarray(0, dataEnd));
  bytes[dataEnd + PAD] = 0xff;
  bytes[dataEnd + PAD + 1] = 0xd9;
  return { bytes, dataEnd };
}
