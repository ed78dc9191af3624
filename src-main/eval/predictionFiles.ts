// Prediction files `pulmo eval` reads, besides the truth formats of formats/ldfc:
//  - 2D boxes: a COCO results JSON ([{image_id, bbox: [x, y, w, h], score, category_id|category}]) or a CSV with
//    image, xmin, ymin, xmax, ymax, score[, category] (pixels).
//  - 3D centres: a LUNA16-style CSV (seriesuid|index, coordX, coordY, coordZ, probability|score; LPS mm), or
//    `pulmo analyze --json` output (findings[].centerLPS and score): one file, or a folder of them, one per scan.
//  - Classes: a CSV or JSON of (id, label) or (id, benign/AC/SCC probabilities), or `pulmo analyze --json` output.
// An analyze file's scan id is its `scanId` field if present, else its file name without .json ("12.json" = 12).
import fs from 'node:fs';
import path from 'node:path';
import type { Vec3 } from '../shared/geometry';
import { canonicalScanId, findColumn, numberCell, parseCsv, requireColumn } from '../formats/ldfc/csv';
import { boxes2d } from '../formats/ldfc/annotations';
import { cancerTypeOrThrow } from '../formats/ldfc/cancerType';

export interface Box2DPrediction { imageId: string; category: string | null; box: [number, number, number, number]; score: number }
export interface CentrePrediction { scanId: string; center: Vec3; score: number }
export interface ClassPrediction { id: string; label: number; where: string }

interface AnalyzeFinding { centerLPS?: unknown; score?: unknown; classProbs?: unknown }
interface AnalyzeOutput { scanId?: unknown; findings: AnalyzeFinding[] }

type Json = unknown;

function readJson(file: string): Json {
  const text = fs.readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    // V8 reports "at position N": turn it into a line number.
    const pos = /position (\d+)/.exec((err as Error).message);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : null;
    throw new Error(`${file}${line ? `:${line}` : ''}: not valid JSON (${(err as Error).message})`);
  }
}

const isAnalyze = (j: Json): j is AnalyzeOutput => typeof j === 'object' && j !== null && !Array.isArray(j) && Array.isArray((j as AnalyzeOutput).findings);

/** `pulmo analyze --json` outputs at `p` (a file or a folder of *.json), each with its scan id. */
export function readAnalyzeOutputs(p: string): { scanId: string; file: string; out: AnalyzeOutput }[] {
  const files = fs.statSync(p).isDirectory()
    ? fs.readdirSync(p).filter((f) => /\.json$/i.test(f)).sort().map((f) => path.join(p, f))
    : [p];
  if (!files.length) throw new Error(`${p}: no .json files`);
  return files.map((file) => {
    const j = readJson(file);
    if (!isAnalyze(j)) throw new Error(`${file}: not \`pulmo analyze --json\` output (no findings array)`);
    const scanId = typeof j.scanId === 'string' || typeof j.scanId === 'number' ? String(j.scanId) : path.basename(file);
    return { scanId: canonicalScanId(scanId), file, out: j };
  });
}

function vec3(v: unknown): Vec3 | null {
  return Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (v as Vec3) : null;
}

export function readCentrePredictions(p: string): CentrePrediction[] {
  if (fs.statSync(p).isDirectory() || /\.json$/i.test(p)) {
    return readAnalyzeOutputs(p).flatMap(({ scanId, file, out }) =>
      out.findings.map((f, i) => {
        const center = vec3(f.centerLPS);
        if (!center) throw new Error(`${file}: findings[${i}].centerLPS is not three numbers (LPS mm)`);
        if (typeof f.score !== 'number' || !Number.isFinite(f.score)) throw new Error(`${file}: findings[${i}].score is ${JSON.stringify(f.score)}; FROC ranks candidates by score`);
        return { scanId, center, score: f.score };
      }),
    );
  }
  const t = parseCsv(fs.readFileSync(p, 'utf8'), p);
  const scan = requireColumn(t, 'scan (seriesuid/index)', ['seriesuid', 'index', 'scan', 'scanid', 'case', 'id']);
  const xyz = (['x', 'y', 'z'] as const).map((a) => requireColumn(t, `${a} centre (mm, LPS)`, [`coord${a}`, `${a}_center`, `center_${a}`, `${a}c`, a]));
  const score = requireColumn(t, 'score', ['probability', 'score', 'confidence', 'prob']);
  return t.rows.map((r) => ({ scanId: canonicalScanId(r.cells[scan]), center: xyz.map((c) => numberCell(t, r, c)) as Vec3, score: numberCell(t, r, score) }));
}

