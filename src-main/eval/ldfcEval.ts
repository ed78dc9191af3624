// Evaluation of predictions against LDFC-style truth with the existing metric code (cocoDetection, froc,
// classificationMetrics): the glue `pulmo eval` runs. Everything here takes file paths and returns plain results.
import fs from 'node:fs';
import path from 'node:path';
import { cocoEvaluate, type CocoDet, type CocoGt, type CocoSummary } from './cocoDetection';
import { froc, LUNA_MAX_CANDIDATES_PER_SCAN, type FrocScan } from './froc';
import { accuracy, confusionMatrix, quadraticWeightedKappa } from './classificationMetrics';
import { readBoxPredictions, readCentrePredictions, readClassPredictions } from './predictionFiles';
import { parseLdfcCsv, type ImageNodule, type LabelRecord } from '../formats/ldfc/annotations';
import { readVocDir } from '../formats/ldfc/vocXml';
import { readClassificationFolder } from '../formats/ldfc/classificationFolder';
import { readIdList } from '../formats/ldfc/idList';
import { CANCER_TYPES } from '../formats/ldfc/cancerType';
import { readMhdHeader } from '../formats/mhdReader';
import { ijkToLps, type Vec3 } from '../shared/geometry';

export interface Detection2DResult extends CocoSummary {
  task: 'detection-2d';
  /** Where the evaluated image set came from; images without truth boxes count (their detections are FPs). */
  imageSource: 'truth files' | 'image list';
  images: number; imagesWithoutTruth: number;
  groundTruth: number; detections: number;
  /** Detections on images outside the set, and truth boxes outside an --images list: left out, as pycocotools does. */
  ignoredDetections: number; ignoredTruth: number;
  perCategory: Record<string, CocoSummary & { gt: number }>;
}
export interface Detection3DResult {
  task: 'detection-3d';
  frame: 'LPS mm';
  /** How truth centres reached LPS: a world-coordinate CSV taken as the ITK (LPS) frame, or voxel indices through MHD headers. */
  truthFrame: 'world CSV as LPS' | 'image coordinates via MHD headers';
  /** The scans FP/scan divides by: a scan list (LUNA16's seriesuids.csv), or those named in truth or predictions. */
  scanSource: 'scan list' | 'truth and predictions';
  scans: number; scansWithoutNodules: number; scansWithoutCandidates: number;
  nodules: number; candidates: number;
  /** Left out as the LUNA16 script does: candidates/nodules on scans outside the list, candidates over 100 per scan. */
  ignoredCandidates: number; ignoredNodules: number; candidatesOverCap: number;
  fpRates: number[]; sensitivities: number[]; cpm: number; maxSensitivity: number;
}
export interface ClassificationResult {
  task: 'classification';
  classes: string[]; samples: number; ignoredPredictions: number;
  accuracy: number; qwk: number;
  /** confusion[truth][predicted] */
  confusion: number[][];
}

export interface DetectionOptions {
  /** Folder of the scans' N.mhd files, for voxel-coordinate truth. */
  volumes?: string;
  /** 2D: the images evaluated (list file or image folder); default the truth's images (every VOC file, even empty). */
  images?: string;
  /** 3D: the scans evaluated (list file or volume folder); default every scan named in truth or predictions. */
  scans?: string;
}

export function evaluateDetection(truthPath: string, predPath: string, opts: DetectionOptions = {}): Detection2DResult | Detection3DResult {
  const csvKind = fs.statSync(truthPath).isDirectory() ? null : parseLdfcCsv(fs.readFileSync(truthPath, 'utf8'), truthPath);
  const is2d = csvKind === null || csvKind.kind === 'box2d';
  if (opts.images && !is2d) throw new Error(`--images applies to 2D box truth; ${truthPath} holds 3D nodules: use --scans`);
  if (opts.scans && is2d) throw new Error(`--scans applies to 3D nodule truth; ${truthPath} holds 2D boxes: use --images`);
  const imageList = opts.images ? readIdList(opts.images, 'image') : null;
  const scanList = opts.scans ? readIdList(opts.scans, 'scan') : null;
  if (csvKind === null) {
    const voc = readVocDir(truthPath);
    const gts = voc.flatMap((a) => a.objects.map((o): CocoGt => ({ imageId: a.imageId, category: o.name, box: [o.xmin, o.ymin, o.xmax - o.xmin, o.ymax - o.ymin] })));
    return detection2d(gts, imageList ?? voc.map((a) => a.imageId), imageList ? 'image list' : 'truth files', predPath);
  }
  const csv = csvKind;
  switch (csv.kind) {
    case 'box2d': {
      const gts = csv.boxes.map((b): CocoGt => ({ imageId: b.imageId, category: b.category || 'nodule', box: [b.xmin, b.ymin, b.xmax - b.xmin, b.ymax - b.ymin] }));
      // A CSV cannot list images without boxes: only an --images list makes them count.
      return detection2d(gts, imageList ?? gts.map((g) => g.imageId), imageList ? 'image list' : 'truth files', predPath);
    }
    case 'world':
      return detection3d(csv.nodules.map((n) => ({ scanId: n.scanId, center: n.centerLPS, radiusMm: n.diameterMm / 2 })), predPath, 'world CSV as LPS', scanList);
    case 'image3d': {
      if (!opts.volumes) throw new Error(`${truthPath} gives nodules in image (voxel) coordinates: pass --volumes DIR with the scans' N.mhd files to place them in LPS mm`);
      return detection3d(imageToWorld(csv.nodules, opts.volumes, truthPath), predPath, 'image coordinates via MHD headers', scanList);
    }
    case 'labels':
      throw new Error(`${truthPath} holds class labels, not nodule positions: use \`pulmo eval classification\``);
  }
}

