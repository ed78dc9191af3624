// Shared plumbing for the Cornerstone WASM codecs (charls, openjpeg, libjpeg-turbo): each is an Emscripten
// MODULARIZE factory that locates its .wasm beside its own .js file, so it loads in plain Node, in an esbuild
// CommonJS bundle with node_modules external, and inside worker_threads alike.
import { CodecError, describeThrown } from './errors';

export interface WasmFrameInfo {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  isSigned?: boolean;
}

/** The decoder classes share this shape: copy in, decode, read a view of the WASM heap, free. */
export interface WasmDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): WasmFrameInfo;
  delete(): void;
}
type DecoderClass = new () => WasmDecoder;
export interface CharlsModule {
  JpegLSDecoder: DecoderClass;
}
export interface OpenJpegModule {
  J2KDecoder: DecoderClass;
}
export interface LibJpegTurboModule {
  JPEGDecoder: DecoderClass;
}
export type EmscriptenFactory<M> = (moduleArg?: object) => Promise<M>;

/** Module options that keep codec chatter (OpenJPEG warnings such as "Stream too short") off stdout/stderr;
 * failures still surface as CodecErrors. */
export const quietModule = { print: (): void => {}, printErr: (): void => {} };

/** What every codec module hands back: the codec's own samples, copied out of any WASM heap. */
export interface DecodedSamples {
  width: number;
  height: number;
  bitsPerSample: number;
  componentCount: number;
  /** One element per sample (8-bit codecs: Uint8Array; wider: Uint16Array bit patterns). */
  samples: Uint8Array | Uint16Array;
}

/** Initialise a module once and share it; a failed load is forgotten so the next call retries. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((e: unknown) => {
      pending = undefined;
      throw e;
    });
    return pending;
  };
}

/** Runs one frame through a WASM decoder and copies the result out before the decoder is freed. */
export function decodeWithWasm(uid: string, library: string, Decoder: DecoderClass, frame: Uint8Array): DecodedSamples {
  const decoder = new Decoder();
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    try {
      decoder.decode();
    } catch (e) {
      // These builds throw C++ exceptions as bare pointers (numbers) with no message to read back.
      const reason = typeof e === 'number' ? `${library} rejected the stream as corrupt or truncated` : `${library}: ${describeThrown(e)}`;
      throw new CodecError(uid, reason, { cause: e });
    }
    const info = decoder.getFrameInfo();
    // OpenJPEG reports some failures (e.g. a cut-off codestream) by decoding nothing rather than throwing.
    if (!(info.width > 0 && info.height > 0)) {
      throw new CodecError(uid, `${library} produced no image (stream truncated or corrupt)`);
    }
    const heap = decoder.getDecodedBuffer();
    const count = info.width * info.height * info.componentCount;
    const bytesPerSample = info.bitsPerSample > 8 ? 2 : 1;
    if (heap.length < count * bytesPerSample) {
      throw new CodecError(uid, `decoder produced ${heap.length} bytes, expected ${count * bytesPerSample}`);
    }
    return { ...pickInfo(info), samples: copySamples(heap, count, bytesPerSample) };
  } finally {
    decoder.delete();
  }
}

function pickInfo(i: WasmFrameInfo): Omit<DecodedSamples, 'samples'> {
  return { width: i.width, height: i.height, bitsPerSample: i.bitsPerSample, componentCount: i.componentCount };
}

function copySamples(heap: Uint8Array, count: number, bytesPerSample: 1 | 2): Uint8Array | Uint16Array {
  if (bytesPerSample === 1) return heap.slice(0, count);
  // WASM memory is little-endian, like every platform Pulmo ships on; slice() copies and realigns.
  return new Uint16Array(heap.buffer.slice(heap.byteOffset, heap.byteOffset + count * 2));
}
