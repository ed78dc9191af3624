// COCO bbox metrics against pycocotools. Expected values marked "pycocotools" were computed once by COCOeval's
// algorithm (test/fixtures/eval/reference/cocoeval_ref.py, numpy 1.24.2; the 0.5050 and 0.789879 of issue 14 were
// printed by pycocotools 2.0 itself) and are compared with toBe: Pulmo must agree to the last bit.
import { describe, expect, it } from 'vitest';
import { AREA_RANGES, cocoEvaluate, iou, IOU_THRESHOLDS, RECALL_THRESHOLDS, sortImageIds } from '../../../src-main/eval/cocoDetection';
import type { Box2D, CocoDet, CocoGt } from '../../../src-main/eval/cocoDetection';

const gt = (imageId: string, box: Box2D, category = 'nodule'): CocoGt => ({ imageId, category, box });
const det = (imageId: string, box: Box2D, score: number, category = 'nodule'): CocoDet => ({ imageId, category, box, score });

describe('thresholds as pycocotools stores them', () => {
  it('IoU and recall thresholds equal numpy 1.24 np.linspace output, value for value', () => {
    // repr(np.linspace(.5, 0.95, 10)) and the 10 recall points of np.linspace(0, 1, 101) that are not i/100.
    expect(IOU_THRESHOLDS).toEqual([0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.8999999999999999, 0.95]);
    const off = RECALL_THRESHOLDS.map((v, i) => [i, v]).filter(([i, v]) => v !== i / 100);
    expect(off).toEqual([[35, 0.35000000000000003], [41, 0.41000000000000003], [47, 0.47000000000000003], [57, 0.5700000000000001], [69, 0.6900000000000001], [70, 0.7000000000000001], [82, 0.8200000000000001], [83, 0.8300000000000001], [94, 0.9400000000000001], [95, 0.9500000000000001]]);
    expect(AREA_RANGES.small).toEqual([0, 1024]);
    expect(AREA_RANGES.large).toEqual([9216, 1e10]);
  });

  it('IoU is computed as bbIou: (100,200)–(108,208) vs [100,200,5.6,8] is 0.6999999999999988 in doubles', () => {
    expect(iou([100, 200, 5.6, 8], [100, 200, 8, 8])).toBe(0.6999999999999988);
    expect(iou([0, 0, 10, 10], [5, 0, 10, 10])).toBe(50 / 150);
    expect(iou([0, 0, 10, 10], [10, 0, 5, 5])).toBe(0); // touching edges do not overlap
  });

  it('issue 14 item 4: that box is rejected at IoU 0.70 (strict compare, no tolerance): AP 0.4, AP75 0', () => {
    const r = cocoEvaluate([gt('1', [100, 200, 8, 8])], [det('1', [100, 200, 5.6, 8], 0.9)]);
    // pycocotools: matches at 0.50, 0.55, 0.60, 0.65 only.
    expect(r.ap).toBe(0.39999999999999997);
    expect(r.ap50).toBe(0.9999999999999999); // precision 1/(1 + eps), as pycocotools divides
    expect(r.ap75).toBe(0);
    expect(r.ar100).toBe(0.4);
  });

  it('issue 14 item 3: a recall of exactly 0.7 misses the 0.7000000000000001 point (10 boxes, 7 hits, 1 FP, 1 hit)', () => {
    const gts = Array.from({ length: 10 }, (_, i) => gt('1', [50 * i, 0, 20, 20]));
    const dets = [
      ...Array.from({ length: 7 }, (_, i) => det('1', [50 * i, 0, 20, 20], 1 - 0.01 * i)),
      det('1', [900, 900, 20, 20], 0.5),
      det('1', [350, 0, 20, 20], 0.4),
    ];
    const r = cocoEvaluate(gts, dets);
    expect(r.ap).toBe(0.78987898789879); // pycocotools 0.789879; the written definition gives 0.790979
    expect(r.ap50).toBe(0.7898789878987899);
    expect(r.ar1).toBe(0.1);
    expect(r.ar100).toBe(0.8);
  });
});

describe('ranking across images', () => {
  it('issue 14 item 1: equal scores rank in image-id order whatever the file order (AP 0.5050 both ways)', () => {
    const gts = [gt('1', [10, 10, 20, 20]), gt('2', [10, 10, 20, 20])];
    const fpFirst = [det('2', [400, 400, 20, 20], 0.5), det('1', [10, 10, 20, 20], 0.5)];
    const hitFirst = [fpFirst[1], fpFirst[0]];
    expect(cocoEvaluate(gts, fpFirst).ap).toBe(0.5049504950495048); // pycocotools 0.5050 (file order gave 0.2525)
    expect(cocoEvaluate(gts, hitFirst).ap).toBe(0.5049504950495048);
  });

  it('image ids sort as Python sorts them: numerically when all are integers, else by code point', () => {
    expect(sortImageIds(['10', '9', '100'])).toEqual(['9', '10', '100']);
    expect(sortImageIds(['b', 'a10', 'a9', 'B'])).toEqual(['B', 'a10', 'a9', 'b']);
  });
});

