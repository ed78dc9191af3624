// Classification metrics over integer class labels 0..k-1: confusion matrix, accuracy, quadratic weighted kappa
// (Cohen 1968; the agreement measure for ordinal ratings such as malignancy 1-5). Accuracy and QWK reproduce
// scikit-learn's accuracy_score and cohen_kappa_score bit for bit.
import { npSum } from './numpyArith';

export interface ConfusionMatrix {
  classes: number;
  /** counts[truth][predicted] */
  counts: number[][];
}

export function confusionMatrix(truth: number[], predicted: number[], classes: number): ConfusionMatrix {
  if (truth.length !== predicted.length) throw new Error(`confusionMatrix: ${truth.length} labels vs ${predicted.length} predictions`);
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  truth.forEach((t, i) => {
    const p = predicted[i];
    if (!Number.isInteger(t) || !Number.isInteger(p) || t < 0 || p < 0 || t >= classes || p >= classes)
      throw new Error(`confusionMatrix: label out of range at ${i} (truth ${t}, predicted ${p}, classes ${classes})`);
    counts[t][p]++;
  });
  return { classes, counts };
}

export function accuracy(truth: number[], predicted: number[]): number {
  if (truth.length === 0) throw new Error('accuracy: no samples');
  if (truth.length !== predicted.length) throw new Error('accuracy: length mismatch');
  let ok = 0;
  truth.forEach((t, i) => { if (t === predicted[i]) ok++; });
  return ok / truth.length;
}

/**
 * Quadratic weighted kappa exactly as scikit-learn's cohen_kappa_score(y1, y2, weights='quadratic'): over the
 * labels that occur in either list (sorted), weights (i - j)², expected counts outer(predicted, truth) / n,
 * kappa = 1 - sum(w·O) / sum(w·E) with numpy's pairwise sum. NaN when only one label occurs (sklearn: 0/0).
 */
export function quadraticWeightedKappa(truth: number[], predicted: number[], classes: number): number {
  const n = truth.length;
  if (n === 0) throw new Error('quadraticWeightedKappa: no samples');
  const { counts } = confusionMatrix(truth, predicted, classes);
  const labels = [...new Set([...truth, ...predicted])].sort((a, b) => a - b);
  const o = labels.map((i) => labels.map((j) => counts[i][j]));
  const c = labels.length;
  const predSum = labels.map((_, j) => o.reduce((s, row) => s + row[j], 0));
  const truthSum = o.map((row) => row.reduce((s, v) => s + v, 0));
  let num = 0;
  const wExpected: number[] = [];
  for (let i = 0; i < c; i++)
    for (let j = 0; j < c; j++) {
      const w = (i - j) * (i - j);
      num += w * o[i][j];
      wExpected.push(w * ((predSum[i] * truthSum[j]) / n));
    }
  return 1 - num / npSum(wExpected);
}
