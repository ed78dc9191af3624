// Multi-frame encapsulated pixel data: splitFrames must find each frame whether the file has a Basic Offset
// Table or not, and with one or several fragments per frame.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CodecError, decodeFrame, splitFrames, type PixelDataFragment } from '../../../src-main/dicom/codecs/decodeFrame';
import { firstDifference } from '../../fixtures/codecs/compare';
import { readImage } from '../../fixtures/codecs/dicomFile';
import { lidcSlices } from '../../fixtures/codecs/paths';
import { hasTool, runTool } from '../../fixtures/codecs/tools';
import { writeVariant } from '../../fixtures/codecs/variants';

let dir = '';
let twoFrames = '';
let expected: Int16Array[] = [];
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-codecs-mf-'));
  const slices = lidcSlices(2);
  twoFrames = writeVariant('twoFrames', slices, dir);
  expected = slices.map((s) => readImage(s).native as Int16Array);
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const CASES = [
  { label: 'dcmcjpeg, offset table, one fragment per frame', tool: 'dcmcjpeg', args: [], bot: true, manyFragments: false },
  { label: 'dcmcjpeg, offset table, 16 KB fragments', tool: 'dcmcjpeg', args: ['+fs', '16'], bot: true, manyFragments: true },
  { label: 'dcmcjpeg, empty offset table, 16 KB fragments', tool: 'dcmcjpeg', args: ['-ot', '+fs', '16'], bot: false, manyFragments: true },
  { label: 'dcmcjpls, empty offset table, 16 KB fragments', tool: 'dcmcjpls', args: ['-ot', '+fs', '16'], bot: false, manyFragments: true },
  { label: 'dcmcrle', tool: 'dcmcrle', args: [], bot: true, manyFragments: false },
  { label: 'gdcmconv --j2k, empty offset table, one fragment per frame', tool: 'gdcmconv', args: ['--j2k'], bot: false, manyFragments: false },
];

describe.each(CASES)('$label', (c) => {
  it.skipIf(!hasTool(c.tool))(`splits and decodes both frames identically (skipped if ${c.tool} is missing)`, async () => {
    const out = path.join(dir, `${c.label.replace(/\W+/g, '_')}.dcm`);
    runTool(c.tool, [...c.args, twoFrames, out]);
    const img = readImage(out);
    expect(img.numberOfFrames).toBe(2);
    expect(img.basicOffsetTable.length > 0).toBe(c.bot);
    expect(img.fragmentCount > 2).toBe(c.manyFragments);
    expect(img.frames).toHaveLength(2);
    for (let k = 0; k < 2; k++) {
      const decoded = await decodeFrame(img.transferSyntaxUID, img.frames[k], img.info);
      expect(firstDifference(decoded, expected[k]), `frame ${k + 1}`).toBe(-1);
    }
  });
});

describe('splitFrames on hand-made fragment lists', () => {
  const soi = (n: number): Uint8Array => Uint8Array.from([0xff, 0xd8, 0xff, n]);
  const body = (n: number): Uint8Array => Uint8Array.from([n, n, n, n]);
  // Offsets count item headers (8 bytes each), as in the Basic Offset Table.
  const frags = (parts: Uint8Array[]): PixelDataFragment[] => {
    let offset = 0;
    return parts.map((bytes) => {
      const f = { offset, bytes };
      offset += 8 + bytes.length;
      return f;
    });
  };

  it('a single frame is all fragments concatenated', () => {
    const [frame] = splitFrames(frags([soi(1), body(2), body(3)]), 1, []);
    expect(Array.from(frame)).toEqual([0xff, 0xd8, 0xff, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
  });

  it('the offset table groups fragments, and a bad table is an error', () => {
    const f = frags([soi(1), body(2), soi(3), body(4), body(5)]); // offsets 0, 12, 24, 36, 48
    const frames = splitFrames(f, 2, [0, 24]);
    expect(frames.map((x) => x.length)).toEqual([8, 12]);
    expect(() => splitFrames(f, 2, [0, 20])).toThrow(/offset table entry 1 \(20\) does not point at a fragment/);
    expect(() => splitFrames(f, 3, [0, 24])).toThrow(CodecError);
  });

  it('without a table, codestream starts separate frames; ambiguity is an error', () => {
    const f = frags([soi(1), body(2), soi(3), body(4), body(5)]);
    expect(splitFrames(f, 2, []).map((x) => x[3])).toEqual([1, 3]);
    expect(() => splitFrames(f, 3, [])).toThrow(/5 fragments, no offset table, and 2 codestream starts for 3 frames/);
    expect(() => splitFrames([], 1, [])).toThrow(/no fragments/);
  });
});
