import { describe, expect, it } from 'vitest';
import { cocoEvaluate, iou } from '../../../src-main/eval/cocoDetection';
import type { CocoDet, CocoGt } from '../../../src-main/eval/cocoDetection';

describe('COCO detection AP/AR', () => {
  it('IoU of boxes', () => {
    expect(iou([0, 0, 10, 10], [0, 0, 10, 10])).toBe(1);
    expect(iou([0, 0, 10, 10], [5, 0, 10, 10])).toBeCloseTo(50 / 150, 12);
    expect(iou([0, 0, 10, 10], [20, 20, 5, 5])).toBe(0);
  });

  it('a perfect detector scores 1 everywhere', () => {
    const gt: CocoGt[] = [{ imageId: 'a', category: 'nodule', box: [10, 10, 20, 20] }, { imageId: 'b', category: 'nodule', box: [0, 0, 5, 5] }];
    const det: CocoDet[] = gt.map((g) => ({ ...g, score: 0.9 }));
    const r = cocoEvaluate(gt, det);
    expect([r.ap, r.ap50, r.ap75, r.ar100]).toEqual([1, 1, 1, 1]);
  });

  it('an FP ranked above the TP halves the precision; IoU 0.6 counts only at thresholds 0.50-0.60', () => {
    const gt: CocoGt[] = [{ imageId: 'a', category: 'nodule', box: [0, 0, 10, 10] }];
    // IoU = 60/100... box [0,0,10,6] inside the gt: inter 60, union 100 → 0.6.
    const det: CocoDet[] = [
      { imageId: 'a', category: 'nodule', box: [50, 50, 10, 10], score: 0.9 },
      { imageId: 'a', category: 'nodule', box: [0, 0, 10, 6], score: 0.8 },
    ];
    const r = cocoEvaluate(gt, det);
    // At t <= 0.6: precision 1/2 at recall 1 → AP 0.5; at t > 0.6: AP 0. Thresholds 0.50, 0.55, 0.60 → 3 of 10.
    expect(r.ap50).toBeCloseTo(0.5, 12);
    expect(r.ap75).toBe(0);
    expect(r.ap).toBeCloseTo(0.15, 12);
    expect(r.ar100).toBeCloseTo(0.3, 12);
  });

  it('averages over categories and matches each ground truth once', () => {
    const gt: CocoGt[] = [{ imageId: 'a', category: 'benign', box: [0, 0, 10, 10] }, { imageId: 'a', category: 'malignant', box: [20, 20, 10, 10] }];
    const det: CocoDet[] = [
      { imageId: 'a', category: 'benign', box: [0, 0, 10, 10], score: 0.9 },
      { imageId: 'a', category: 'benign', box: [0, 0, 10, 10], score: 0.8 }, // duplicate: FP after the TP
      { imageId: 'a', category: 'malignant', box: [0, 0, 10, 10], score: 0.9 }, // wrong place
    ];
    const r = cocoEvaluate(gt, det);
    expect(r.perCategory.benign.ap).toBe(1);
    expect(r.perCategory.malignant.ap).toBe(0);
    expect(r.ap).toBe(0.5);
  });
});
