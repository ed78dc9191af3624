// Per-finding classification: crop per the model's manifest (3D patch or axial 2D crop around each centre, at the
// model's spacing and interpolation), window/quantise/normalise, run, softmax. Two kinds of model use it:
// cancer type (benign / AC / SCC, the LDFC classes) and malignancy (calibrated probability malignant).
// Without a model there is no result at all (null), never a guessed class.
import type { InferenceSession } from 'onnxruntime-node';
import type { HuVolume, Vec3 } from '../shared/geometry';
import type { ClassProbs } from '../shared/types';
import type { ClassificationManifest, MalignancyManifest } from './manifest';
import { normalizer } from './manifest';
import { loadOrt } from './providers';
import { cropPatch } from './resample';
import { patchZYX } from './onnxDetector';
import { throwIfCancelled } from '../shared/cancellation';

type ScoringManifest = ClassificationManifest | MalignancyManifest;

export function softmax(v: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) max = Math.max(max, v[i]);
  const e = Array.from({ length: v.length }, (_, i) => Math.exp(v[i] - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Output scores → probabilities in the manifest's class order, checked to be probabilities. */
export function toProbabilities(scores: ArrayLike<number>, m: ScoringManifest): number[] {
  const p = m.output.activation === 'softmax' ? softmax(scores) : Array.from(scores);
  for (const x of p) if (!Number.isFinite(x) || x < -1e-6 || x > 1 + 1e-6) throw new Error(`${m.task} model ${m.id} gave a non-probability ${x}; check output.activation in its manifest`);
  return p;
}

/** Scores of one finding, in the manifest's class order, as ClassProbs. */
export function toClassProbs(scores: ArrayLike<number>, m: ClassificationManifest): ClassProbs {
  const p = toProbabilities(scores, m);
  const out: ClassProbs = { benign: 0, AC: 0, SCC: 0 };
  m.classes.forEach((label, i) => (out[label] = p[i]));
  return out;
}

/** The model's input for these centres: [n, 1, D, H, W] (or [n, 1, H, W]) float32, exactly what it is fed. */
export function modelInputs(vol: HuVolume, centersLPS: Vec3[], m: ScoringManifest): { data: Float32Array; dims: number[] } {
  const size = patchZYX(m);
  const psize = size[0] * size[1] * size[2];
  const map = normalizer(m);
  const data = new Float32Array(centersLPS.length * psize);
  centersLPS.forEach((c, n) => cropPatch(vol, c, size, m.input.spacingMm, map, data, n * psize, m.input.interpolation));
  const dims = m.input.layout === 'NCDHW' ? [centersLPS.length, 1, ...size] : [centersLPS.length, 1, size[1], size[2]];
  return { data, dims };
}

/** Probabilities per centre (manifest class order), in batches. */
export async function scoreAt(vol: HuVolume, centersLPS: Vec3[], m: ScoringManifest, session: InferenceSession, opts: { signal?: AbortSignal; batch?: number } = {}): Promise<number[][]> {
  const ort = loadOrt();
  const batch = Math.max(1, opts.batch ?? 8);
  const k = m.classes.length;
  const results: number[][] = [];
  for (let b = 0; b < centersLPS.length; b += batch) {
    throwIfCancelled(opts.signal, 'CAD run');
    const group = centersLPS.slice(b, b + batch);
    const { data, dims } = modelInputs(vol, group, m);
    const out = await session.run({ [m.input.name]: new ort.Tensor('float32', data, dims) }, [m.output.name]);
    const t = out[m.output.name];
    if (!t || t.type !== 'float32' || t.data.length !== group.length * k) {
      throw new Error(`${m.task} model ${m.id}: output "${m.output.name}" should hold ${group.length}x${k} float32 scores, got ${t ? `${t.type} [${t.dims.join('x')}]` : 'nothing'}`);
    }
    const d = t.data as Float32Array;
    for (let n = 0; n < group.length; n++) results.push(toProbabilities(d.subarray(n * k, n * k + k), m));
  }
  return results;
}

export async function classifyAt(vol: HuVolume, centersLPS: Vec3[], m: ClassificationManifest, session: InferenceSession, opts: { signal?: AbortSignal; batch?: number } = {}): Promise<ClassProbs[]> {
  const p = await scoreAt(vol, centersLPS, m, session, opts);
  return p.map((row) => {
    const out: ClassProbs = { benign: 0, AC: 0, SCC: 0 };
    m.classes.forEach((label, i) => (out[label] = row[i]));
    return out;
  });
}

/** Calibrated probability malignant per centre. */
export async function malignancyAt(vol: HuVolume, centersLPS: Vec3[], m: MalignancyManifest, session: InferenceSession, opts: { signal?: AbortSignal; batch?: number } = {}): Promise<number[]> {
  return (await scoreAt(vol, centersLPS, m, session, opts)).map((row) => row[1]);
}
