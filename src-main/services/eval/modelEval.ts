// `pulmo eval classification --model <id>`: runs an installed model on the truth images itself, building each input
// exactly as a CAD run does (cad/classify modelInputs), and scores it.
// - a folder in the BMP_classification layout (0/, 1/, 2/ of 8-bit LDFC slices): the nodule is found with the
//   training kit's 2D locator (cad/locate2d), then ACC, QWK, per-class recall, confusion matrix (cancer-type model);
// - a folder in the lidc-vois layout (image/, mask/, nodules.csv): each VOI's mask centroid on its centroid slice,
//   then ROC AUC with a patient-bootstrap 95 % CI, sensitivity/specificity at the model's threshold, Brier, ECE.
import fs from 'node:fs';
import path from 'node:path';
import type { InferenceSession } from 'onnxruntime-node';
import type { HuVolume, Vec3 } from '../../shared/geometry';
import type { ClassificationManifest, MalignancyManifest } from '../../cad/manifest';
import { scoreAt } from '../../cad/classify';
import { locateNodule2d } from '../../cad/locate2d';
import { readBmp8 } from '../../formats/bmp';
import { readNifti } from '../../formats/nifti';
import { parseCsv, requireColumn } from '../../formats/ldfc/csv';
import { accuracy, confusionMatrix, quadraticWeightedKappa } from '../../eval/classificationMetrics';
import { brierScore, expectedCalibrationError, groupBootstrapCI, rocAuc, sensSpec } from '../../eval/binaryMetrics';

type Scorer = ClassificationManifest | MalignancyManifest;
const identity = [1, 0, 0, 0, 1, 0, 0, 0, 1] as HuVolume['geometry']['direction'];

export interface ModelClassResult {
  task: 'model-classification';
  model: { id: string; version: string };
  n: number;
  classes: string[];
  acc: number;
  qwk: number;
  recall: Record<string, number>;
  confusion: number[][];
  /** Accuracy of always answering the truth's most frequent class. */
  majorityAcc: number;
  located: { locator: number; centre: number };
}

export interface ModelBinaryResult {
  task: 'model-malignancy';
  model: { id: string; version: string };
  n: number;
  patients: number;
  positives: number;
  auc: number;
  aucCI: [number, number];
  threshold: number;
  sensitivity: number;
  specificity: number;
  brier: number;
  ece: number;
}

export function truthLayout(dir: string): 'bmp-classes' | 'lidc-vois' {
  if (fs.existsSync(path.join(dir, 'nodules.csv')) || fs.existsSync(path.join(dir, 'image'))) return 'lidc-vois';
  return 'bmp-classes';
}

/** BMP_classification layout: every class folder must exist and hold images. */
export function listClassImages(dir: string): { file: string; label: number }[] {
  const out: { file: string; label: number }[] = [];
  for (let label = 0; label < 3; label++) {
    const d = path.join(dir, String(label));
    if (!fs.existsSync(d) || !fs.statSync(d).isDirectory()) throw new Error(`${d}: missing class folder (a BMP_classification folder holds 0/ benign, 1/ AC and 2/ SCC)`);
    const names = fs.readdirSync(d).filter((n) => n.toLowerCase().endsWith('.bmp')).sort();
    if (!names.length) throw new Error(`${d}: no .bmp images in this class folder`);
    out.push(...names.map((n) => ({ file: path.join(d, n), label })));
  }
  return out;
}

/** An 8-bit LDFC slice as HU: the float HU the training kit's bmp_to_hu gives (locator) and an int16 volume (crop). */
export function bmpToVolume(pixels: Uint8Array, width: number, height: number): { hu: Float64Array; vol: HuVolume } {
  const hu = Float64Array.from(pixels, (v) => (v / 255) * 1800 - 1200);
  // Rounding to whole HU moves a value by <= 0.5 HU, far less than half an 8-bit step (3.5 HU): the quantised input is unchanged.
  const voxels = Int16Array.from(hu, (v) => Math.round(v));
  return { hu, vol: { voxels, geometry: { dims: [width, height, 1], spacing: [1, 1, 1], origin: [0, 0, 0], direction: identity } } };
}

