// Types for the codec packages, which ship none (Emscripten MODULARIZE factories and a JS decoder).

declare module '@cornerstonejs/codec-charls/decodewasmjs' {
  const factory: import('./wasmCodec').EmscriptenFactory<import('./wasmCodec').CharlsModule>;
  export default factory;
}
declare module '@cornerstonejs/codec-openjpeg/decodewasmjs' {
  const factory: import('./wasmCodec').EmscriptenFactory<import('./wasmCodec').OpenJpegModule>;
  export default factory;
}
declare module '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs' {
  const factory: import('./wasmCodec').EmscriptenFactory<import('./wasmCodec').LibJpegTurboModule>;
  export default factory;
}
declare module 'jpeg-lossless-decoder-js' {
  export class Decoder {
    constructor(buffer?: ArrayBuffer, numBytes?: number);
    /** Decodes one JPEG lossless stream; the output holds xDim*yDim*numComp samples. */
    decode(buffer: ArrayBuffer, offset?: number, length?: number, numBytes?: number): Uint8Array | Uint16Array;
    frame: { dimX: number; dimY: number; precision: number; numComp: number };
    numComp: number;
    xLoc: number;
    yLoc: number;
    stream: { buffer: Uint8Array; index: number } | null;
  }
}
