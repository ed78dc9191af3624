// 8-bit BMP reader for LDFC slices (Windows BITMAPINFOHEADER, 8 bits per pixel, palette, uncompressed). Pixels are
// returned top row first; a grey palette maps each index to its grey level. Anything else is refused, naming the file.
import fs from 'node:fs';

export interface GreyImage {
  width: number;
  height: number;
  /** Grey level 0-255 per pixel, row-major, top row first. */
  pixels: Uint8Array;
}

export function readBmp8(file: string): GreyImage {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${file}: cannot be read (${(err as Error).message})`);
  }
  const bad = (why: string): never => {
    throw new Error(`${file}: not an 8-bit grey BMP (${why})`);
  };
  if (buf.length < 54 || buf.toString('latin1', 0, 2) !== 'BM') bad('no BM signature');
  const dataOffset = buf.readUInt32LE(10);
  const headerSize = buf.readUInt32LE(14);
  if (headerSize < 40) bad(`header size ${headerSize}`);
  const width = buf.readInt32LE(18);
  const rawHeight = buf.readInt32LE(22);
  const bpp = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  if (bpp !== 8) bad(`${bpp} bits per pixel`);
  if (compression !== 0) bad(`compression ${compression}`);
  if (width <= 0 || rawHeight === 0 || width > 16384 || Math.abs(rawHeight) > 16384) bad(`size ${width}x${rawHeight}`);
  const height = Math.abs(rawHeight);
  const colours = buf.readUInt32LE(46) || 256;
  const palette = new Uint8Array(256);
  const palStart = 14 + headerSize;
  if (palStart + colours * 4 > dataOffset) bad('palette overlaps the pixels');
  for (let i = 0; i < colours; i++) {
    const b = buf[palStart + i * 4], g = buf[palStart + i * 4 + 1], r = buf[palStart + i * 4 + 2];
    if (r !== g || g !== b) bad(`palette entry ${i} is not grey`);
    palette[i] = g;
  }
  const stride = Math.ceil(width / 4) * 4;
  if (dataOffset + stride * height > buf.length) bad(`truncated: ${buf.length} bytes for ${width}x${height}`);
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const srcRow = rawHeight > 0 ? height - 1 - y : y; // positive height = bottom-up rows
    const o = dataOffset + srcRow * stride;
    for (let x = 0; x < width; x++) pixels[y * width + x] = palette[buf[o + x]];
  }
  return { width, height, pixels };
}
