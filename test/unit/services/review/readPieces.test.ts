// Pure pieces of the second read: mask run-length coding, CSV cells, de-identification UIDs, tracking UIDs and the
// exam conclusion (category from lungRadsExam, v2022 management text).
import { describe, expect, it } from 'vitest';
import { decodeRuns, encodeRuns } from '../../../../src-main/store/masks';
import { csvCell } from '../../../../src-main/formats/csv/findingsCsv';
import { remapUid } from '../../../../src-main/formats/deidentify';
import { trackingUidOf } from '../../../../src-main/services/review/readModel';
import { examConclusion, LUNG_RADS_MANAGEMENT } from '../../../../src-main/services/review/conclusion';
import type { Finding } from '../../../../src-main/shared/types';
import { mulberry32 } from '../../../fixtures/prng';

describe('mask runs', () => {
  it('round-trips random masks, empty and full ones', () => {
    const rnd = mulberry32(11);
    for (const n of [0, 1, 7, 1000]) {
      for (const density of [0, 0.3, 1]) {
        const m = new Uint8Array(n).map(() => (rnd() < density ? 1 : 0));
        expect(decodeRuns(encodeRuns(m), n)).toEqual(m);
      }
    }
  });
  it('refuses runs that do not cover the box', () => {
    expect(() => decodeRuns(encodeRuns(new Uint8Array(10)), 11)).toThrow(/corrupt/);
  });
});

describe('CSV cells', () => {
  it('quotes separators and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(-12.5)).toBe('-12.5');
    expect(csvCell(null)).toBe('');
  });
});

describe('UIDs', () => {
  it('de-identification UIDs are stable per key, differ across keys, and are valid DICOM UIDs', () => {
    const a = remapUid('1.2.3.4', 'k1');
    expect(remapUid('1.2.3.4', 'k1')).toBe(a);
    expect(remapUid('1.2.3.4', 'k2')).not.toBe(a);
    expect(a).toMatch(/^2\.25\.[1-9][0-9]*$/);
    expect(a.length).toBeLessThanOrEqual(64);
  });
  it('tracking UIDs are the finding UUID as a 2.25 integer', () => {
    expect(trackingUidOf('00000000-0000-0000-0000-0000000000ff')).toBe('2.25.255');
    expect(trackingUidOf('ffffffff-ffff-ffff-ffff-ffffffffffff')).toBe(`2.25.${(2n ** 128n - 1n).toString()}`);
  });
});

describe('exam conclusion', () => {
  const nodule = (type: Finding['type'], d: number): Finding => ({ type, diameterMm: d, label: 'n' }) as Finding;
  it('takes the most suspicious counted nodule and gives the v2022 management', () => {
    const c = examConclusion([nodule('solid', 5), nodule('solid', 9.2)], { sModifier: true, sText: 'emphysema' });
    expect(c.category).toBe('4A');
    expect(c.recommendation).toBe(LUNG_RADS_MANAGEMENT['4A']);
    expect(c).toMatchObject({ sModifier: true, sText: 'emphysema', noduleCount: 2 });
    expect(examConclusion([], {}).category).toBe('1');
  });
  it('says why when a counted nodule has no size', () => {
    const c = examConclusion([nodule(null, 5)], {});
    expect(c.category).toBeNull();
    expect(c.reason).toMatch(/no measured size/);
  });
});
