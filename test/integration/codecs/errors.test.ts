// Bad input gives a clear error that names the transfer syntax, and a codec keeps working after one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CodecError,
  decodeFrame,
  isEncapsulatedSyntaxSupported,
  transferSyntaxName,
  UnsupportedTransferSyntaxError,
  type FrameInfo,
} from '../../../src-main/dicom/codecs/decodeFrame';
import { firstDifference } from '../../fixtures/codecs/compare';
import { readImage, type ParsedImage } from '../../fixtures/codecs/dicomFile';
import { lidcSlices } from '../../fixtures/codecs/paths';
import { hasTool, runTool } from '../../fixtures/codecs/tools';
import { writeVariant } from '../../fixtures/codecs/variants';

const CASES = [
  { uid: '1.2.840.10008.1.2.4.70', tool: 'dcmcjpeg', args: [] as string[], input: 'slice' },
  { uid: '1.2.840.10008.1.2.4.80', tool: 'dcmcjpls', args: [], input: 'slice' },
  { uid: '1.2.840.10008.1.2.4.90', tool: 'gdcmconv', args: ['--j2k'], input: 'slice' },
  { uid: '1.2.840.10008.1.2.5', tool: 'dcmcrle', args: [], input: 'slice' },
  { uid: '1.2.840.10008.1.2.4.50', tool: 'dcmcjpeg', args: ['+eb'], input: 'window8' },
] as const;

let dir = '';
let source: ParsedImage;
const compressed = new Map<string, ParsedImage>();
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-codecs-err-'));
  const slices = lidcSlices(1);
  source = readImage(slices[0]);
  const inputs = { slice: slices[0], window8: writeVariant('window8', slices, dir) };
  for (const c of CASES) {
    if (!hasTool(c.tool)) continue;
    const out = path.join(dir, `${c.uid}.dcm`);
    runTool(c.tool, [...c.args, inputs[c.input], out]);
    compressed.set(c.uid, readImage(out));
  }
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Deterministic noise (xorshift), so a failure reproduces. */
function noise(length: number, seed = 12345): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

describe.each(CASES)('$uid', (c) => {
  it.skipIf(!hasTool(c.tool))(`a truncated frame is rejected with a CodecError naming the syntax (skipped if ${c.tool} is missing)`, async () => {
    const img = compressed.get(c.uid)!;
    const cut = img.frames[0].subarray(0, Math.floor(img.frames[0].length * 0.6));
    const err = await decodeFrame(c.uid, cut, img.info).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecError);
    expect((err as Error).message).toContain(c.uid);
    expect((err as Error).message).toContain(transferSyntaxName(c.uid));
  });

  it.skipIf(!hasTool(c.tool))('noise is rejected, and the codec still decodes a good frame afterwards', async () => {
    const img = compressed.get(c.uid)!;
    await expect(decodeFrame(c.uid, noise(4096), img.info)).rejects.toBeInstanceOf(CodecError);
    const again = await decodeFrame(c.uid, img.frames[0], img.info);
    if (c.input === 'slice') expect(firstDifference(again, source.native!)).toBe(-1);
    else expect(again.length).toBe(img.info.rows * img.info.columns);
  });
});

describe('header checks', () => {
  it.skipIf(!hasTool('dcmcjpeg'))('a frame whose size disagrees with Rows/Columns is rejected', async () => {
    const img = compressed.get('1.2.840.10008.1.2.4.70')!;
    const wrong: FrameInfo = { ...img.info, rows: 256 };
    await expect(decodeFrame(img.transferSyntaxUID, img.frames[0], wrong)).rejects.toThrow(/decoded 512x512 .* header says 256x512/);
  });

  it('colour and odd bit depths are refused before decoding', async () => {
    const info: FrameInfo = { rows: 2, columns: 2, bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 0, samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2' };
    const rle = '1.2.840.10008.1.2.5';
    await expect(decodeFrame(rle, noise(80), { ...info, samplesPerPixel: 3, photometricInterpretation: 'RGB' })).rejects.toThrow(/3 samples per pixel \(RGB\)/);
    await expect(decodeFrame(rle, noise(80), { ...info, bitsAllocated: 32 })).rejects.toThrow(/bits allocated 32/);
    await expect(decodeFrame(rle, noise(80), { ...info, bitsStored: 17 })).rejects.toThrow(/bits stored 17/);
    await expect(decodeFrame(rle, new Uint8Array(0), info)).rejects.toThrow(/empty/);
  });
});

describe('transfer syntax table', () => {
  it('an unknown UID is refused with UnsupportedTransferSyntaxError naming it', async () => {
    const err = await decodeFrame('1.2.3.4.5.6', new Uint8Array(16), {
      rows: 1, columns: 1, bitsAllocated: 16, bitsStored: 16, pixelRepresentation: 0, samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedTransferSyntaxError);
    expect((err as UnsupportedTransferSyntaxError).uid).toBe('1.2.3.4.5.6');
    expect((err as Error).message).toBe('unsupported transfer syntax 1.2.3.4.5.6 (unknown transfer syntax)');
  });

  it('known syntaxes without a decoder are refused by name', async () => {
    const info: FrameInfo = { rows: 1, columns: 1, bitsAllocated: 8, bitsStored: 8, pixelRepresentation: 0, samplesPerPixel: 1, photometricInterpretation: 'MONOCHROME2' };
    await expect(decodeFrame('1.2.840.10008.1.2.4.100', new Uint8Array(8), info)).rejects.toThrow(
      'unsupported transfer syntax 1.2.840.10008.1.2.4.100 (MPEG2 Main Profile / Main Level): Pulmo has no decoder for it',
    );
    await expect(decodeFrame('1.2.840.10008.1.2.1', new Uint8Array(8), info)).rejects.toThrow(/Explicit VR Little Endian\): it is not encapsulated/);
  });

  it('names every common syntax and reports which encapsulated ones decode', () => {
    const decodable = ['1.2.840.10008.1.2.5', '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70',
      '1.2.840.10008.1.2.4.80', '1.2.840.10008.1.2.4.81', '1.2.840.10008.1.2.4.90', '1.2.840.10008.1.2.4.91',
      '1.2.840.10008.1.2.4.201', '1.2.840.10008.1.2.4.202', '1.2.840.10008.1.2.4.203'];
    const notDecodable = ['1.2.840.10008.1.2', '1.2.840.10008.1.2.1', '1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.2', '1.2.840.10008.1.2.4.92',
      '1.2.840.10008.1.2.4.93', '1.2.840.10008.1.2.4.100', '1.2.840.10008.1.2.4.102', '1.2.840.10008.1.2.4.107'];
    for (const uid of [...decodable, ...notDecodable]) expect(transferSyntaxName(uid), uid).not.toBe('unknown transfer syntax');
    for (const uid of decodable) expect(isEncapsulatedSyntaxSupported(uid), uid).toBe(true);
    for (const uid of notDecodable) expect(isEncapsulatedSyntaxSupported(uid), uid).toBe(false);
    expect(transferSyntaxName('1.2.840.10008.1.2.4.70 ')).toContain('Selection Value 1'); // UIDs padded to even length
  });
});
