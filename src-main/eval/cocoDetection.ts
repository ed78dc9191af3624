// COCO bbox metrics computed the way pycocotools' COCOeval does (evaluateImg → accumulate → summarize), so that
// published numbers reproduce to the last bit:
//  - thresholds as numpy stores them (IoU 0.50:0.95 and recall 0:0.01:1 from np.linspace, e.g. 0.8999999999999999),
//    a match needs IoU >= the threshold with no tolerance, the recall point is the first rank whose recall reaches it;
//  - images in sorted id order, detections per image stable by score and cut to 100, then ranked across images
//    stably by score (so equal scores rank in image order, never in file order);
//  - area ranges all/small/medium/large = [0, 1e10], [0, 32²], [32², 96²], [96², 1e10] in px², area = w·h, a box
//    outside the range is ignored (truth) or ignored when unmatched (detection), boundaries inclusive as COCO;
//  - every listed image counts, with or without truth boxes (detections on an empty image are false positives);
//  - averages over the T×R×K precision cells that are not -1, summed pairwise as numpy does.
// Where pycocotools reports -1 (no truth in a category or area range) we return NaN.
import { linspace, npMean, searchsortedLeft } from './numpyArith';

export type Box2D = [number, number, number, number];

export interface CocoGt { imageId: string; category: string; box: Box2D; /** px²; w·h when absent */ area?: number }
export interface CocoDet { imageId: string; category: string; box: Box2D; score: number }

export interface CocoSummary {
  ap: number; ap50: number; ap75: number; apSmall: number; apMedium: number; apLarge: number;
  ar1: number; ar10: number; ar100: number; arSmall: number; arMedium: number; arLarge: number;
}
export interface CocoResult extends CocoSummary {
  images: number;
  categories: string[];
  perCategory: Record<string, CocoSummary & { gt: number }>;
}

export const IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
export const RECALL_THRESHOLDS = linspace(0, 1, 101);
export const MAX_DETS = [1, 10, 100] as const;
export const AREA_RANGES = { all: [0, 1e10], small: [0, 32 ** 2], medium: [32 ** 2, 96 ** 2], large: [96 ** 2, 1e10] } as const;
type AreaName = keyof typeof AREA_RANGES;
const AREAS = Object.keys(AREA_RANGES) as AreaName[];

/** IoU as pycocotools' bbIou (maskApi.c): intersection / (det area + truth area - intersection). */
export function iou(det: Box2D, gt: Box2D): number {
  const w = Math.min(det[2] + det[0], gt[2] + gt[0]) - Math.max(det[0], gt[0]);
  if (w <= 0) return 0;
  const h = Math.min(det[3] + det[1], gt[3] + gt[1]) - Math.max(det[1], gt[1]);
  if (h <= 0) return 0;
  const i = w * h;
  return i / (det[2] * det[3] + gt[2] * gt[3] - i);
}

