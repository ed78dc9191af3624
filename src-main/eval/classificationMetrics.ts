// Classification metrics over integer class labels 0..k-1: confusion matrix, accuracy, quadratic weighted kappa
// (Cohen 1968; the agreement measure for ordinal ratings such as malignancy 1-5).

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

/** Quadratic weighted kappa: 1 - sum(w O) / sum(w E), w_ij = (i-j)² / (k-1)². 1 = perfect, 0 = chance. */
export function quadraticWeightedKappa(truth: number[], predicted: number[], classes: number): number {
  const { counts } = confusionMatrix(truth, predicted, classes);
  const n = truth.length;
  if (n === 0) throw new Error('quadraticWeightedKappa: no samples');
  const rowSum = counts.map((r) => r.reduce((a, b) => a + b, 0));
  const colSum = counts[0].map((_, j) => counts.reduce((a, r) => a + r[j], 0));
  let num = 0, den = 0;
  for (let i = 0; i < classes; i++)
    for (let j = 0; j < classes; j++) {
      const w = ((i - j) * (i - j)) / ((classes - 1) * (classes - 1));
      num += w * counts[i][j];
      den += (w * rowSum[i] * colSum[j]) / n;
    }
  return den === 0 ? 1 : 1 - num / den;
}
