// LUNA16-style FROC: candidates of all scans ranked by score; a candidate within a reference nodule's radius
// is a hit (several hits on one nodule count once, the extra ones are neither TP nor FP); a candidate on an
// "ignore" nodule (e.g. marked by fewer than 3 readers) is skipped; everything else is a false positive.
// Sensitivity is read at 1/8, 1/4, 1/2, 1, 2, 4, 8 FP per scan as the best sensitivity reached with at most
// that many FPs per scan (the step curve; LUNA16's script interpolates linearly); CPM is their mean.
import type { Vec3 } from '../shared/geometry';

export const LUNA_FP_RATES = [0.125, 0.25, 0.5, 1, 2, 4, 8] as const;

export interface FrocNodule { center: Vec3; radiusMm: number; ignore?: boolean }
export interface FrocCandidate { center: Vec3; score: number }
export interface FrocScan { id: string; nodules: FrocNodule[]; candidates: FrocCandidate[] }

export interface FrocPoint { threshold: number; fpPerScan: number; sensitivity: number }

export interface FrocResult {
  fpRates: number[];
  sensitivities: number[];
  cpm: number;
  curve: FrocPoint[];
  totalNodules: number;
  scans: number;
  /** Nodules hit by any candidate, regardless of score. */
  maxSensitivity: number;
}

export function froc(scans: FrocScan[], fpRates: readonly number[] = LUNA_FP_RATES): FrocResult {
  if (scans.length === 0) throw new Error('froc: no scans');
  type Ev = { score: number; kind: 'fp' } | { score: number; kind: 'tp'; key: string };
  const events: Ev[] = [];
  let total = 0;
  for (const s of scans) {
    const real = s.nodules.filter((n) => !n.ignore);
    total += real.length;
    for (const c of s.candidates) {
      const hit = nearestHit(s.nodules, c.center);
      if (hit === null) events.push({ score: c.score, kind: 'fp' });
      else if (!s.nodules[hit].ignore) events.push({ score: c.score, kind: 'tp', key: `${s.id}#${hit}` });
    }
  }
  events.sort((a, b) => b.score - a.score);
  const found = new Set<string>();
  let fp = 0;
  const curve: FrocPoint[] = [];
  for (let e = 0; e < events.length; e++) {
    const ev = events[e];
    if (ev.kind === 'fp') fp++;
    else found.add(ev.key);
    // Emit a point after the last event of each distinct score (a threshold includes all equal scores).
    if (e === events.length - 1 || events[e + 1].score !== ev.score)
      curve.push({ threshold: ev.score, fpPerScan: fp / scans.length, sensitivity: total ? found.size / total : 0 });
  }
  const sensitivities = fpRates.map((rate) => {
    let best = 0;
    for (const p of curve) if (p.fpPerScan <= rate + 1e-12 && p.sensitivity > best) best = p.sensitivity;
    return best;
  });
  return {
    fpRates: [...fpRates],
    sensitivities,
    cpm: sensitivities.reduce((a, b) => a + b, 0) / sensitivities.length,
    curve,
    totalNodules: total,
    scans: scans.length,
    maxSensitivity: total ? found.size / total : 0,
  };
}

/** Index of the nodule whose sphere contains p (closest centre first), or null. */
function nearestHit(nodules: FrocNodule[], p: Vec3): number | null {
  let best: number | null = null;
  let bestD = Infinity;
  nodules.forEach((n, i) => {
    const d = Math.hypot(n.center[0] - p[0], n.center[1] - p[1], n.center[2] - p[2]);
    if (d <= n.radiusMm && d < bestD) { best = i; bestD = d; }
  });
  return best;
}
