// Detection with an ONNX heatmap model: resample to the model's spacing, window/normalise, sliding-window
// inference, peaks → voxel → LPS mm, 3D NMS. It implements the same Detector contract as the built-in detector.
import type { InferenceSession } from 'onnxruntime-node';
import type { HuVolume, Vec3 } from '../shared/geometry';
import { CAD_DEFAULT_OPERATING_POINT } from '../shared/cadTypes';
import type { Candidate, Detector } from './detection';
import { ijkToLps } from '../shared/geometry';
import type { DetectionManifest } from './manifest';
import { normalizer } from './manifest';
import { findPeaks, nms3d } from './nms3d';
import { loadOrt } from './providers';
import { OUTSIDE_HU, resampleVolume } from './resample';
import { slidingWindow } from './slidingWindow';

export interface OnnxDetectionResult {
  candidates: Candidate[];
  timingsMs: Record<string, number>;
}

/** An ONNX detection model as a Detector; the session is loaded on first use (its load time is a stage). */
export function onnxDetector(ref: { id: string; version: string }, m: DetectionManifest, loadSession: () => Promise<InferenceSession>): Detector {
  return {
    id: ref.id,
    version: ref.version,
    // A heatmap model's peaks are candidates from its manifest threshold on; its operating point is the UI default.
    operatingPoint: Math.max(m.output.threshold, CAD_DEFAULT_OPERATING_POINT),
    async detect(vol, opts = {}) {
      const t = performance.now();
      const session = await loadSession();
      const loadMs = performance.now() - t;
      const r = await detectWithOnnx(vol, m, session, opts);
      // An ONNX model knows nothing of the lungs: no anatomy rejection, no lung facts.
      return { candidates: r.candidates, rejected: [], timingsMs: { loadModel: loadMs, ...r.timingsMs }, lung: null };
    },
  };
}

/** Patch size as [z, y, x]; a 2D model runs one slice per patch. */
export function patchZYX(m: { input: { layout: 'NCDHW' | 'NCHW'; size: number[] } }): Vec3 {
  const s = m.input.size;
  return m.input.layout === 'NCDHW' ? [s[0], s[1], s[2]] : [1, s[0], s[1]];
}

/** Runs `count` patches through the session and returns the named output's data. */
export async function runPatches(session: InferenceSession, m: DetectionManifest | { input: DetectionManifest['input']; output: { name: string } }, data: Float32Array, count: number): Promise<Float32Array> {
  const ort = loadOrt();
  const [d, h, w] = patchZYX(m);
  const dims = m.input.layout === 'NCDHW' ? [count, 1, d, h, w] : [count, 1, h, w];
  const feeds = { [m.input.name]: new ort.Tensor('float32', data, dims) };
  const out = await session.run(feeds, [m.output.name]);
  const t = out[m.output.name];
  if (!t || t.type !== 'float32') throw new Error(`model output "${m.output.name}" is ${t ? t.type : 'missing'}; float32 expected`);
  return t.data as Float32Array;
}

export async function detectWithOnnx(
  vol: HuVolume,
  m: DetectionManifest,
  session: InferenceSession,
  opts: { signal?: AbortSignal; onProgress?: (fraction: number, stage: string) => void } = {},
): Promise<OnnxDetectionResult> {
  const timingsMs: Record<string, number> = {};
  let t = performance.now();
  const map = normalizer(m);
  const grid = resampleVolume(vol, m.input.spacingMm, map);
  timingsMs.resample = performance.now() - t;

  t = performance.now();
  const sigmoid = m.output.activation === 'sigmoid';
  const heat = await slidingWindow(
    grid.data,
    grid.geometry.dims,
    async (batch, count) => {
      const out = await runPatches(session, m, batch, count);
      if (!sigmoid) return out;
      const p = new Float32Array(out.length);
      for (let n = 0; n < out.length; n++) p[n] = 1 / (1 + Math.exp(-out[n]));
      return p;
    },
    {
      patchZYX: patchZYX(m),
      overlap: m.sliding.overlap,
      batch: m.sliding.batch,
      padValue: map(OUTSIDE_HU),
      signal: opts.signal,
      onProgress: (done, total) => opts.onProgress?.(done / total, 'inference'),
    },
  );
  timingsMs.inference = performance.now() - t;

  t = performance.now();
  const peaks = findPeaks(heat, grid.geometry.dims, m.output.threshold, Math.max(500, 5 * m.output.maxCandidates));
  const cands: Candidate[] = peaks.map((p) => ({
    centerLPS: ijkToLps(grid.geometry, p.ijk),
    radiusMm: m.output.radiusMm,
    score: Math.min(1, Math.max(0, p.score)),
    features: { heatmapPeak: p.score },
  }));
  const candidates = nms3d(cands, m.output.nmsDistanceMm).slice(0, m.output.maxCandidates);
  timingsMs.nms = performance.now() - t;
  return { candidates, timingsMs };
}