/** Python's sorted() on COCO image ids: numbers when every id is an integer, else code-point order. */
export function sortImageIds(ids: Iterable<string>): string[] {
  const list = [...new Set(ids)];
  if (list.every((s) => /^\d+$/.test(s))) return list.sort((a, b) => Number(a) - Number(b));
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Stable order of indices by descending score (numpy argsort(-score, kind='mergesort')). */
const byScoreDesc = (scores: number[]) => scores.map((_, i) => i).sort((a, b) => scores[b] - scores[a] || a - b);

interface ImageEval { scores: number[]; matched: Uint8Array[]; ignored: Uint8Array[]; truthCounted: number }

/** One image, one category, one area range: greedy matching in score order at every IoU threshold. */
function evaluateImage(gts: CocoGt[], dts: CocoDet[], [lo, hi]: readonly [number, number]): ImageEval | null {
  if (!gts.length && !dts.length) return null;
  const outside = (area: number) => area < lo || area > hi;
  const gIgAll = gts.map((g) => (outside(g.area ?? g.box[2] * g.box[3]) ? 1 : 0));
  // Truth in range first (stable), as pycocotools sorts gt by its ignore flag.
  const order = gts.map((_, i) => i).sort((a, b) => gIgAll[a] - gIgAll[b] || a - b);
  const gIg = order.map((i) => gIgAll[i]);
  const ious = dts.map((d) => order.map((i) => iou(d.box, gts[i].box)));
  const matched = IOU_THRESHOLDS.map(() => new Uint8Array(dts.length));
  const ignored = IOU_THRESHOLDS.map(() => new Uint8Array(dts.length));
  IOU_THRESHOLDS.forEach((t, ti) => {
    const gtTaken = new Uint8Array(order.length);
    dts.forEach((_, di) => {
      let best = Math.min(t, 1 - 1e-10);
      let m = -1;
      for (let gi = 0; gi < order.length; gi++) {
        if (gtTaken[gi]) continue;
        if (m > -1 && gIg[m] === 0 && gIg[gi] === 1) break;
        if (ious[di][gi] < best) continue;
        best = ious[di][gi];
        m = gi;
      }
      if (m === -1) return;
      ignored[ti][di] = gIg[m];
      matched[ti][di] = 1;
      gtTaken[m] = 1;
    });
    dts.forEach((d, di) => {
      if (!matched[ti][di] && outside(d.box[2] * d.box[3])) ignored[ti][di] = 1;
    });
  });
  return { scores: dts.map((d) => d.score), matched, ignored, truthCounted: gIg.filter((v) => v === 0).length };
}

/** Precision at each recall threshold and the final recall, per IoU threshold, for one (category, area, maxDets). */
function accumulate(evals: ImageEval[], maxDet: number): { precision: number[][]; recall: number[] } | null {
  const truth = evals.reduce((s, e) => s + e.truthCounted, 0);
  if (truth === 0) return null;
  const flat: { score: number; img: number; det: number }[] = [];
  evals.forEach((e, img) => e.scores.slice(0, maxDet).forEach((score, det) => flat.push({ score, img, det })));
  const ranked = byScoreDesc(flat.map((f) => f.score)).map((i) => flat[i]);
  const precision: number[][] = [];
  const recall: number[] = [];
  IOU_THRESHOLDS.forEach((_, ti) => {
    const rc: number[] = [];
    const pr: number[] = [];
    let tp = 0, fp = 0;
    for (const { img, det } of ranked) {
      if (evals[img].ignored[ti][det]) { /* neither TP nor FP */ }
      else if (evals[img].matched[ti][det]) tp++;
      else fp++;
      rc.push(tp / truth);
      pr.push(tp / (fp + tp + Number.EPSILON));
    }
    recall.push(rc.length ? rc[rc.length - 1] : 0);
    for (let i = pr.length - 1; i > 0; i--) if (pr[i] > pr[i - 1]) pr[i - 1] = pr[i];
    precision.push(RECALL_THRESHOLDS.map((r) => {
      const i = searchsortedLeft(rc, r);
      return i < pr.length ? pr[i] : 0;
    }));
  });
  return { precision, recall };
}

type Acc = ReturnType<typeof accumulate>;

/** COCOeval.summarize: the mean over thresholds (and categories) of the cells that exist, NaN when none do. */
function summarize(acc: Map<string, Acc>[], ap: boolean, area: AreaName, maxDet: number, iouThr?: number): number {
  const key = (a: AreaName, m: number) => `${a}/${m}`;
  const ts = IOU_THRESHOLDS.map((t, i) => ({ t, i })).filter(({ t }) => iouThr === undefined || t === iouThr).map(({ i }) => i);
  const vals: number[] = [];
  // C order of pycocotools' precision[T,R,K] / recall[T,K] slices: threshold, then recall point, then category.
  for (const t of ts) {
    if (ap) {
      for (let r = 0; r < RECALL_THRESHOLDS.length; r++)
        for (const perCat of acc) { const a = perCat.get(key(area, maxDet)); if (a) vals.push(a.precision[t][r]); }
    } else {
      for (const perCat of acc) { const a = perCat.get(key(area, maxDet)); if (a) vals.push(a.recall[t]); }
    }
  }
  return npMean(vals.filter((v) => v > -1));
}

function summary(acc: Map<string, Acc>[]): CocoSummary {
  return {
    ap: summarize(acc, true, 'all', 100), ap50: summarize(acc, true, 'all', 100, 0.5), ap75: summarize(acc, true, 'all', 100, 0.75),
    apSmall: summarize(acc, true, 'small', 100), apMedium: summarize(acc, true, 'medium', 100), apLarge: summarize(acc, true, 'large', 100),
    ar1: summarize(acc, false, 'all', 1), ar10: summarize(acc, false, 'all', 10), ar100: summarize(acc, false, 'all', 100),
    arSmall: summarize(acc, false, 'small', 100), arMedium: summarize(acc, false, 'medium', 100), arLarge: summarize(acc, false, 'large', 100),
  };
}

/**
 * COCO bbox evaluation. `imageIds` lists every image evaluated (default: those with truth boxes); detections on
 * other images are left out, as are detections of categories without truth.
 */
export function cocoEvaluate(gts: CocoGt[], dets: CocoDet[], opts: { imageIds?: Iterable<string> } = {}): CocoResult {
  const images = sortImageIds(opts.imageIds ?? gts.map((g) => g.imageId));
  const imageSet = new Set(images);
  const stray = gts.find((g) => !imageSet.has(g.imageId));
  if (stray) throw new Error(`cocoEvaluate: truth box on image ${stray.imageId}, which is not in the image list`);
  const categories = [...new Set(gts.map((g) => g.category))].sort();
  const group = <X extends { imageId: string; category: string }>(xs: X[]) => {
    const m = new Map<string, X[]>();
    for (const x of xs) {
      const k = `${x.category}\u0000${x.imageId}`;
      const list = m.get(k);
      if (list) list.push(x);
      else m.set(k, [x]);
    }
    return m;
  };
  const gtBy = group(gts);
  const dtBy = group(dets);
  const acc = categories.map((c) => {
    const perImage = images.map((img) => {
      const d = dtBy.get(`${c}\u0000${img}`) ?? [];
      return { g: gtBy.get(`${c}\u0000${img}`) ?? [], d: byScoreDesc(d.map((x) => x.score)).slice(0, 100).map((i) => d[i]) };
    });
    const out = new Map<string, Acc>();
    for (const area of AREAS) {
      const evals = perImage.map(({ g, d }) => evaluateImage(g, d, AREA_RANGES[area])).filter((e): e is ImageEval => e !== null);
      for (const m of MAX_DETS) out.set(`${area}/${m}`, accumulate(evals, m));
    }
    return out;
  });
  const perCategory: CocoResult['perCategory'] = {};
  categories.forEach((c, k) => { perCategory[c] = { ...summary([acc[k]]), gt: gts.filter((g) => g.category === c).length }; });
  return { ...summary(acc), images: images.length, categories, perCategory };
}
