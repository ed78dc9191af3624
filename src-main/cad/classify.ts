// Cancer-type classification of findings: crop per the classification model's manifest (3D patch or axial 2D
// crop around each centre, resampled to the model's spacing), window/normalise, run, softmax → {benign, AC, SCC}.
// Without a classification model there is no result at all (classProbs null), never a guessed class.
import type { InferenceSession } from 'onnxruntime-node';
import type { HuVolume, Vec3 } from '../shared/geometry';
import type { ClassProbs } from '../shared/types';
import type { ClassificationManifest } from './manifest';
import { normalizer } from './manifest';
import { loadOrt } from './providers';
import { cropPatch } from './resample';
import { patchZYX } from './onnxDetector';
import { throwIfCancelled } from '../shared/cancellation';

export function softmax(v: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) max = Math.max(max, v[i]);
  const e = Array.from({ length: v.length }, (_, i) => Math.exp(v[i] - max));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

/** Scores of one finding, in the manifest's class order, as ClassProbs. */
export function toClassProbs(scores: ArrayLike<number>, m: ClassificationManifest): ClassProbs {
  const p = m.output.activation === 'softmax' ? softmax(scores) : Array.from(scores);
  for (const x of p) if (!Number.isFinite(x) || x < -1e-6 || x > 1 + 1e-6) throw new Error(`classification model ${m.id} gave a non-probability ${x}; check output.activation in its manifest`);
  const out: ClassProbs = { benign: 0, AC: 0, SCC: 0 };
  m.classes.forEach((label, i) => (out[label] = p[i]));
  return out;
}

export async function classifyAt(
  vol: HuVolume,
  centersLPS: Vec3[],
  m: ClassificationManifest,
  session: InferenceSession,
  opts: { signal?: AbortSignal; batch?: number } = {},
): Promise<ClassProbs[]> {
  const ort = loadOrt();
  const size = patchZYX(m);
  const psize = size[0] * size[1] * size[2];
  const map = normalizer(m);
  const batch = Math.max(1, opts.batch ?? 8);
  const results: ClassProbs[] = [];
  for (let b = 0; b < centersLPS.length; b += batch) {
    throwIfCancelled(opts.signal, 'CAD run');
    const group = centersLPS.slice(b, b + batch);
    const data = new Float32Array(group.length * psize);
    group.forEach((c, n) => cropPatch(vol, c, size, m.input.spacingMm, map, data, n * psize));
    const dims = m.input.layout === 'NCDHW' ? [group.length, 1, ...size] : [group.length, 1, size[1], size[2]];
    const out = await session.run({ [m.input.name]: new ort.Tensor('float32', data, dims) }, [m.output.name]);
    const t = out[m.output.name];
    const k = m.classes.length;
    if (!t || t.type !== 'float32' || t.data.length !== group.length * k) {
      throw new Error(`classification model ${m.id}: output "${m.output.name}" should hold ${group.length}x${k} float32 scores, got ${t ? `${t.type} [${t.dims.join('x')}]` : 'nothing'}`);
    }
    const d = t.data as Float32Array;
    for (let n = 0; n < group.length; n++) results.push(toClassProbs(d.subarray(n * k, n * k + k), m));
  }
  return results;
}
