// FROC and CPM as the LUNA16 evaluation script (noduleCADEvaluationLUNA16.py) computes them, so leaderboard
// numbers reproduce exactly:
//  - a candidate hits a nodule when its squared distance to the centre is strictly below the squared radius;
//  - each reference nodule contributes one entry scored by the best candidate inside it (all candidates inside
//    it are taken out of the false-positive pool; a missed nodule still counts in the denominator); candidates
//    inside an "ignore" (excluded) nodule are dropped; every other candidate is a false positive;
//  - the curve is scikit-learn's roc_curve over those entries (ties form one point; collinear points dropped),
//    FP/scan = fpr·(candidates − detected)/scans, sensitivity = tpr·detected/nodules, evaluated in that order;
//  - sensitivities at 1/8 … 8 FP per scan are read off the curve by linear interpolation (np.interp); CPM is
//    their mean. The script samples the same interpolated curve (np.linspace(0.125, 8, 10001)); it prints no CPM
//    itself, and reading it at the exact rates is what the LUNA16 paper defines.
// The number of scans divides the FP count: pass every scan evaluated, including those without truth or candidates.
import type { Vec3 } from '../shared/geometry';
import { interp, npMean } from './numpyArith';

export const LUNA_FP_RATES = [0.125, 0.25, 0.5, 1, 2, 4, 8] as const;
/** The LUNA16 script evaluates at most this many candidates per scan (noduleCADEvaluation, maxNumberOfCADMarks). */
export const LUNA_MAX_CANDIDATES_PER_SCAN = 100;

export interface FrocNodule { center: Vec3; radiusMm: number; ignore?: boolean }
export interface FrocCandidate { center: Vec3; score: number }
export interface FrocScan { id: string; nodules: FrocNodule[]; candidates: FrocCandidate[] }

/** One point of the curve: threshold (Infinity for the origin), FP per scan, sensitivity. */
export interface FrocPoint { threshold: number; fpPerScan: number; sensitivity: number }

export interface FrocResult {
  fpRates: number[];
  sensitivities: number[];
  cpm: number;
  curve: FrocPoint[];
  totalNodules: number;
  scans: number;
  /** Candidates evaluated, and those left out by the per-scan cap. */
  candidates: number;
  candidatesOverCap: number;
  /** Nodules hit by any candidate, regardless of score. */
  maxSensitivity: number;
}

interface Entry { positive: boolean; score: number }

/** The LUNA16 script's cap: keep candidates scoring strictly above the (cap+1)-th best score (ties there all go). */
function capCandidates(c: FrocCandidate[], cap: number): FrocCandidate[] {
  if (c.length <= cap) return c;
  const cut = c.map((x) => x.score).sort((a, b) => b - a)[cap];
  return c.filter((x) => x.score > cut).slice(0, cap);
}

const inside = (n: FrocNodule, p: Vec3): boolean => {
  const dx = n.center[0] - p[0], dy = n.center[1] - p[1], dz = n.center[2] - p[2];
  const diameter = n.radiusMm * 2 < 0 ? 10 : n.radiusMm * 2; // the script's default for excluded nodules without a size
  return dx * dx + dy * dy + dz * dz < (diameter / 2) ** 2;
};

/** scikit-learn's roc_curve (drop_intermediate=True) as counts: [fp, tp, threshold] per point, from the origin. */
function rocCounts(entries: Entry[]): { fps: number[]; tps: number[]; thresholds: number[] } {
  const sorted = [...entries].sort((a, b) => b.score - a.score);
  let fps: number[] = [], tps: number[] = [], thr: number[] = [];
  let tp = 0;
  sorted.forEach((e, i) => {
    if (e.positive) tp++;
    if (i === sorted.length - 1 || sorted[i + 1].score !== e.score) { tps.push(tp); fps.push(i + 1 - tp); thr.push(e.score); }
  });
  if (fps.length > 2) {
    // Keep the ends and every point where the curve bends (second differences of the counts).
    const keep = fps.map((_, i) => i === 0 || i === fps.length - 1 || fps[i + 1] - 2 * fps[i] + fps[i - 1] !== 0 || tps[i + 1] - 2 * tps[i] + tps[i - 1] !== 0);
    [fps, tps, thr] = [fps, tps, thr].map((v) => v.filter((_, i) => keep[i]));
  }
  return { fps: [0, ...fps], tps: [0, ...tps], thresholds: [Infinity, ...thr] };
}

export function froc(scans: FrocScan[], fpRates: readonly number[] = LUNA_FP_RATES, opts: { maxCandidatesPerScan?: number } = {}): FrocResult {
  if (scans.length === 0) throw new Error('froc: no scans');
  const cap = opts.maxCandidatesPerScan ?? Infinity;
  const entries: Entry[] = [];
  let total = 0, detected = 0, candidates = 0, overCap = 0, anyFp = false;
  for (const s of scans) {
    const cands = capCandidates(s.candidates, cap);
    candidates += cands.length;
    overCap += s.candidates.length - cands.length;
    const pool = new Set(cands.map((_, i) => i));
    for (const n of s.nodules) {
      const hits = cands.map((c, i) => ({ c, i })).filter(({ c }) => inside(n, c.center));
      for (const { i } of hits) pool.delete(i);
      if (n.ignore) continue;
      total++;
      if (hits.length) {
        detected++;
        entries.push({ positive: true, score: Math.max(...hits.map(({ c }) => c.score)) });
      }
    }
    for (const i of pool) { entries.push({ positive: false, score: cands[i].score }); anyFp = true; }
  }
  const n = scans.length;
  const fpCount = entries.length - detected;
  const { fps, tps, thresholds } = entries.length ? rocCounts(entries) : { fps: [0], tps: [0], thresholds: [Infinity] };
  const lastFp = fps[fps.length - 1], lastTp = tps[tps.length - 1];
  // The script's order of operations: fpr·(candidates − detected)/scans and tpr·detected/nodules. With no nodule
  // found the script's tpr is NaN; the sensitivity is 0 there, which is what we report.
  const fpPerScan = fps.map((f) => (anyFp && lastFp > 0 ? ((f / lastFp) * fpCount) / n : 0));
  const sens = tps.map((t) => (lastTp > 0 ? ((t / lastTp) * detected) / total : total > 0 ? 0 : NaN));
  const sensitivities = fpRates.map((r) => interp(r, fpPerScan, sens));
  return {
    fpRates: [...fpRates],
    sensitivities,
    cpm: npMean(sensitivities),
    curve: fps.map((_, i) => ({ threshold: thresholds[i], fpPerScan: fpPerScan[i], sensitivity: sens[i] })),
    totalNodules: total,
    scans: n,
    candidates,
    candidatesOverCap: overCap,
    maxSensitivity: total ? detected / total : NaN,
  };
}
