// JPEG 2000 (.4.90/.4.91) and HTJ2K (.4.201-.203) via OpenJPEG (>= 2.5 decodes HT code-blocks) compiled to WASM.
import { decodeWithWasm, once, quietModule, type DecodedSamples } from './wasmCodec';

const loadOpenJpeg = once(async () => {
  const { default: factory } = await import('@cornerstonejs/codec-openjpeg/decodewasmjs');
  return factory(quietModule);
});

export async function decodeJpeg2000(uid: string, frame: Uint8Array): Promise<DecodedSamples> {
  const openjpeg = await loadOpenJpeg();
  return decodeWithWasm(uid, 'OpenJPEG', openjpeg.J2KDecoder, frame);
}
