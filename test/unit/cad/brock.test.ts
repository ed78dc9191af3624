import { describe, expect, it } from 'vitest';
import { brockLogit, brockProbability } from '../../../src-main/cad/brock';
import type { BrockInput } from '../../../src-main/cad/brock';

const base: BrockInput = { ageYears: 62, sex: 'male', familyHistoryLungCancer: false, emphysema: false, sizeMm: 10, type: 'solid', upperLobe: false, noduleCount: 4, spiculation: false };

describe('Brock (PanCan) full model', () => {
  it('reference case: 62-year-old man, solid 10 mm, lower lobe, 4 nodules', () => {
    // By hand: size term -5.3854 * ((10/10)^-0.5 - 1.58113883) = -5.3854 * -0.58113883 = 3.129665;
    // logit = -6.7892 + 3.129665 = -3.659535; p = 1 / (1 + e^3.659535) = 1 / 39.8433 = 0.025098.
    expect(brockLogit(base)).toBeCloseTo(-3.659535, 5);
    expect(brockProbability(base)).toBeCloseTo(0.025098, 5);
  });

  it('high-risk case: 70-year-old woman, family history, emphysema, part-solid 20 mm, upper lobe, spiculated, 1 nodule', () => {
    const input: BrockInput = { ageYears: 70, sex: 'female', familyHistoryLungCancer: true, emphysema: true, sizeMm: 20, type: 'part-solid', upperLobe: true, noduleCount: 1, spiculation: true };
    // age 0.0287*8 = 0.2296; female 0.6011; FH 0.2961; emphysema 0.2953;
    // size -5.3854 * (20/10)^-0.5 = -5.3854 * 0.70710678 = -3.808052, minus -5.3854 * 1.58113883 (= -8.515065) → +4.707013;
    // part-solid 0.377; upper lobe 0.6581; count -0.0824 * (1-4) = 0.2472; spiculation 0.7729.
    // logit = -6.7892 + 0.2296 + 0.6011 + 0.2961 + 0.2953 + 4.707013 + 0.377 + 0.6581 + 0.2472 + 0.7729 = 1.395113
    expect(brockLogit(input)).toBeCloseTo(1.395113, 5);
    expect(brockProbability(input)).toBeCloseTo(1 / (1 + Math.exp(-1.395113)), 6);
  });

  it('ground-glass lowers and spiculation raises the risk; size is monotone', () => {
    expect(brockProbability({ ...base, type: 'ground-glass' })).toBeLessThan(brockProbability(base));
    expect(brockProbability({ ...base, spiculation: true })).toBeGreaterThan(brockProbability(base));
    expect(brockProbability({ ...base, sizeMm: 4 })).toBeLessThan(brockProbability({ ...base, sizeMm: 6 }));
  });

  it('rejects impossible input', () => {
    expect(() => brockProbability({ ...base, sizeMm: 0 })).toThrow(/size/);
    expect(() => brockProbability({ ...base, noduleCount: 0 })).toThrow(/count/);
  });
});
