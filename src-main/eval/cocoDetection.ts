// COCO-style 2D detection metrics (as pycocotools COCOeval, bbox, all areas): AP averaged over IoU 0.50:0.05:0.95
// with 101-point interpolated precision, AP50, AP75, and AR at 100 detections per image. Per category, then
// averaged over categories that have ground truth. Boxes are [x, y, width, height] in pixels.

export type Box2D = [number, number, number, number];

export interface CocoGt { imageId: string; category: string; box: Box2D }
export interface CocoDet { imageId: string; category: string; box: Box2D; score: number }

export interface CocoResult {
  ap: number;
  ap50: number;
  ap75: number;
  ar100: number;
  perCategory: Record<string, { ap: number; ap50: number; ap75: number; ar100: number; gt: number }>;
}

export const IOU_THRESHOLDS = Array.from({ length: 10 }, (_, i) => Math.round((0.5 + 0.05 * i) * 100) / 100);
const RECALL_POINTS = Array.from({ length: 101 }, (_, i) => i / 100);

export function iou(a: Box2D, b: Box2D): number {
  const x1 = Math.max(a[0], b[0]), y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[0] + a[2], b[0] + b[2]), y2 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
}

export function cocoEvaluate(gts: CocoGt[], dets: CocoDet[], maxDets = 100): CocoResult {
  const categories = [...new Set(gts.map((g) => g.category))].sort();
  const perCategory: CocoResult['perCategory'] = {};
  for (const c of categories) {
    const g = gts.filter((x) => x.category === c);
    const byImage = new Map<string, CocoDet[]>();
    for (const d of dets) if (d.category === c) byImage.set(d.imageId, [...(byImage.get(d.imageId) ?? []), d]);
    // Keep the top maxDets per image (stable by score).
    const kept: CocoDet[] = [];
    for (const list of byImage.values()) kept.push(...[...list].sort((a, b) => b.score - a.score).slice(0, maxDets));
    const order = kept.map((d, i) => ({ d, i })).sort((a, b) => b.d.score - a.d.score || a.i - b.i).map((x) => x.d);
    const aps: number[] = [];
    const recalls: number[] = [];
    for (const t of IOU_THRESHOLDS) {
      const { ap, recall } = evaluateAt(g, order, t);
      aps.push(ap);
      recalls.push(recall);
    }
    perCategory[c] = { ap: mean(aps), ap50: aps[0], ap75: aps[5], ar100: mean(recalls), gt: g.length };
  }
  const vals = Object.values(perCategory);
  return { ap: mean(vals.map((v) => v.ap)), ap50: mean(vals.map((v) => v.ap50)), ap75: mean(vals.map((v) => v.ap75)), ar100: mean(vals.map((v) => v.ar100)), perCategory };
}

function evaluateAt(gts: CocoGt[], dets: CocoDet[], t: number): { ap: number; recall: number } {
  const matched = new Set<CocoGt>();
  const tp: number[] = [];
  for (const d of dets) {
    let best: CocoGt | null = null;
    let bestIou = t - 1e-10;
    for (const g of gts) {
      if (g.imageId !== d.imageId || matched.has(g)) continue;
      const v = iou(d.box, g.box);
      if (v >= bestIou) { bestIou = v; best = g; }
    }
    if (best) matched.add(best);
    tp.push(best ? 1 : 0);
  }
  const n = gts.length;
  const prec: number[] = [];
  const rec: number[] = [];
  let ctp = 0;
  tp.forEach((v, i) => {
    ctp += v;
    rec.push(ctp / n);
    prec.push(ctp / (i + 1));
  });
  // Precision envelope: the best precision at any recall to the right.
  for (let i = prec.length - 2; i >= 0; i--) prec[i] = Math.max(prec[i], prec[i + 1]);
  let sum = 0;
  for (const r of RECALL_POINTS) {
    const idx = rec.findIndex((x) => x >= r - 1e-12);
    sum += idx >= 0 ? prec[idx] : 0;
  }
  return { ap: sum / RECALL_POINTS.length, recall: rec.length ? rec[rec.length - 1] : 0 };
}

function mean(v: number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}
