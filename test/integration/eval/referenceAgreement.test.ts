// Property test: `pulmo eval`'s metrics against the reference programs on seeded random data, compared with toBe
// (to the last bit), boundaries included (equal scores across images, boxes on the 32²/96² area limits, IoU at the
// thresholds, candidates on the nodule radius, scans without candidates, more than 100 detections per image/scan).
// References (Debian /usr/bin/python3; CI installs python3-sklearn, which brings numpy):
//  - scikit-learn itself for ACC, QWK and the confusion matrix (test/fixtures/eval/reference/sklearn_ref.py);
//  - pycocotools is not packaged for Debian and cannot be installed offline: cocoeval_ref.py re-implements its
//    COCOeval (bbox) line for line on numpy, so thresholds, sorts, sums and means are numpy's own;
//  - luna16_ref.py re-implements the LUNA16 script's matching and computeFROC on scikit-learn's roc_curve.
// The versions the references ran with are printed; the expected values of the unit tests were recorded from them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cocoEvaluate, type Box2D, type CocoDet, type CocoGt } from '../../../src-main/eval/cocoDetection';
import { froc, type FrocScan } from '../../../src-main/eval/froc';
import { accuracy, confusionMatrix, quadraticWeightedKappa } from '../../../src-main/eval/classificationMetrics';
import { evaluateDetection, type Detection2DResult, type Detection3DResult } from '../../../src-main/eval/ldfcEval';
import { mulberry32 } from '../../fixtures/prng';
import { csv, vocXml, write } from '../../fixtures/ldfc/ldfcFixtures';

