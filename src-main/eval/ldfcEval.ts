// Evaluation of predictions against LDFC-style truth with the existing metric code (cocoDetection, froc,
// classificationMetrics): the glue `pulmo eval` runs. Everything here takes file paths and returns plain results.
import fs from 'node:fs';
import path from 'node:path';
import { cocoEvaluate, type CocoDet, type CocoGt } from './cocoDetection';
import { froc, type FrocScan } from './froc';
import { accuracy, confusionMatrix, quadraticWeightedKappa } from './classificationMetrics';
import { readBoxPredictions, readCentrePredictions, readClassPredictions } from './predictionFiles';
import { parseLdfcCsv, type ImageNodule, type LabelRecord } from '../formats/ldfc/annotations';
import { readVocDir } from '../formats/ldfc/vocXml';
import { readClassificationFolder } from '../formats/ldfc/classificationFolder';
import { CANCER_TYPES } from '../formats/ldfc/cancerType';
import { readMhdHeader } from '../formats/mhdReader';
import { ijkToLps, type Vec3 } from '../shared/geometry';

export interface Detection2DResult {
  task: 'detection-2d';
  images: number; groundTruth: number; detections: number; ignoredDetections: number;
  ap: number; ap50: number; ap75: number; ar1: number; ar10: number; ar100: number;
  perCategory: Record<string, { ap: number; ap50: number; ap75: number; ar100: number; gt: number }>;
}
export interface Detection3DResult {
  task: 'detection-3d';
  frame: 'LPS mm';
  /** How truth centres reached LPS: a world-coordinate CSV taken as the ITK (LPS) frame, or voxel indices through MHD headers. */
  truthFrame: 'world CSV as LPS' | 'image coordinates via MHD headers';
  scans: number; nodules: number; candidates: number;
  fpRates: number[]; sensitivities: number[]; cpm: number; maxSensitivity: number;
}
export interface ClassificationResult {
  task: 'classification';
  classes: string[]; samples: number; ignoredPredictions: number;
  accuracy: number; qwk: number;
  /** confusion[truth][predicted] */
  confusion: number[][];
}

export function evaluateDetection(truthPath: string, predPath: string, opts: { volumes?: string } = {}): Detection2DResult | Detection3DResult {
  if (fs.statSync(truthPath).isDirectory()) {
    const voc = readVocDir(truthPath);
    const gts = voc.flatMap((a) => a.objects.map((o): CocoGt => ({ imageId: a.imageId, category: o.name, box: [o.xmin, o.ymin, o.xmax - o.xmin, o.ymax - o.ymin] })));
    return detection2d(gts, new Set(voc.map((a) => a.imageId)), predPath);
  }
  const csv = parseLdfcCsv(fs.readFileSync(truthPath, 'utf8'), truthPath);
  switch (csv.kind) {
    case 'box2d': {
      const gts = csv.boxes.map((b): CocoGt => ({ imageId: b.imageId, category: b.category || 'nodule', box: [b.xmin, b.ymin, b.xmax - b.xmin, b.ymax - b.ymin] }));
      return detection2d(gts, new Set(gts.map((g) => g.imageId)), predPath);
    }
    case 'world':
      return detection3d(csv.nodules.map((n) => ({ scanId: n.scanId, center: n.centerLPS, radiusMm: n.diameterMm / 2 })), predPath, 'world CSV as LPS');
    case 'image3d': {
      if (!opts.volumes) throw new Error(`${truthPath} gives nodules in image (voxel) coordinates: pass --volumes DIR with the scans' N.mhd files to place them in LPS mm`);
      return detection3d(imageToWorld(csv.nodules, opts.volumes, truthPath), predPath, 'image coordinates via MHD headers');
    }
    case 'labels':
      throw new Error(`${truthPath} holds class labels, not nodule positions: use \`pulmo eval classification\``);
  }
}

function detection2d(gts: CocoGt[], images: Set<string>, predPath: string): Detection2DResult {
  const cats = [...new Set(gts.map((g) => g.category))];
  const preds = readBoxPredictions(predPath);
  let ignored = 0;
  const dets: CocoDet[] = [];
  for (const p of preds) {
    // As pycocotools: only images that have an annotation file are evaluated.
    if (!images.has(p.imageId)) { ignored++; continue; }
    let category = p.category;
    if (category === null || !cats.includes(category)) {
      // A single-class truth ("nodule") takes any class id (LDFC's pascal_voc_classes.json: nodule = 1).
      if (cats.length === 1) category = cats[0];
      else throw new Error(`${predPath}: detection on image ${p.imageId} has category ${p.category ?? '(none)'}; the truth has ${cats.join(', ')}`);
    }
    dets.push({ imageId: p.imageId, category, box: p.box, score: p.score });
  }
  if (!gts.length) throw new Error('the truth has no boxes');
  const r = cocoEvaluate(gts, dets, 100);
  return {
    task: 'detection-2d', images: images.size, groundTruth: gts.length, detections: dets.length, ignoredDetections: ignored,
    ap: r.ap, ap50: r.ap50, ap75: r.ap75, ar1: cocoEvaluate(gts, dets, 1).ar100, ar10: cocoEvaluate(gts, dets, 10).ar100, ar100: r.ar100,
    perCategory: r.perCategory,
  };
}

