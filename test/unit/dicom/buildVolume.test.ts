// Stored values -> HU (masking, sign extension, High Bit, padding, rescale) and Enhanced multi-frame volumes.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { storedToHu } from '../../../src-main/dicom/storedToHu';
import { NO_DATA_HU } from '../../../src-main/dicom/checkGeometry';
import { readHeader } from '../../../src-main/dicom/readHeader';
import { groupSeries } from '../../../src-main/dicom/groupSeries';
import { planVolume } from '../../../src-main/dicom/planVolume';
import { buildVolume } from '../../../src-main/dicom/buildVolume';
import type { DicomHeader } from '../../../src-main/dicom/types';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries } from '../../fixtures/dicom/ctSeries';
import { pixelInfo } from '../../fixtures/dicom/pixelInfo';

const px = pixelInfo;

describe('storedToHu', () => {
  it('sign-extends 12-bit signed values and ignores bits above BitsStored', () => {
    const out = new Int16Array(4);
    // 0xF800 has garbage in the top nibble: the 12 stored bits 0x800 are -2048.
    storedToHu(new Uint16Array([0x0005, 0x0fff, 0xf800, 0x07ff]), px({ bitsStored: 12, highBit: 11 }), 1, 0, out, 0);
    expect([...out]).toEqual([5, -1, -2048, 2047]);
  });

  it('shifts by High Bit, applies slope/intercept with rounding, and clamps to int16', () => {
    const out = new Int16Array(4);
    // 12 bits stored at the top of the word (High Bit 15), unsigned.
    storedToHu(new Uint16Array([0x0010, 0x0020, 0xfff0, 0x0000]), px({ bitsStored: 12, highBit: 15, pixelRepresentation: 0 }), 0.5, -1.2, out, 0, 4);
    expect([...out]).toEqual([Math.round(0.5 - 1.2), Math.round(1 - 1.2), Math.round(4095 * 0.5 - 1.2), -1].map((v) => v + 0)); // +0: int16 has no -0
    const big = new Int16Array(2);
    const r = storedToHu(new Uint16Array([60000, 0]), px({ columns: 2, pixelRepresentation: 0 }), 1, 0, big, 0);
    expect([...big]).toEqual([32767, 0]);
    expect(r).toEqual({ min: 0, max: 32767 });
  });

  it('maps Pixel Padding (value and range) to no-data', () => {
    const out = new Int16Array(4);
    storedToHu(new Int16Array([-2000, -1990, -1000, 100]), px({ paddingValue: -2000, paddingRangeLimit: -1990 }), 1, -1024, out, 0);
    expect([...out]).toEqual([NO_DATA_HU, NO_DATA_HU, -2024, -924]);
  });
});

describe('Enhanced CT (multi-frame, per-frame functional groups)', () => {
  const dir = tempDir('enh');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const spec = { rows: 6, columns: 5, slices: 4, pixelSpacing: [0.9, 0.8] as [number, number], sliceStep: 3, origin: [5, 6, -70] as [number, number, number] };

  function headers(files: string[]): DicomHeader[] {
    return files.map((f) => {
      const r = readHeader(f);
      if (r.kind !== 'header') throw new Error(String(r.kind === 'error' ? r.reason : r.kind));
      return r.header;
    });
  }

  it('builds the same volume from one multi-frame file (frames stored in reverse) as from classic slices', async () => {
    const classic = writeCtSeries({ ...spec, dir: path.join(dir, 'classic') });
    const enhanced = writeCtSeries({ ...spec, dir: path.join(dir, 'enhanced'), enhanced: true });
    const eh = headers(enhanced.files);
    expect(eh[0].enhanced).toBe(true);
    expect(eh[0].frames).toHaveLength(4);
    expect(eh[0].frames[0].ipp).toEqual([5, 6, -61]); // first stored frame is the highest one
    const a = await buildVolume(planVolume(groupSeries(headers(classic.files)).groups[0]).plan!);
    const b = await buildVolume(planVolume(groupSeries(eh).groups[0]).plan!);
    // Classic slices carry their Instance Numbers per plane; the frames of one enhanced instance have none of their own.
    const { instanceNumbers, ...classicGeometry } = a.volume.geometry;
    expect(instanceNumbers).toEqual([4, 3, 2, 1]);
    expect(b.volume.geometry).toEqual(classicGeometry);
    expect([...b.volume.voxels]).toEqual([...a.volume.voxels]);
    // Voxel (i=2, j=3, k=1) holds the generator's ramp value + intercept.
    expect(a.volume.voxels[2 + 5 * (3 + 6 * 1)]).toBe(((2 + 9 + 100) % 2000) - 1000 - 1024);
  });
});
