// FROC/CPM against the LUNA16 script and ACC/QWK against scikit-learn. Values marked "LUNA16" were computed once by
// test/fixtures/eval/reference/luna16_ref.py (the script's matching and computeFROC with scikit-learn 1.2.1's
// roc_curve and numpy 1.24.2's interp); "sklearn" by scikit-learn 1.2.1 itself. Compared with toBe: to the bit.
import { describe, expect, it } from 'vitest';
import { froc } from '../../../src-main/eval/froc';
import type { FrocScan } from '../../../src-main/eval/froc';
import { accuracy, confusionMatrix, quadraticWeightedKappa } from '../../../src-main/eval/classificationMetrics';

describe('FROC / CPM', () => {
  // Two scans, 4 real nodules (+1 ignored). Ranked events by score:
  // 0.9 TP(a1) 0.8 FP 0.7 TP(a1 again, no count) 0.6 TP(b1) 0.5 ignored 0.4 FP 0.3 TP(b2) 0.2 FP 0.1 FP
  const scans: FrocScan[] = [
    {
      id: 'a',
      nodules: [{ center: [0, 0, 0], radiusMm: 5 }, { center: [50, 0, 0], radiusMm: 5 }],
      candidates: [
        { center: [1, 0, 0], score: 0.9 },
        { center: [20, 20, 20], score: 0.8 },
        { center: [0, 2, 0], score: 0.7 },
        { center: [-30, 0, 0], score: 0.2 },
      ],
    },
    {
      id: 'b',
      nodules: [{ center: [0, 0, 0], radiusMm: 4 }, { center: [0, 30, 0], radiusMm: 3 }, { center: [30, 0, 0], radiusMm: 3, ignore: true }],
      candidates: [
        { center: [0, 0, 3], score: 0.6 },
        { center: [30, 1, 0], score: 0.5 },
        { center: [90, 0, 0], score: 0.4 },
        { center: [0, 31, 0], score: 0.3 },
        { center: [0, 90, 0], score: 0.1 },
      ],
    },
  ];
  it('counts duplicate hits once, skips ignored nodules and reads sensitivity at the LUNA FP levels', () => {
    const r = froc(scans);
    expect(r.totalNodules).toBe(4);
    // FP per scan after each threshold: 0.9→0, 0.8→0.5, 0.7→0.5, 0.6→0.5, 0.5→0.5, 0.4→1, 0.3→1, 0.2→1.5, 0.1→2
    // sensitivity:                      1/4,     1/4,     1/4,     2/4,     2/4,     2/4,   3/4,   3/4,    3/4
    expect(r.sensitivities).toEqual([0.25, 0.25, 0.5, 0.75, 0.75, 0.75, 0.75]);
    expect(r.cpm).toBeCloseTo((0.25 + 0.25 + 0.5 + 0.75 * 4) / 7, 10);
    expect(r.maxSensitivity).toBe(0.75);
    expect(r.curve.at(-1)).toEqual({ threshold: 0.1, fpPerScan: 2, sensitivity: 0.75 });
  });
  it('issue 14 item 2: a candidate exactly on the radius is not a hit (squared distance strictly below)', () => {
    // Truth 1,-100.5,20.25,-150, diameter 10; candidate 1,-95.5,20.25,-150, 0.9: distance 5 = radius.
    const scan = (x: number): FrocScan[] => [{ id: '1', nodules: [{ center: [-100.5, 20.25, -150], radiusMm: 10 / 2 }], candidates: [{ center: [x, 20.25, -150], score: 0.9 }] }];
    const on = froc(scan(-95.5));
    expect(on.cpm).toBe(0); // LUNA16: no nodule found (the script's 0/0 gives NaN; 0 is the sensitivity)
    expect(on.curve.at(-1)).toMatchObject({ fpPerScan: 1, sensitivity: 0 });
    const inside = froc(scan(-95.50000000000001));
    expect(inside.sensitivities).toEqual([1, 1, 1, 1, 1, 1, 1]); // LUNA16
  });

  it('a TP and an FP at the same score make one point; sensitivity is interpolated along the diagonal', () => {
    const r = froc([{ id: '1', nodules: [{ center: [0, 0, 0], radiusMm: 5 }], candidates: [{ center: [1, 0, 0], score: 0.5 }, { center: [50, 0, 0], score: 0.5 }] }]);
    expect(r.sensitivities).toEqual([0.125, 0.25, 0.5, 1, 1, 1, 1]); // LUNA16
    expect(r.cpm).toBe(0.6964285714285714); // LUNA16
  });

  it('issue 14 item 7: FP per scan divides by every scan evaluated, including scans without truth or candidates', () => {
    const two: FrocScan[] = [
      { id: '1', nodules: [{ center: [0, 0, 0], radiusMm: 5 }], candidates: [{ center: [50, 0, 0], score: 0.9 }, { center: [0, 0, 1], score: 0.8 }] },
      { id: '2', nodules: [{ center: [0, 0, 0], radiusMm: 5 }], candidates: [{ center: [60, 0, 0], score: 0.7 }, { center: [0, 1, 0], score: 0.6 }] },
    ];
    const seen = froc(two);
    expect(seen.scans).toBe(2);
    expect(seen.sensitivities).toEqual([0, 0, 0.5, 1, 1, 1, 1]); // LUNA16 with seriesuids 1, 2
    expect(seen.cpm).toBe(0.6428571428571429);
    const listed = froc([...two, { id: '3', nodules: [], candidates: [] }, { id: '4', nodules: [], candidates: [] }]);
    expect(listed.scans).toBe(4);
    expect(listed.sensitivities).toEqual([0, 0.5, 1, 1, 1, 1, 1]); // LUNA16 with seriesuids 1, 2, 3, 4
    expect(listed.cpm).toBe(0.7857142857142857);
  });

  it('keeps at most the 100 best candidates of a scan, as the LUNA16 script (ties at the cut all go)', () => {
    const cands = Array.from({ length: 102 }, (_, i) => ({ center: [100 + i, 0, 0] as [number, number, number], score: i < 99 ? 1 - i / 1000 : 0.5 }));
    const r = froc([{ id: 's', nodules: [{ center: [0, 0, 0], radiusMm: 3 }], candidates: cands }], undefined, { maxCandidatesPerScan: 100 });
    expect(r.candidates).toBe(99); // the 100th-102nd share score 0.5 = the 101st best: all three dropped
    expect(r.candidatesOverCap).toBe(3);
  });

  it('a perfect detector has CPM 1', () => {
    const r = froc([{ id: 'x', nodules: [{ center: [0, 0, 0], radiusMm: 3 }], candidates: [{ center: [0, 0, 0], score: 1 }, { center: [9, 9, 9], score: 0.1 }] }]);
    expect(r.cpm).toBe(1);
  });
});

