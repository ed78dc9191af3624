// The few numpy routines whose floating-point behaviour the reference programs (pycocotools, the LUNA16 script,
// scikit-learn) bake into published numbers. Reproduced operation for operation so that Pulmo's metrics agree
// with them to the last bit, not merely to 1e-12: the thresholds numpy stores, its pairwise summation, and
// np.interp / np.searchsorted index rules.

/** np.linspace(start, stop, num): start + i*step with step = (stop-start)/(num-1), the last value exactly stop. */
export function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  const out = Array.from({ length: num }, (_, i) => i * step + start);
  if (num > 1) out[num - 1] = stop;
  return out;
}

/** numpy's pairwise_sum for float64 (8 accumulators per block of <= 128, halves above that). */
function pairwise(a: ArrayLike<number>, lo: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[lo + i];
    return res;
  }
  if (n <= 128) {
    const r = [a[lo], a[lo + 1], a[lo + 2], a[lo + 3], a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[lo + i + j];
    let res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[lo + i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwise(a, lo, n2) + pairwise(a, lo + n2, n - n2);
}

/** np.sum of a contiguous float64 array: 0 plus the pairwise sum, in blocks of numpy's 8192-element buffer. */
export function npSum(a: ArrayLike<number>): number {
  let res = 0;
  for (let lo = 0; lo < a.length; lo += 8192) res += pairwise(a, lo, Math.min(8192, a.length - lo));
  return res;
}

/** np.mean: npSum / n (NaN for an empty array, where numpy warns "Mean of empty slice"). */
export function npMean(a: ArrayLike<number>): number {
  return a.length ? npSum(a) / a.length : NaN;
}

/** np.searchsorted(sorted, v, side='left'): the first index i with sorted[i] >= v (sorted.length if none). */
export function searchsortedLeft(sorted: ArrayLike<number>, v: number): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * np.interp(x, xp, fp) for non-decreasing xp: the last j with xp[j] <= x, fp[j] where xp[j] == x or j is the last
 * point, otherwise the slope formula numpy uses; fp[0] left of the curve, fp[last] right of it.
 */
export function interp(x: number, xp: ArrayLike<number>, fp: ArrayLike<number>): number {
  const n = xp.length;
  if (n === 0) throw new Error('interp: empty curve');
  if (x > xp[n - 1]) return fp[n - 1];
  if (x < xp[0]) return fp[0];
  // Last index with xp[j] <= x (numpy's binary_search_with_guess returns the same index for sorted xp).
  let lo = 0, hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x >= xp[mid]) lo = mid + 1;
    else hi = mid;
  }
  const j = lo - 1;
  if (j === n - 1 || xp[j] === x) return fp[j];
  const slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
  const v = slope * (x - xp[j]) + fp[j];
  if (!Number.isNaN(v)) return v;
  const w = slope * (x - xp[j + 1]) + fp[j + 1];
  return Number.isNaN(w) && fp[j] === fp[j + 1] ? fp[j] : w;
}