function detection2d(allGts: CocoGt[], imageIds: string[], imageSource: Detection2DResult['imageSource'], predPath: string): Detection2DResult {
  const images = new Set(imageIds);
  const gts = allGts.filter((g) => images.has(g.imageId));
  const cats = [...new Set(gts.map((g) => g.category))];
  const preds = readBoxPredictions(predPath);
  let ignored = 0;
  const dets: CocoDet[] = [];
  for (const p of preds) {
    // As pycocotools with params.imgIds: only the evaluated images count.
    if (!images.has(p.imageId)) { ignored++; continue; }
    let category = p.category;
    if (category === null || !cats.includes(category)) {
      // A single-class truth ("nodule") takes any class id (LDFC's pascal_voc_classes.json: nodule = 1).
      if (cats.length === 1) category = cats[0];
      else throw new Error(`${predPath}: detection on image ${p.imageId} has category ${p.category ?? '(none)'}; the truth has ${cats.join(', ')}`);
    }
    dets.push({ imageId: p.imageId, category, box: p.box, score: p.score });
  }
  if (!gts.length) throw new Error(allGts.length ? 'none of the images with truth boxes is in the --images list' : 'the truth has no boxes');
  const r = cocoEvaluate(gts, dets, { imageIds });
  const summary: CocoSummary = { ap: r.ap, ap50: r.ap50, ap75: r.ap75, apSmall: r.apSmall, apMedium: r.apMedium, apLarge: r.apLarge, ar1: r.ar1, ar10: r.ar10, ar100: r.ar100, arSmall: r.arSmall, arMedium: r.arMedium, arLarge: r.arLarge };
  const withTruth = new Set(gts.map((g) => g.imageId));
  return {
    task: 'detection-2d', imageSource, images: images.size, imagesWithoutTruth: imageIds.filter((i) => !withTruth.has(i)).length,
    groundTruth: gts.length, detections: dets.length, ignoredDetections: ignored, ignoredTruth: allGts.length - gts.length,
    ...summary, perCategory: r.perCategory,
  };
}

interface TruthNodule { scanId: string; center: Vec3; radiusMm: number }

function detection3d(nodules: TruthNodule[], predPath: string, truthFrame: Detection3DResult['truthFrame'], scanList: string[] | null): Detection3DResult {
  const cands = readCentrePredictions(predPath);
  // The scans evaluated, in list order (LUNA16's seriesuids.csv); without a list, those truth or predictions name.
  const ids = scanList ?? [...new Set([...nodules.map((n) => n.scanId), ...cands.map((c) => c.scanId)])];
  const scans = new Map<string, FrocScan>(ids.map((id) => [id, { id, nodules: [], candidates: [] }]));
  let ignoredNodules = 0, ignoredCandidates = 0;
  for (const n of nodules) {
    const s = scans.get(n.scanId);
    if (s) s.nodules.push({ center: n.center, radiusMm: n.radiusMm });
    else ignoredNodules++;
  }
  for (const c of cands) {
    const s = scans.get(c.scanId);
    if (s) s.candidates.push({ center: c.center, score: c.score });
    else ignoredCandidates++;
  }
  const list = [...scans.values()];
  const r = froc(list, undefined, { maxCandidatesPerScan: LUNA_MAX_CANDIDATES_PER_SCAN });
  return {
    task: 'detection-3d', frame: 'LPS mm', truthFrame, scanSource: scanList ? 'scan list' : 'truth and predictions',
    scans: r.scans, scansWithoutNodules: list.filter((s) => !s.nodules.length).length, scansWithoutCandidates: list.filter((s) => !s.candidates.length).length,
    nodules: r.totalNodules, candidates: r.candidates, ignoredCandidates, ignoredNodules, candidatesOverCap: r.candidatesOverCap,
    fpRates: r.fpRates, sensitivities: r.sensitivities, cpm: r.cpm, maxSensitivity: r.maxSensitivity,
  };
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