const refDir = path.resolve(__dirname, '..', '..', 'fixtures', 'eval', 'reference');
/** Runs a reference program on one case or a list of cases (one interpreter start: scikit-learn is slow to import). */
function reference<T>(script: string, input: unknown): T {
  const r = spawnSync('/usr/bin/python3', [path.join(refDir, script)], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${script} failed (needs Debian python3-sklearn and python3-numpy): ${r.stderr || r.error}`);
  return JSON.parse(r.stdout) as T;
}
const STAT_KEYS = ['ap', 'ap50', 'ap75', 'apSmall', 'apMedium', 'apLarge', 'ar1', 'ar10', 'ar100', 'arSmall', 'arMedium', 'arLarge'] as const;
/** pycocotools' -1 ("no truth in this range") is Pulmo's NaN. */
const asCoco = (r: Record<(typeof STAT_KEYS)[number], number>) => STAT_KEYS.map((k) => (Number.isNaN(r[k]) ? -1 : r[k]));

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-evalref-')); });
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** 40 images (a quarter without truth), two classes, sizes around the area limits, coarse scores (ties across images). */
function randomCoco(seed: number): { gts: CocoGt[]; dets: CocoDet[]; images: string[] } {
  const rnd = mulberry32(seed);
  const pick = <X>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)];
  const sizes = [6, 16, 31, 32, 33, 50, 95, 96, 97, 130];
  const images = Array.from({ length: 40 }, (_, i) => String(i + 1));
  const gts: CocoGt[] = [];
  const dets: CocoDet[] = [];
  const score = () => Math.round(rnd() * 20) / 20;
  for (const img of images) {
    const n = rnd() < 0.25 ? 0 : 1 + Math.floor(rnd() * 4);
    for (let k = 0; k < n; k++) {
      const box: Box2D = [Math.floor(rnd() * 400), Math.floor(rnd() * 400), pick(sizes), pick(sizes)];
      const category = rnd() < 0.7 ? '1' : '2';
      gts.push({ imageId: img, category, box });
      const r = rnd();
      // A copy, a shifted copy (IoU spread over the thresholds), a fractional shrink (IoU just off a threshold), or a miss.
      if (r < 0.3) dets.push({ imageId: img, category, box: [...box], score: score() });
      else if (r < 0.6) dets.push({ imageId: img, category, box: [box[0] + Math.floor(rnd() * box[2] * 0.4), box[1], box[2], box[3]], score: score() });
      else if (r < 0.8) dets.push({ imageId: img, category, box: [box[0], box[1], box[2] * 0.7, box[3]], score: score() });
      if (rnd() < 0.2) dets.push({ imageId: img, category, box: [...box], score: score() }); // duplicate
    }
    const fps = rnd() < 0.5 ? Math.floor(rnd() * 4) : 0;
    for (let k = 0; k < fps; k++) dets.push({ imageId: img, category: rnd() < 0.7 ? '1' : '2', box: [Math.floor(rnd() * 450), Math.floor(rnd() * 450), pick(sizes), pick(sizes)], score: score() });
  }
  // One image with more than 100 detections: pycocotools keeps the 100 best per image and category.
  for (let k = 0; k < 110; k++) dets.push({ imageId: '7', category: '1', box: [k * 3, 300, 20, 20], score: score() });
  // File order must not matter: shuffle.
  for (let i = dets.length - 1; i > 0; i--) { const j = Math.floor(rnd() * (i + 1)); [dets[i], dets[j]] = [dets[j], dets[i]]; }
  return { gts, dets, images };
}

const cocoInput = ({ gts, dets, images }: ReturnType<typeof randomCoco>) => ({
  images: images.map(Number),
  gts: gts.map((g) => ({ image_id: Number(g.imageId), category_id: Number(g.category), bbox: g.box })),
  dts: dets.map((d) => ({ image_id: Number(d.imageId), category_id: Number(d.category), bbox: d.box, score: d.score })),
});

describe('COCO bbox metrics = pycocotools COCOeval', () => {
  const seeds = [1, 2, 3, 4, 5];
  let refs: { stats: number[]; numpy: string }[];
  beforeAll(() => { refs = reference('cocoeval_ref.py', seeds.map((seed) => cocoInput(randomCoco(seed)))); });
  for (const [i, seed] of seeds.entries()) {
    it(`seed ${seed}: all 12 summary statistics identical`, () => {
      const data = randomCoco(seed);
      const ref = refs[i];
      const ours = cocoEvaluate(data.gts, data.dets, { imageIds: data.images });
      expect(asCoco(ours)).toEqual(ref.stats);
      if (seed === 1) console.log(`COCOeval reference on numpy ${ref.numpy}: AP ${ref.stats[0]}, AP_S/M/L ${ref.stats.slice(3, 6).join(' / ')}`);
    });
  }

  it('through `pulmo eval`\'s readers: VOC folder with empty images + COCO results JSON', () => {
    const data = randomCoco(11);
    const single = { ...data, gts: data.gts.map((g) => ({ ...g, category: 'nodule' })), dets: data.dets.map((d) => ({ ...d, category: 'nodule' })) };
    for (const img of data.images) {
      const boxes = single.gts.filter((g) => g.imageId === img).map((g) => ({ xmin: g.box[0], ymin: g.box[1], xmax: g.box[0] + g.box[2], ymax: g.box[1] + g.box[3] }));
      write(path.join(tmp, 'Annotations', `${img.padStart(4, '0')}.xml`), vocXml(`${img.padStart(4, '0')}.bmp`, boxes));
    }
    write(path.join(tmp, 'dets.json'), JSON.stringify(single.dets.map((d) => ({ image_id: Number(d.imageId), category_id: 1, bbox: d.box, score: d.score }))));
    const r = evaluateDetection(path.join(tmp, 'Annotations'), path.join(tmp, 'dets.json')) as Detection2DResult;
    expect(r.imagesWithoutTruth).toBeGreaterThan(0);
    // The truth as pycocotools gets it from the VOC→COCO conversion: [xmin, ymin, xmax - xmin, ymax - ymin].
    const gts = single.gts.map((g) => ({ ...g, box: [g.box[0], g.box[1], g.box[0] + g.box[2] - g.box[0], g.box[1] + g.box[3] - g.box[1]] as Box2D, category: '1' }));
    const ref = reference<{ stats: number[] }>('cocoeval_ref.py', cocoInput({ gts, dets: single.dets.map((d) => ({ ...d, category: '1' })), images: data.images }));
    expect(asCoco(r)).toEqual(ref.stats);
  });
});

/** 10 scans with nodules (some excluded, some sized -1 → 10 mm) + 3 without anything; candidates on and near radii. */
function randomLuna(seed: number) {
  const rnd = mulberry32(seed);
  const ids = Array.from({ length: 13 }, (_, i) => `1.3.6.1.${seed}.${i}`);
  const nodules: { scan: string; x: number; y: number; z: number; diameter: number; excluded: boolean }[] = [];
  const candidates: { scan: string; x: number; y: number; z: number; p: number }[] = [];
  const p = () => Math.round(rnd() * 40) / 40;
  ids.slice(0, 10).forEach((scan, s) => {
    const n = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < n; k++) {
      const excluded = rnd() < 0.2;
      const diameter = excluded && rnd() < 0.5 ? -1 : 4 + 2 * Math.floor(rnd() * 10);
      const c = { x: -150 + Math.floor(rnd() * 300) + 0.25, y: -150 + Math.floor(rnd() * 300) - 0.5, z: -300 + Math.floor(rnd() * 200) };
      nodules.push({ scan, ...c, diameter, excluded });
      const r = (diameter < 0 ? 10 : diameter) / 2;
      const hits = rnd() < 0.8 ? 1 + Math.floor(rnd() * 2) : 0;
      for (let h = 0; h < hits; h++) {
        const off = pick3(rnd, [0, r * 0.5, r, r * 0.99, r * 1.01]);
        candidates.push({ scan, x: c.x + off, y: c.y, z: c.z, p: Math.max(p(), p()) }); // hits tend to score higher
      }
    }
    const fps = s === 3 ? 110 : Math.floor(rnd() * 6); // scan 3 exceeds the script's 100 marks
    // Scan 3's flood scores low (as a detector's tail does), so the cap cuts into it and the curve stays informative.
    for (let k = 0; k < fps; k++) candidates.push({ scan, x: 200 + rnd() * 100, y: rnd() * 100, z: rnd() * 100, p: s === 3 ? Math.min(p(), p(), p()) : p() });
  });
  return { ids, nodules, candidates };
}
const pick3 = (rnd: () => number, xs: number[]) => xs[Math.floor(rnd() * xs.length)];

describe('FROC/CPM = the LUNA16 script', () => {
  const seeds = [1, 2, 3, 4, 5];
  let refs: { sens: (number | null)[]; cpm: number | null; versions: Record<string, string> }[];
  beforeAll(() => { refs = reference('luna16_ref.py', seeds.map((seed) => { const d = randomLuna(seed); return { scans: d.ids, nodules: d.nodules, candidates: d.candidates }; })); });
  for (const [i, seed] of seeds.entries()) {
    it(`seed ${seed}: sensitivities at 1/8 … 8 FP/scan and CPM identical`, () => {
      const d = randomLuna(seed);
      const ref = refs[i];
      const scans: FrocScan[] = d.ids.map((id) => ({
        id,
        nodules: d.nodules.filter((n) => n.scan === id).map((n) => ({ center: [n.x, n.y, n.z], radiusMm: n.diameter / 2, ignore: n.excluded })),
        candidates: d.candidates.filter((c) => c.scan === id).map((c) => ({ center: [c.x, c.y, c.z], score: c.p })),
      }));
      const r = froc(scans, undefined, { maxCandidatesPerScan: 100 });
      expect(r.scans).toBe(13);
      expect(r.sensitivities).toEqual(ref.sens);
      expect(r.cpm).toBe(ref.cpm);
      expect(r.cpm).toBeGreaterThan(0.2); // the data exercise the curve, not just its floor
      if (seed === 1) console.log(`LUNA16 reference on numpy ${ref.versions.numpy}, scikit-learn ${ref.versions.sklearn}: CPM ${ref.cpm}`);
    });
  }

  it('through `pulmo eval`\'s readers: world CSV truth, LUNA16 candidates CSV and a seriesuids list with empty scans', () => {
    const d = randomLuna(21);
    const nod = d.nodules.filter((n) => !n.excluded && n.diameter > 0);
    write(path.join(tmp, 'annotations.csv'), csv(['seriesuid', 'coordX', 'coordY', 'coordZ', 'diameter_mm'], nod.map((n) => [n.scan, n.x, n.y, n.z, n.diameter])));
    write(path.join(tmp, 'candidates.csv'), csv(['seriesuid', 'coordX', 'coordY', 'coordZ', 'probability'], d.candidates.map((c) => [c.scan, c.x, c.y, c.z, c.p])));
    write(path.join(tmp, 'seriesuids.csv'), d.ids.join('\n') + '\n');
    const r = evaluateDetection(path.join(tmp, 'annotations.csv'), path.join(tmp, 'candidates.csv'), { scans: path.join(tmp, 'seriesuids.csv') }) as Detection3DResult;
    const ref = reference<{ sens: number[]; cpm: number }>('luna16_ref.py', { scans: d.ids, nodules: nod, candidates: d.candidates });
    expect([r.scans, r.scansWithoutNodules, r.scanSource]).toEqual([13, d.ids.filter((id) => !nod.some((n) => n.scan === id)).length, 'scan list']);
    expect(r.scansWithoutNodules).toBeGreaterThanOrEqual(3);
    expect(r.candidatesOverCap).toBeGreaterThan(0);
    expect(r.sensitivities).toEqual(ref.sens);
    expect(r.cpm).toBe(ref.cpm);
  });
});

describe('ACC, QWK, confusion = scikit-learn', () => {
  const cases: [string, number, number, number[]][] = [['200 samples, 3 classes', 101, 200, [0, 1, 2]], ['200 samples, only classes 0 and 1', 102, 200, [0, 1]], ['40 samples, classes 1 and 2', 103, 40, [1, 2]], ['7 samples', 104, 7, [0, 1, 2]]];
  const data = cases.map(([, seed, n, labels]) => {
    const rnd = mulberry32(seed);
    const truth = Array.from({ length: n }, () => labels[Math.floor(rnd() * labels.length)]);
    return { truth, pred: truth.map((t) => (rnd() < 0.6 ? t : labels[Math.floor(rnd() * labels.length)])) };
  });
  let refs: { accuracy: number; qwk: number | null; confusion: number[][] }[];
  beforeAll(() => { refs = reference('sklearn_ref.py', data); });
  for (const [i, [name]] of cases.entries()) {
    it(name, () => {
      const { truth, pred } = data[i];
      const ref = refs[i];
      expect(accuracy(truth, pred)).toBe(ref.accuracy);
      expect(quadraticWeightedKappa(truth, pred, 3)).toBe(ref.qwk);
      expect(confusionMatrix(truth, pred, 3).counts).toEqual(ref.confusion);
    });
  }
});
