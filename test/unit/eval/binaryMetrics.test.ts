// AUC, Brier, ECE, sensitivity/specificity and the patient-bootstrap interval, each against a direct computation.
import { describe, expect, it } from 'vitest';
import { brierScore, expectedCalibrationError, groupBootstrapCI, rocAuc, sensSpec } from '../../../src-main/eval/binaryMetrics';
import { mulberry32 } from '../../fixtures/prng';

/** AUC by definition: the share of (positive, negative) pairs ranked correctly, ties half. */
function pairAuc(t: number[], s: number[]): number {
  let ok = 0, n = 0;
  t.forEach((a, i) => t.forEach((b, j) => {
    if (a === 1 && b === 0) { n++; ok += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0; }
  }));
  return ok / n;
}

describe('binary metrics', () => {
  const rnd = mulberry32(11);
  const truth = Array.from({ length: 300 }, () => (rnd() < 0.35 ? 1 : 0));
  // Scores with ties (rounded) and signal.
  const score = truth.map((t) => Math.round((0.3 * t + 0.7 * rnd()) * 20) / 20);

  it('ROC AUC equals the pairwise definition, ties counted half', () => {
    expect(rocAuc(truth, score)).toBeCloseTo(pairAuc(truth, score), 12);
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.2, 0.3, 0.4])).toBe(1);
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('Brier score and ECE by hand', () => {
    expect(brierScore([1, 0, 1], [0.9, 0.2, 0.4])).toBeCloseTo((0.01 + 0.04 + 0.36) / 3, 12);
    // Bin 0.8-0.9: p 0.85 ×2, outcomes 1,0 → |0.85-0.5| × 2; bin 0.1-0.2: p 0.1, outcome 0 → 0.1 × 1; 1.0 in the last bin.
    expect(expectedCalibrationError([1, 0, 0, 1], [0.85, 0.85, 0.1, 1])).toBeCloseTo((0.35 * 2 + 0.1 + 0) / 4, 12);
  });

  it('sensitivity and specificity at a threshold (at or above = positive)', () => {
    expect(sensSpec([1, 1, 0, 0, 0], [0.5, 0.4, 0.5, 0.1, 0.2], 0.5)).toEqual({ sensitivity: 0.5, specificity: 2 / 3 });
  });

  it('the patient-bootstrap interval brackets the AUC, is reproducible, and is wider than a per-sample one when a patient has several correlated samples', () => {
    const groups = truth.map((_, i) => `p${Math.floor(i / 2)}`);
    const f = (idx: number[]) => rocAuc(idx.map((i) => truth[i]), idx.map((i) => score[i]));
    const ci = groupBootstrapCI(groups, f, 500);
    const auc = rocAuc(truth, score);
    expect(ci[0]).toBeLessThan(auc);
    expect(ci[1]).toBeGreaterThan(auc);
    expect(groupBootstrapCI(groups, f, 500)).toEqual(ci);
    // Each patient's nodule seen on 5 slices (identical scores): resampling slices pretends to 5x the data.
    const t5 = truth.flatMap((t) => [t, t, t, t, t]);
    const s5 = score.flatMap((v) => [v, v, v, v, v]);
    const f5 = (idx: number[]) => rocAuc(idx.map((i) => t5[i]), idx.map((i) => s5[i]));
    const byPatient = groupBootstrapCI(t5.map((_, i) => `p${Math.floor(i / 5)}`), f5, 500);
    const bySlice = groupBootstrapCI(t5.map((_, i) => `s${i}`), f5, 500);
    expect(byPatient[1] - byPatient[0]).toBeGreaterThan(1.5 * (bySlice[1] - bySlice[0]));
  });
});
