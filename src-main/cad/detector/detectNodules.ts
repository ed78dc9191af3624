// The built-in lung nodule detector (classical CAD, no trained weights). Pipeline:
//  1. Resample the CT to a near-isotropic working grid (1.0-1.5 mm, chosen to bound memory and time).
//  2. Lung mask (lungMask.ts): air < -400 HU not connected in-plane to the slice border, the two largest 3D
//     components, each closed per slice with a 10 mm disc and hole-filled so that vessels and juxtapleural
//     nodules lie inside. Outside the mask the volume is set to the lung background (median lung HU), which
//     removes the chest wall and mediastinum from the filters and detaches juxtapleural nodules from the wall.
//  3. Multi-scale Hessian dot/line enhancement (hessianBlobness.ts; sigma 1-5 mm, scale-normalised): blob where
//     all three eigenvalues are negative and alike, tube where one is ~0. The Gaussian smoothing is separable
//     (pure TS reference) or an injected EnhanceFn (ONNX/GPU). Large scales run on a 2x pooled grid
//     (pyramidBlobness.ts), which roughly halves the cost of this, the most expensive stage.
//  4. Candidates: local maxima of the dot response in the lung region, non-maximum suppressed, strongest first;
//     plus large lesions (> ~10 mm, solid or ground-glass) as opened threshold components on a 2x pooled grid
//     (largeLesionCandidates.ts), which no Hessian scale up to 5 mm sees as a blob.
//  5. Each candidate is segmented (region growing at halfway between background and its peak, capped at the
//     solid threshold, then an opening sized to the nodule to cut vessels) and described: equivalent diameter,
//     sphericity, elongation, HU mean/std, line/dot ratio, fraction cut by the opening (vessel attachment),
//     distance to the pleura. Faint candidates (peak below the solid threshold) take the ground-glass path.
//  6. False-positive reduction: a logistic score with hand-set, documented weights (scoreCandidate.ts); then
//     anatomy (anatomy.ts): a candidate that is bone or dense calcification, part of a larger structure ringed by
//     tissue (hilum, mediastinum, wall), or on the mediastinal surface without lung around it is set aside with
//     the reason (the debug layer), never reported. Duplicates (centres within the larger radius) are merged.
//     Deterministic: no randomness anywhere.
import type { HuVolume, Vec3 } from '../../shared/geometry';
import type { Candidate, RejectedCandidate } from '../detection';
import { CAD_SCORE_FLOOR } from '../../shared/cadTypes';
import { ijkToLps } from '../../shared/geometry';
import { anatomyFeatures, anatomyVerdict, betweenLungs } from './anatomy';
import { measureCandidate } from './candidateFeatures';
import type { CandidateFeatures } from './candidateFeatures';
import type { AnatomyFeatures } from './anatomy';
import { findCandidates } from './findCandidates';
import type { Grid } from '../voxel/grid';
import { cropMask, cropToFloat, clampBox } from '../voxel/grid';
import { pyramidBlobness } from './pyramidBlobness';
import { segmentLungs } from './lungMask';
import { largeLesionCandidates } from './largeLesionCandidates';
import { resampleVolume } from './resampleVolume';
import { scoreCandidate } from './scoreCandidate';

export interface DetectorResult {
  candidates: Candidate[];
  rejected: RejectedCandidate[];
  timingsMs: Record<string, number>;
  /** z range (LPS mm) and midline x of the lung mask, for characterisation; null when no lung was found. */
  lung: { zRangeMm: [number, number]; midlineXMm: number; backgroundHU: number } | null;
  workSpacingMm: number;
}

export type EnhanceFn = (vol: Float32Array, dims: Vec3, spacing: Vec3, sigmaMm: number) => Promise<Float32Array>;

export interface ClassicalDetectOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
  /** Replaces the Gaussian smoothing of the Hessian stage (e.g. an ONNX graph on the GPU). */
  enhance?: EnhanceFn;
  /** Working grid spacing; default: the finest of 1.0/1.25/1.5 mm that keeps the grid under 32 M voxels. */
  workSpacingMm?: number;
  /** Run every Hessian scale on the working grid (no pyramid): slower, the reference for the pyramid. */
  singleGrid?: boolean;
  /** Candidates below this score are dropped (default 0.02). */
  minScore?: number;
}

export const SIGMAS_MM = [1, 1.5, 2.25, 3.4, 5] as const;
const MAX_RAW_CANDIDATES = 400;
/** Minimum dot response to consider, as a fraction of the lung-to-tissue contrast. */
const MIN_DOT_FRACTION = 0.02;