interface TruthNodule { scanId: string; center: Vec3; radiusMm: number }

function detection3d(nodules: TruthNodule[], predPath: string, truthFrame: Detection3DResult['truthFrame']): Detection3DResult {
  const scans = new Map<string, FrocScan>();
  const scan = (id: string) => scans.get(id) ?? scans.set(id, { id, nodules: [], candidates: [] }).get(id)!;
  for (const n of nodules) scan(n.scanId).nodules.push({ center: n.center, radiusMm: n.radiusMm });
  const cands = readCentrePredictions(predPath);
  for (const c of cands) scan(c.scanId).candidates.push({ center: c.center, score: c.score });
  const r = froc([...scans.values()]);
  return { task: 'detection-3d', frame: 'LPS mm', truthFrame, scans: r.scans, nodules: r.totalNodules, candidates: cands.length, fpRates: r.fpRates, sensitivities: r.sensitivities, cpm: r.cpm, maxSensitivity: r.maxSensitivity };
}

/** Image (x = column, y = row, z = slice) coordinates to LPS through each scan's MHD header; radius from the in-plane diameter in pixels. */
function imageToWorld(nodules: ImageNodule[], volumesDir: string, truthPath: string): TruthNodule[] {
  const geo = new Map<string, ReturnType<typeof readMhdHeader>['geometry']>();
  return nodules.map((n) => {
    let g = geo.get(n.scanId);
    if (!g) {
      const candidates = [n.scanId, n.scanId.padStart(4, '0')].map((s) => path.join(volumesDir, `${s}.mhd`));
      const file = candidates.find((f) => fs.existsSync(f));
      if (!file) throw new Error(`${truthPath}:${n.line}: scan ${n.scanId} has no volume (${candidates.join(' or ')} not found)`);
      g = readMhdHeader(file).geometry;
      geo.set(n.scanId, g);
    }
    const extentPx = n.min && n.max ? Math.max(n.max[0] - n.min[0], n.max[1] - n.min[1]) : null;
    const diameterPx = n.diameterPx ?? extentPx;
    if (diameterPx === null) throw new Error(`${truthPath}:${n.line}: no diameter and no x/y extent to size the nodule`);
    return { scanId: n.scanId, center: ijkToLps(g, n.centerXyz), radiusMm: (diameterPx / 2) * g.spacing[0] };
  });
}

export function evaluateClassification(truthPath: string, predPath: string): ClassificationResult {
  let truth: LabelRecord[];
  if (fs.statSync(truthPath).isDirectory()) truth = readClassificationFolder(truthPath);
  else {
    const csv = parseLdfcCsv(fs.readFileSync(truthPath, 'utf8'), truthPath);
    if (csv.kind !== 'labels') throw new Error(`${truthPath}: holds ${csv.kind === 'box2d' ? '2D boxes' : 'nodule positions'}, not class labels (columns id, label)`);
    truth = csv.labels;
  }
  const byId = new Map<string, LabelRecord>();
  for (const t of truth) {
    if (byId.has(t.id)) throw new Error(`${truthPath}:${t.line}: id ${t.id} labelled twice (first at line ${byId.get(t.id)!.line})`);
    byId.set(t.id, t);
  }
  const preds = new Map<string, number>();
  let ignored = 0;
  for (const p of readClassPredictions(predPath)) {
    if (preds.has(p.id)) throw new Error(`${p.where}: a second prediction for ${p.id}`);
    if (!byId.has(p.id)) ignored++;
    preds.set(p.id, p.label);
  }
  const missing = truth.filter((t) => !preds.has(t.id)).map((t) => t.id);
  if (missing.length) throw new Error(`${predPath}: no prediction for ${missing.length} of ${truth.length} truth ids (${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''})`);
  const y = truth.map((t) => t.label);
  const yhat = truth.map((t) => preds.get(t.id)!);
  const k = CANCER_TYPES.length;
  return {
    task: 'classification', classes: [...CANCER_TYPES], samples: y.length, ignoredPredictions: ignored,
    accuracy: accuracy(y, yhat), qwk: quadraticWeightedKappa(y, yhat, k), confusion: confusionMatrix(y, yhat, k).counts,
  };
}
