// numpy's arithmetic as the reference programs rely on it. Expected values printed once by numpy 1.24.2 (Debian
// python3-numpy) for the same inputs; compared with toBe: sequential summation differs in the last bits.
import { describe, expect, it } from 'vitest';
import { interp, linspace, npMean, npSum, searchsortedLeft } from '../../../src-main/eval/numpyArith';

describe('numpy arithmetic', () => {
  const a = Array.from({ length: 20000 }, (_, i) => 1 / (i + 3) + (i % 7) * 1e-3);
  it('np.sum / np.mean: pairwise summation, 8 accumulators, 8192-element blocks', () => {
    const got = [5, 9, 100, 128, 129, 1000, 8192, 8193, 20000].map((n) => [npSum(a.slice(0, n)), npMean(a.slice(0, n))]);
    expect(got).toEqual(EXPECTED);
  });
  it('np.linspace keeps start + i·step and the exact end point', () => {
    expect(linspace(0.125, 8, 10001)[10000]).toBe(8);
    expect(linspace(0, 1, 101)[70]).toBe(0.7000000000000001);
  });
  it('np.interp takes the last of repeated x and numpy\'s slope formula; searchsorted side=left', () => {
    expect(interp(0.25, [0, 0.25, 0.25, 0.5], [0, 0.1, 0.4, 0.7])).toBe(INTERP[1]);
    expect(interp(0.3, [0, 0.25, 0.25, 0.5], [0, 0.1, 0.4, 0.7])).toBe(INTERP[0]);
    expect(interp(9, [0, 1], [0, 0.5])).toBe(0.5);
    expect([0.2, 0.25, 0.35].map((v) => searchsortedLeft([0.1, 0.2, 0.2, 0.3], v))).toEqual([1, 3, 4]);
  });
});

// numpy 1.24.2: [np.sum(a[:n]), np.mean(a[:n])] for n = 5, 9, 100, 128, 129, 1000, 8192, 8193, 20000.
const EXPECTED = [
  [1.1028571428571428, 0.22057142857142856], [1.541877344877345, 0.17131970498637167], [4.002082429307258, 0.04002082429307258],
  [4.327591338265976, 0.03380930733020294], [4.337224926052237, 0.03362189865156773], [8.984467865541362, 0.008984467865541362],
  [32.659434142025916, 0.003986747331790273], [32.6615561676513, 0.003986519732411973], [68.97782820972995, 0.0034488914104864976],
];
// numpy 1.24.2: np.interp(0.3, …), np.interp(0.25, …) on xp [0, .25, .25, .5], fp [0, .1, .4, .7].
const INTERP = [0.45999999999999996, 0.4];