describe('classification metrics', () => {
  it('confusion matrix and accuracy', () => {
    const t = [0, 0, 1, 1, 2, 2];
    const p = [0, 1, 1, 1, 2, 0];
    expect(confusionMatrix(t, p, 3).counts).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
    expect(accuracy(t, p)).toBeCloseTo(4 / 6, 12);
    expect(() => confusionMatrix([3], [0], 3)).toThrow(/out of range/);
  });
  it('quadratic weighted kappa: 1 for agreement, < 0 for reversal, by-hand value otherwise', () => {
    expect(quadraticWeightedKappa([0, 1, 2], [0, 1, 2], 3)).toBe(1);
    expect(quadraticWeightedKappa([0, 2], [2, 0], 3)).toBeLessThan(0);
    // truth [0,1], predicted [0,0], k=2: O = [[1,0],[1,0]], w01 = w10 = 1; sum wO = 1;
    // rows [1,1], cols [2,0] → E = [[1,0],[1,0]], sum wE = 1 → kappa = 0.
    expect(quadraticWeightedKappa([0, 1], [0, 0], 2)).toBe(0);
  });
  it('QWK equals scikit-learn\'s cohen_kappa_score(weights=\'quadratic\') to the bit, NaN where it is 0/0', () => {
    expect(quadraticWeightedKappa([0, 1, 2, 2], [0, 2, 2, 1], 3)).toBe(0.6363636363636364); // sklearn
    expect(quadraticWeightedKappa([1, 1, 1], [1, 1, 1], 3)).toBeNaN(); // sklearn: nan (a single label)
  });
});
