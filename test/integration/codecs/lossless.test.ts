// Every lossless syntax, written by dcmtk and GDCM from real CT slices, must decode to exactly the stored
// values of the uncompressed original: signed 16-bit (the real LIDC data, negative values included),
// unsigned 16-bit, and 12-bit signed and unsigned.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../src-main/dicom/codecs/decodeFrame';
import { firstDifference } from '../../fixtures/codecs/compare';
import { readImage } from '../../fixtures/codecs/dicomFile';
import { lidcSlices } from '../../fixtures/codecs/paths';
import { hasTool, runTool } from '../../fixtures/codecs/tools';
import { writeVariant, type VariantName } from '../../fixtures/codecs/variants';

interface Encoder {
  label: string;
  tool: string;
  args: (input: string, output: string) => string[];
  uid: string;
}
const ENCODERS: Encoder[] = [
  { label: 'gdcmconv --jpeg', tool: 'gdcmconv', args: (i, o) => ['--jpeg', i, o], uid: '1.2.840.10008.1.2.4.70' },
  { label: 'dcmcjpeg (SV1)', tool: 'dcmcjpeg', args: (i, o) => [i, o], uid: '1.2.840.10008.1.2.4.70' },
  { label: 'dcmcjpeg +el +sv 6 (process 14)', tool: 'dcmcjpeg', args: (i, o) => ['+el', '+sv', '6', i, o], uid: '1.2.840.10008.1.2.4.57' },
  { label: 'gdcmconv --jpegls', tool: 'gdcmconv', args: (i, o) => ['--jpegls', i, o], uid: '1.2.840.10008.1.2.4.80' },
  { label: 'dcmcjpls', tool: 'dcmcjpls', args: (i, o) => [i, o], uid: '1.2.840.10008.1.2.4.80' },
  { label: 'gdcmconv --j2k', tool: 'gdcmconv', args: (i, o) => ['--j2k', i, o], uid: '1.2.840.10008.1.2.4.90' },
  { label: 'gdcmconv --rle', tool: 'gdcmconv', args: (i, o) => ['--rle', i, o], uid: '1.2.840.10008.1.2.5' },
  { label: 'dcmcrle', tool: 'dcmcrle', args: (i, o) => [i, o], uid: '1.2.840.10008.1.2.5' },
];

const VARIANTS: VariantName[] = ['unsigned16', 'unsigned12', 'signed12'];
let dir = '';
const inputs: Record<string, string> = {};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-codecs-'));
  const slices = lidcSlices(2);
  slices.forEach((s, k) => (inputs[`lidc-signed16-slice${k + 1}`] = s));
  for (const v of VARIANTS) inputs[v] = writeVariant(v, slices, dir);
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const INPUT_NAMES = ['lidc-signed16-slice1', 'lidc-signed16-slice2', ...VARIANTS];

describe.each(ENCODERS)('$label', (enc) => {
  it.skipIf(!hasTool(enc.tool)).each(INPUT_NAMES)(`decodes %s identically (skipped if ${enc.tool} is missing)`, async (name) => {
    const original = readImage(inputs[name]);
    const out = path.join(dir, `${name}.${enc.label.replace(/\W+/g, '_')}.dcm`);
    runTool(enc.tool, enc.args(inputs[name], out));

    const compressed = readImage(out);
    expect(compressed.transferSyntaxUID).toBe(enc.uid);
    expect(compressed.frames).toHaveLength(1);
    const decoded = await decodeFrame(compressed.transferSyntaxUID, compressed.frames[0], compressed.info);

    const expected = original.native!;
    expect(decoded).toBeInstanceOf(original.info.pixelRepresentation === 1 ? Int16Array : Uint16Array);
    expect(decoded.length).toBe(original.info.rows * original.info.columns);
    expect(firstDifference(decoded, expected)).toBe(-1);
    if (original.info.pixelRepresentation === 1) expect(decoded.some((v) => v < 0)).toBe(true); // negatives survived
  });
});
