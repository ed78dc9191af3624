// Small readers of JPEG-family marker structure, used to check streams before handing them to a codec.

/** Index of the EOI marker (FF D9) at the end of a stream, allowing the few pad bytes a fragment may add; undefined when missing. */
export function findTrailingEoi(frame: Uint8Array): number | undefined {
  for (let i = frame.length - 2; i >= Math.max(0, frame.length - 8); i--) {
    if (frame[i] === 0xff && frame[i + 1] === 0xd9) return i;
  }
  return undefined;
}

/** Sample precision (P) from the first SOF marker, or undefined if none is found before the scan. */
export function jpegSamplePrecision(frame: Uint8Array): number | undefined {
  let i = 2; // after SOI
  while (i + 4 < frame.length) {
    if (frame[i] !== 0xff) return undefined;
    const marker = frame[i + 1];
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return frame[i + 4];
    if (marker === 0xda) return undefined; // start of scan before any SOF
    i += 2 + ((frame[i + 2] << 8) | frame[i + 3]);
  }
  return undefined;
}