export function readBoxPredictions(p: string): Box2DPrediction[] {
  if (!/\.json$/i.test(p)) {
    const t = parseCsv(fs.readFileSync(p, 'utf8'), p);
    return boxes2d(t).map((b) => {
      if (b.score === null) throw new Error(`${p}: no score column (score, confidence, probability); AP needs ranked detections`);
      return { imageId: b.imageId, category: b.category || null, box: [b.xmin, b.ymin, b.xmax - b.xmin, b.ymax - b.ymin], score: b.score };
    });
  }
  const j = readJson(p);
  if (!Array.isArray(j)) throw new Error(`${p}: expected a COCO results array [{image_id, bbox, score}]`);
  return j.map((d: Record<string, unknown>, i) => {
    const where = `${p}: [${i}]`;
    const bbox = d?.bbox;
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new Error(`${where}.bbox is not [x, y, width, height]`);
    if (typeof d.score !== 'number') throw new Error(`${where}.score is not a number`);
    const image = d.image_id ?? d.imageId ?? d.image;
    if (typeof image !== 'string' && typeof image !== 'number') throw new Error(`${where}.image_id missing`);
    const cat = d.category ?? d.category_id;
    return { imageId: canonicalScanId(String(image)), category: cat === undefined ? null : String(cat), box: bbox as [number, number, number, number], score: d.score };
  });
}

const PROB_COLUMNS = [['benign', 'p0', 'prob0', 'probbenign'], ['ac', 'p1', 'prob1', 'probac', 'adenocarcinoma'], ['scc', 'p2', 'prob2', 'probscc']];
const argmax = (v: number[]) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0);

export function readClassPredictions(p: string): ClassPrediction[] {
  if (fs.statSync(p).isDirectory() || /\.json$/i.test(p)) {
    const j = fs.statSync(p).isDirectory() ? null : readJson(p);
    if (j !== null && Array.isArray(j)) return j.map((r: Record<string, unknown>, i) => jsonClass(r, `${p}: [${i}]`));
    // Analyze output: the scan's class is that of its highest-scoring finding with class probabilities.
    return readAnalyzeOutputs(p).map(({ scanId, file, out }) => {
      const withProbs = out.findings.map((f, i) => ({ f, i })).filter(({ f }) => f.classProbs && typeof f.classProbs === 'object');
      if (!withProbs.length) throw new Error(`${file}: no finding has classProbs (no cancer-type model was run?)`);
      const top = withProbs.reduce((a, b) => (Number(b.f.score ?? -Infinity) > Number(a.f.score ?? -Infinity) ? b : a));
      return jsonClass({ id: scanId, classProbs: top.f.classProbs }, `${file}: findings[${top.i}]`);
    });
  }
  const t = parseCsv(fs.readFileSync(p, 'utf8'), p);
  const id = requireColumn(t, 'image id', ['image', 'image_id', 'filename', 'file', 'id', 'index', 'seriesuid', 'scan', 'case']);
  const label = findColumn(t, ['prediction', 'predicted', 'pred', 'label', 'class', 'cancer_type']);
  const probs = PROB_COLUMNS.map((a) => findColumn(t, a));
  if (label < 0 && probs.some((c) => c < 0)) throw new Error(`${p}: no prediction column (prediction, pred, label, class) and no benign/AC/SCC probability columns`);
  return t.rows.map((r) => ({
    id: canonicalScanId(r.cells[id]),
    label: label >= 0 ? cancerTypeOrThrow(r.cells[label], `${p}:${r.line}`) : argmax(probs.map((c) => numberCell(t, r, c))),
    where: `${p}:${r.line}`,
  }));
}

function jsonClass(r: Record<string, unknown>, where: string): ClassPrediction {
  const id = r?.id ?? r?.image ?? r?.image_id ?? r?.scanId;
  if (typeof id !== 'string' && typeof id !== 'number') throw new Error(`${where}: no id (id, image, image_id, scanId)`);
  const probs = r.classProbs as Record<string, unknown> | undefined;
  if (probs && typeof probs === 'object') {
    const v = ['benign', 'AC', 'SCC'].map((k) => probs[k]);
    if (!v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new Error(`${where}: classProbs needs numeric benign, AC and SCC`);
    return { id: canonicalScanId(String(id)), label: argmax(v as number[]), where };
  }
  const label = r.prediction ?? r.label ?? r.class;
  if (typeof label !== 'string' && typeof label !== 'number') throw new Error(`${where}: no prediction, label or classProbs`);
  return { id: canonicalScanId(String(id)), label: cancerTypeOrThrow(String(label), where), where };
}
