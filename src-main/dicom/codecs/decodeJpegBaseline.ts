// 8-bit JPEG (Baseline .4.50, and Extended .4.51 streams of 8-bit precision) via libjpeg-turbo compiled to WASM.
import { decodeWithWasm, once, quietModule, type DecodedSamples } from './wasmCodec';

const loadLibJpegTurbo = once(async () => {
  const { default: factory } = await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs');
  return factory(quietModule);
});

export async function decodeJpegBaseline(uid: string, frame: Uint8Array): Promise<DecodedSamples> {
  const libjpeg = await loadLibJpegTurbo();
  return decodeWithWasm(uid, 'libjpeg-turbo', libjpeg.JPEGDecoder, frame);
}
