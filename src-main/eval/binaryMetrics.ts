// Binary-outcome metrics for a probability model: ROC AUC (Mann-Whitney, ties count half) with a 95 % interval by
// bootstrap over groups (patients: nodules of one patient are not independent), Brier score, expected calibration
// error, and sensitivity/specificity at a threshold.
import { mulberry32 } from '../shared/prng';

export function rocAuc(truth: number[], score: number[]): number {
  const idx = truth.map((_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0, neg = 0, rankSumPos = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && score[idx[j + 1]] === score[idx[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (truth[idx[t]] === 1) rankSumPos += rank;
    i = j + 1;
  }
  for (const t of truth) {
    if (t === 1) pos++;
    else neg++;
  }
  if (!pos || !neg) return NaN;
  return (rankSumPos - (pos * (pos + 1)) / 2) / (pos * neg);
}

export function brierScore(truth: number[], p: number[]): number {
  return truth.reduce((s, t, i) => s + (p[i] - t) ** 2, 0) / truth.length;
}

/** Expected calibration error over equal-width bins of the probability (the last bin includes 1). */
export function expectedCalibrationError(truth: number[], p: number[], bins = 10): number {
  const n = new Array<number>(bins).fill(0), sp = new Array<number>(bins).fill(0), st = new Array<number>(bins).fill(0);
  p.forEach((v, i) => {
    const b = Math.min(bins - 1, Math.floor(v * bins));
    n[b]++;
    sp[b] += v;
    st[b] += truth[i];
  });
  let e = 0;
  for (let b = 0; b < bins; b++) if (n[b]) e += Math.abs(sp[b] / n[b] - st[b] / n[b]) * n[b];
  return e / p.length;
}

export function sensSpec(truth: number[], p: number[], threshold: number): { sensitivity: number; specificity: number } {
  let tp = 0, fn = 0, tn = 0, fp = 0;
  truth.forEach((t, i) => (t === 1 ? (p[i] >= threshold ? tp++ : fn++) : p[i] >= threshold ? fp++ : tn++));
  return { sensitivity: tp + fn ? tp / (tp + fn) : NaN, specificity: tn + fp ? tn / (tn + fp) : NaN };
}

/** 95 % percentile interval of `metric` over bootstrap resamples of the groups (seeded: the same data gives the same interval). */
export function groupBootstrapCI(groups: string[], metric: (idx: number[]) => number, reps = 2000, seed = 1): [number, number] {
  const byGroup = new Map<string, number[]>();
  groups.forEach((g, i) => byGroup.set(g, [...(byGroup.get(g) ?? []), i]));
  const keys = [...byGroup.keys()];
  const rnd = mulberry32(seed);
  const vals: number[] = [];
  for (let r = 0; r < reps; r++) {
    const idx: number[] = [];
    for (let k = 0; k < keys.length; k++) idx.push(...byGroup.get(keys[Math.floor(rnd() * keys.length)])!);
    const v = metric(idx);
    if (Number.isFinite(v)) vals.push(v);
  }
  vals.sort((a, b) => a - b);
  if (!vals.length) return [NaN, NaN];
  const q = (f: number) => vals[Math.min(vals.length - 1, Math.max(0, Math.round(f * (vals.length - 1))))];
  return [q(0.025), q(0.975)];
}