export async function evalOnClassFolder(dir: string, m: Scorer, session: InferenceSession): Promise<ModelClassResult> {
  if (m.task !== 'classification') throw new Error(`model ${m.id} is a ${m.task} model; a BMP_classification folder needs a cancer-type (classification) model`);
  if (m.input.layout !== 'NCHW') throw new Error(`model ${m.id}: input.layout is ${m.input.layout}; 2D slices need an NCHW model`);
  const items = listClassImages(dir);
  const truth: number[] = [], pred: number[] = [];
  const located = { locator: 0, centre: 0 };
  for (const it of items) {
    const img = readBmp8(it.file);
    const { hu, vol } = bmpToVolume(img.pixels, img.width, img.height);
    const c = locateNodule2d(hu, img.width, img.height, 1)[0];
    const centre: Vec3 = c ? [c.x, c.y, 0] : [(img.width - 1) / 2, (img.height - 1) / 2, 0];
    located[c ? 'locator' : 'centre']++;
    const [p] = await scoreAt(vol, [centre], m, session);
    const probs = { benign: 0, AC: 0, SCC: 0 };
    m.classes.forEach((label, i) => (probs[label] = p[i]));
    const order = [probs.benign, probs.AC, probs.SCC];
    truth.push(it.label);
    pred.push(order.indexOf(Math.max(...order)));
  }
  const classes = ['benign', 'AC', 'SCC'];
  const conf = confusionMatrix(truth, pred, 3).counts;
  const counts = [0, 1, 2].map((k) => truth.filter((t) => t === k).length);
  return {
    task: 'model-classification',
    model: { id: m.id, version: m.version },
    n: truth.length,
    classes,
    acc: accuracy(truth, pred),
    qwk: quadraticWeightedKappa(truth, pred, 3),
    recall: Object.fromEntries(classes.map((c, k) => [c, counts[k] ? conf[k][k] / counts[k] : NaN])),
    confusion: conf,
    majorityAcc: Math.max(...counts) / truth.length,
    located,
  };
}

export async function evalOnVois(dir: string, m: Scorer, session: InferenceSession): Promise<ModelBinaryResult> {
  if (m.task !== 'malignancy') throw new Error(`model ${m.id} is a ${m.task} model; a lidc-vois folder needs a malignancy model`);
  const table = path.join(dir, 'nodules.csv');
  if (!fs.existsSync(table)) throw new Error(`${table}: missing (a lidc-vois folder holds image/, mask/ and nodules.csv)`);
  const t = parseCsv(fs.readFileSync(table, 'utf8'), table);
  const [cFile, cPat, cDiag] = [requireColumn(t, 'file', ['file']), requireColumn(t, 'patient', ['patient_id']), requireColumn(t, 'diagnosis', ['Diagnosis'])];
  const truth: number[] = [], prob: number[] = [], groups: string[] = [];
  for (const { line, cells: row } of t.rows) {
    const diag = row[cDiag];
    if (!/^(Benign|Malign)/.test(diag)) throw new Error(`${table}:${line}: Diagnosis is "${diag}", expected Benign or Malign`);
    const img = readNifti(path.join(dir, 'image', row[cFile]));
    const mask = readNifti(path.join(dir, 'mask', row[cFile]));
    if (mask.dims.join() !== img.dims.join()) throw new Error(`${path.join(dir, 'mask', row[cFile])}: ${mask.dims.join('x')} voxels, the image has ${img.dims.join('x')}`);
    const vol: HuVolume = { voxels: Int16Array.from(img.data, (v) => Math.round(v)), geometry: { dims: img.dims, spacing: img.spacing, origin: [0, 0, 0], direction: identity } };
    const [nx, ny] = img.dims;
    let si = 0, sj = 0, sk = 0, n = 0;
    mask.data.forEach((v, p) => {
      if (v <= 0) return;
      const i = p % nx, j = Math.floor(p / nx) % ny, k = Math.floor(p / (nx * ny));
      si += i; sj += j; sk += k; n++;
    });
    // The training kit's rule: the mask centroid, on the slice nearest to it (the crop's centre when there is no mask).
    const c: Vec3 = n ? [si / n, sj / n, Math.floor(sk / n + 0.5)] : [(nx - 1) / 2, (ny - 1) / 2, Math.floor((img.dims[2] - 1) / 2 + 0.5)];
    const [p] = await scoreAt(vol, [[c[0] * img.spacing[0], c[1] * img.spacing[1], c[2] * img.spacing[2]]], m, session);
    truth.push(diag.startsWith('Malign') ? 1 : 0);
    prob.push(p[1]);
    groups.push(row[cPat]);
  }
  if (!truth.length) throw new Error(`${table}: no nodules`);
  const pick = (idx: number[]) => [idx.map((i) => truth[i]), idx.map((i) => prob[i])] as const;
  const { sensitivity, specificity } = sensSpec(truth, prob, m.threshold);
  return {
    task: 'model-malignancy',
    model: { id: m.id, version: m.version },
    n: truth.length,
    patients: new Set(groups).size,
    positives: truth.filter((t) => t === 1).length,
    auc: rocAuc(truth, prob),
    aucCI: groupBootstrapCI(groups, (idx) => rocAuc(...pick(idx))),
    threshold: m.threshold,
    sensitivity,
    specificity,
    brier: brierScore(truth, prob),
    ece: expectedCalibrationError(truth, prob),
  };
}
