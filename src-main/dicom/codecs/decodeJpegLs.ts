// JPEG-LS (1.2.840.10008.1.2.4.80 lossless, .81 near-lossless) via CharLS compiled to WASM.
import { CodecError } from './errors';
import { findTrailingEoi } from './jpegMarkers';
import { decodeWithWasm, once, quietModule, type DecodedSamples } from './wasmCodec';

const loadCharls = once(async () => {
  const { default: factory } = await import('@cornerstonejs/codec-charls/decodewasmjs');
  return factory(quietModule);
});

export async function decodeJpegLs(uid: string, frame: Uint8Array): Promise<DecodedSamples> {
  // CharLS spends 5-20 s on a cut-off 512x512 stream (it decodes the missing part as zero bits) before it
  // throws; a complete stream always ends with EOI, so refuse one without it at once.
  if (findTrailingEoi(frame) === undefined) throw new CodecError(uid, 'stream truncated: no EOI marker at its end');
  const charls = await loadCharls();
  return decodeWithWasm(uid, 'CharLS', charls.JpegLSDecoder, frame);
}
