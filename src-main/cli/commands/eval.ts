// `pulmo eval`: scores predictions against LDFC-style truth (Jian et al., Sci Data 2024) with the metrics of the
// dataset's Technical Validation: COCO AP/AR for 2D boxes, FROC/CPM (LUNA16) for 3D centres, ACC/QWK and the
// confusion matrix for cancer type. Works offline on files; needs no data folder.
import fs from 'node:fs';
import type { Command, CliIo } from '../command';
import { commonOptions } from '../command';
import { evaluateClassification, evaluateDetection, type ClassificationResult, type Detection2DResult, type Detection3DResult } from '../../eval/ldfcEval';

const f4 = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : 'n/a');

function print2d(r: Detection2DResult, io: CliIo): void {
  io.out(`2D detection, COCO bbox metrics (as pycocotools): ${r.images} images (${r.imagesWithoutTruth} without truth boxes; from the ${r.imageSource}), ${r.groundTruth} ground-truth boxes, ${r.detections} detections (pixels)`);
  io.out(`  AP@[.50:.95] ${f4(r.ap)}  AP50 ${f4(r.ap50)}  AP75 ${f4(r.ap75)}  AP_S ${f4(r.apSmall)}  AP_M ${f4(r.apMedium)}  AP_L ${f4(r.apLarge)}`);
  io.out(`  AR1 ${f4(r.ar1)}  AR10 ${f4(r.ar10)}  AR100 ${f4(r.ar100)}  AR_S ${f4(r.arSmall)}  AR_M ${f4(r.arMedium)}  AR_L ${f4(r.arLarge)}`);
  io.out('  areas w·h (px²): S ≤ 32², M 32²–96², L ≥ 96², a limit in both ranges; n/a = no truth box in that range (pycocotools prints -1)');
  const cats = Object.entries(r.perCategory);
  if (cats.length > 1) for (const [c, v] of cats) io.out(`  ${c}: AP ${f4(v.ap)}  AP50 ${f4(v.ap50)}  AP75 ${f4(v.ap75)}  AR100 ${f4(v.ar100)}  (${v.gt} boxes)`);
}

function print3d(r: Detection3DResult, io: CliIo): void {
  io.out(`3D detection, FROC (as the LUNA16 script): ${r.scans} scans counted (from the ${r.scanSource}; ${r.scansWithoutNodules} without nodules, ${r.scansWithoutCandidates} without candidates), ${r.nodules} nodules, ${r.candidates} candidates (centres in LPS mm; a hit lies strictly within the nodule radius)`);
  io.out(`  FP/scan      ${r.fpRates.map((v) => String(v).padStart(6)).join(' ')}`);
  io.out(`  sensitivity  ${r.sensitivities.map((v) => v.toFixed(3).padStart(6)).join(' ')}`);
  io.out(`  CPM ${f4(r.cpm)}  (sensitivity at any score: ${f4(r.maxSensitivity)})`);
  if (r.truthFrame === 'world CSV as LPS') io.out('  truth centres: the world-coordinate CSV read as the MHD/ITK frame (LPS mm); the LDFC descriptor does not name its frame');
}

function printClassification(r: ClassificationResult, io: CliIo): void {
  io.out(`Cancer-type classification: ${r.samples} samples; classes ${r.classes.map((c, i) => `${i} = ${c}`).join(', ')}`);
  io.out(`  ACC ${f4(r.accuracy)}  QWK ${f4(r.qwk)}`);
  io.out('  confusion (rows: truth, columns: predicted)');
  const w = Math.max(8, ...r.classes.map((c) => c.length + 2));
  io.out(`  ${''.padEnd(w)}${r.classes.map((c) => c.padStart(w)).join('')}`);
  r.confusion.forEach((row, i) => io.out(`  ${r.classes[i].padEnd(w)}${row.map((v) => String(v).padStart(w)).join('')}`));
}

export const evalCommand: Command = {
  name: 'eval',
  summary: 'score predictions (COCO results / CSV / `pulmo analyze --json`) against LDFC truth: COCO AP/AR, FROC/CPM, or ACC/QWK',
  usage: 'pulmo eval detection|classification --truth <csv|VOC xml dir|class dir> --pred <json|csv|dir> [--volumes DIR] [--images LIST|DIR] [--scans LIST|DIR] [--json]',
  options: { ...commonOptions, truth: { type: 'string' }, pred: { type: 'string' }, volumes: { type: 'string' }, images: { type: 'string' }, scans: { type: 'string' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const [task] = positionals;
    const truth = values.truth as string | undefined;
    const pred = values.pred as string | undefined;
    if ((task !== 'detection' && task !== 'classification') || positionals.length !== 1 || !truth || !pred) {
      io.err(`Usage: ${this.usage}`);
      return 2;
    }
    const images = values.images as string | undefined;
    const scans = values.scans as string | undefined;
    for (const p of [truth, pred, values.volumes as string | undefined, images, scans]) {
      if (p !== undefined && !fs.existsSync(p)) {
        io.err(`pulmo eval: ${p}: no such file or folder`);
        return 1;
      }
    }
    const r = task === 'detection' ? evaluateDetection(truth, pred, { volumes: values.volumes as string | undefined, images, scans }) : evaluateClassification(truth, pred);
    if (r.task === 'detection-2d' && r.ignoredDetections) io.err(`${r.ignoredDetections} detection(s) on images outside the evaluated set were ignored (as pycocotools does)`);
    if (r.task === 'detection-2d' && r.ignoredTruth) io.err(`${r.ignoredTruth} truth box(es) on images outside the --images list were ignored`);
    if (r.task === 'detection-3d' && (r.ignoredCandidates || r.ignoredNodules)) io.err(`${r.ignoredCandidates} candidate(s) and ${r.ignoredNodules} nodule(s) on scans outside the --scans list were ignored (as the LUNA16 script does)`);
    if (r.task === 'detection-3d' && r.candidatesOverCap) io.err(`${r.candidatesOverCap} candidate(s) beyond the 100 best of their scan were ignored (as the LUNA16 script does)`);
    if (r.task === 'classification' && r.ignoredPredictions) io.err(`${r.ignoredPredictions} prediction(s) for ids not in the truth were ignored`);
    if (values.json) io.out(JSON.stringify(r, null, 2));
    else if (r.task === 'detection-2d') print2d(r, io);
    else if (r.task === 'detection-3d') print3d(r, io);
    else printClassification(r, io);
    return 0;
  },
};