export async function detectNodules(vol: HuVolume, opts: ClassicalDetectOptions = {}): Promise<DetectorResult> {
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string): void => {
    const now = performance.now();
    timings[name] = Math.round(now - t);
    t = now;
  };
  const progress = (f: number, s: string): void => opts.onProgress?.(f, s);
  const g = vol.geometry;
  const h = opts.workSpacingMm ?? chooseSpacing(g.dims, g.spacing);
  progress(0, 'resample');
  const work = resampleVolume(vol, h);
  lap('resample');
  opts.signal?.throwIfAborted();
  progress(0.1, 'lung mask');
  const grid: Grid = { dims: work.geometry.dims, spacing: work.geometry.spacing };
  const lung = segmentLungs(work.data, grid);
  lap('lungMask');
  if (lung.lungCount === 0) return { candidates: [], rejected: [], timingsMs: timings, lung: null, workSpacingMm: h };
  opts.signal?.throwIfAborted();
  // Crop to the lungs plus a margin for the largest filter.
  const margin = Math.ceil((3 * SIGMAS_MM[SIGMAS_MM.length - 1]) / h) + 2;
  const box = clampBox({ min: lung.box.min.map((v) => v - margin) as Vec3, max: lung.box.max.map((v) => v + margin) as Vec3 }, grid.dims);
  const crop = cropToFloat(work.data, grid.dims, box);
  const region = cropMask(lung.region, grid.dims, box);
  const bg = lung.backgroundHU;
  // The unmasked crop keeps the anatomy around each candidate (mediastinum, wall, bone) for the FP stage.
  const unmasked = crop.data.slice();
  for (let p = 0; p < crop.data.length; p++) if (!region[p]) crop.data[p] = bg;
  const cropGrid: Grid = { dims: crop.dims, spacing: grid.spacing };
  lap('crop');
  progress(0.2, 'hessian');
  const minDot = MIN_DOT_FRACTION * -bg;
  const maps = await pyramidBlobness(crop.data, crop.dims, h, region, SIGMAS_MM, {
    singleGrid: opts.singleGrid,
    minLevel: bg + minDot,
    smooth: opts.enhance,
    signal: opts.signal,
    onScale: (d) => progress(0.2 + (0.5 * d) / SIGMAS_MM.length, 'hessian'),
  });
  lap('hessian');
  const raw = findCandidates(maps.dot, maps.line, maps.scaleIndex, region, crop.dims, h, SIGMAS_MM, minDot, MAX_RAW_CANDIDATES);
  // Large lesions the Hessian scales cannot see as blobs; duplicates of Hessian candidates are merged later.
  raw.push(...largeLesionCandidates(crop.data, region, crop.dims, h, bg));
  lap('candidates');
  progress(0.75, 'features');
  const between = betweenLungs(region, crop.dims);
  const scored: Candidate[] = [];
  const rejected: RejectedCandidate[] = [];
  for (let c = 0; c < raw.length; c++) {
    if (c % 20 === 0) opts.signal?.throwIfAborted();
    const m = measureCandidate(crop.data, region, cropGrid, raw[c], bg);
    if (!m) continue;
    const score = scoreCandidate(m.features);
    if (score < (opts.minScore ?? 0.02)) continue;
    const ijk: Vec3 = [m.centerIjk[0] + box.min[0], m.centerIjk[1] + box.min[1], m.centerIjk[2] + box.min[2]];
    const cand: Candidate = { centerLPS: ijkToLps(work.geometry, ijk), radiusMm: m.features.equivalentDiameterMm / 2, score, features: toRecord(m.features) };
    // Anatomy only where it can matter: a candidate under the UI's lowest operating point is never shown.
    if (score < CAD_SCORE_FLOOR) { scored.push(cand); continue; }
    const a = anatomyFeatures(unmasked, between, cropGrid, m.centerIjk, m.features.equivalentDiameterMm / 2);
    cand.features = toRecord({ ...m.features, ...a });
    const reason = anatomyVerdict(m.features, a);
    if (reason) rejected.push({ ...cand, reason });
    else scored.push(cand);
  }
  lap('features');
  const candidates = mergeDuplicates(scored);
  // A set-aside candidate inside a kept, better-scoring one that passed the anatomy check is a part of it (a vessel
  // leaving a nodule): the kept one speaks for it.
  const setAside = mergeDuplicates(rejected).filter((r) => !candidates.some((k) => k.score >= CAD_SCORE_FLOOR && k.score >= r.score && within(k, r, Math.max(3, k.radiusMm))));
  progress(1, 'done');
  const zs = [ijkToLps(work.geometry, [0, 0, lung.box.min[2]])[2], ijkToLps(work.geometry, [0, 0, lung.box.max[2] - 1])[2]];
  const midX = ijkToLps(work.geometry, [(lung.box.min[0] + lung.box.max[0] - 1) / 2, 0, 0])[0];
  timings.total = Object.values(timings).reduce((a, b) => a + b, 0);
  return { candidates, rejected: setAside, timingsMs: timings, lung: { zRangeMm: [Math.min(zs[0], zs[1]), Math.max(zs[0], zs[1])], midlineXMm: midX, backgroundHU: bg }, workSpacingMm: h };
}

function chooseSpacing(dims: Vec3, spacing: Vec3): number {
  for (const h of [1.0, 1.25, 1.5]) {
    const n = dims.reduce((acc, d, a) => acc * (((d - 1) * spacing[a]) / h + 1), 1);
    if (n <= 32e6) return h;
  }
  return 2.0;
}

function toRecord(f: CandidateFeatures | (CandidateFeatures & AnatomyFeatures)): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(f)) out[k] = Math.round(v * 1000) / 1000;
  return out;
}

/** Keeps the best-scoring candidate among those whose centres lie within the larger of their radii (min 3 mm). */
function mergeDuplicates<C extends Candidate>(cands: C[]): C[] {
  const sorted = [...cands].sort((a, b) => b.score - a.score);
  const kept: C[] = [];
  for (const c of sorted) {
    if (!kept.some((k) => within(k, c, Math.max(3, k.radiusMm, c.radiusMm)))) kept.push(c);
  }
  return kept;
}

function within(a: Candidate, b: Candidate, r: number): boolean {
  return (a.centerLPS[0] - b.centerLPS[0]) ** 2 + (a.centerLPS[1] - b.centerLPS[1]) ** 2 + (a.centerLPS[2] - b.centerLPS[2]) ** 2 < r * r;
}