describe('area ranges and empty images', () => {
  it('issue 14 item 5: AP/AR small, medium, large with COCO ranges; a 32×32 box (1024 px²) is small and medium', () => {
    const gts = [gt('1', [0, 0, 10, 10]), gt('1', [100, 100, 32, 32]), gt('1', [200, 200, 50, 50]), gt('1', [300, 0, 100, 100])];
    const dets = [
      det('1', [0, 0, 10, 10], 0.9), det('1', [200, 200, 50, 50], 0.8), det('1', [600, 600, 10, 10], 0.7),
      det('1', [300, 0, 100, 60], 0.65), // IoU 0.6 with the large box; unmatched above 0.6 it is a medium FP
      det('1', [100, 100, 32, 32], 0.6),
    ];
    const r = cocoEvaluate(gts, dets);
    // pycocotools stats[0..11]
    expect([r.ap, r.ap50, r.ap75, r.apSmall, r.apMedium, r.apLarge]).toEqual([0.7277227722772277, 0.9009900990099011, 0.6534653465346535, 0.8349834983498348, 0.8844884488448844, 0.29999999999999993]);
    expect([r.ar1, r.ar10, r.ar100, r.arSmall, r.arMedium, r.arLarge]).toEqual([0.25, 0.825, 0.825, 1, 1, 0.3]);
  });

  it('a range without truth boxes is NaN (pycocotools -1), never 0', () => {
    const r = cocoEvaluate([gt('1', [0, 0, 10, 10])], [det('1', [0, 0, 10, 10], 0.9)]);
    expect(r.apSmall).toBe(0.9999999999999998); // pycocotools: precision 1/(1 + eps)
    expect(r.apMedium).toBeNaN();
    expect(r.arLarge).toBeNaN();
  });

  it('issue 14 item 6: a listed image without truth boxes counts its detections as false positives', () => {
    const gts = [gt('1', [10, 10, 20, 20]), gt('2', [10, 10, 20, 20])];
    const dets = [det('3', [10, 10, 20, 20], 0.9), det('1', [10, 10, 20, 20], 0.8), det('2', [10, 10, 20, 20], 0.7)];
    const listed = cocoEvaluate(gts, dets, { imageIds: ['1', '2', '3'] });
    expect(listed.images).toBe(3);
    expect(listed.ap).toBe(0.6666666666666666); // pycocotools with image 3 in the gt image list
    expect(listed.ap50).toBe(0.6666666666666669);
    expect(cocoEvaluate(gts, dets).ap).toBe(1); // image 3 not evaluated: its detection is left out
    expect(() => cocoEvaluate(gts, dets, { imageIds: ['1'] })).toThrow(/image 2, which is not in the image list/);
  });
});

describe('categories', () => {
  it('a perfect detector scores 1 (two hits: the envelope takes 2/(2 + eps), which rounds to 1)', () => {
    const gts = [gt('a', [10, 10, 20, 20]), gt('b', [0, 0, 5, 5])];
    const r = cocoEvaluate(gts, gts.map((g) => ({ ...g, score: 0.9 })));
    expect([r.ap, r.ap50, r.ap75]).toEqual([1, 1, 1]);
    expect([r.ar1, r.ar100]).toEqual([1, 1]);
  });

  it('averages over categories; a duplicate after the hit is a false positive; each truth matches once', () => {
    const gts = [gt('a', [0, 0, 10, 10], 'benign'), gt('a', [20, 20, 10, 10], 'malignant')];
    const dets = [
      det('a', [0, 0, 10, 10], 0.9, 'benign'),
      det('a', [0, 0, 10, 10], 0.8, 'benign'),
      det('a', [0, 0, 10, 10], 0.9, 'malignant'), // wrong place
      det('a', [0, 0, 10, 10], 0.9, 'other'), // a category without truth is not evaluated
    ];
    const r = cocoEvaluate(gts, dets);
    expect(r.categories).toEqual(['benign', 'malignant']);
    expect(r.perCategory.benign.ap).toBe(0.9999999999999998);
    expect(r.perCategory.malignant.ap).toBe(0);
    expect(r.ap).toBe(0.4999999999999999); // pycocotools
  });
});
