// Brock University (PanCan) malignancy probability, full model with spiculation ("model 2b"):
// McWilliams A, Tammemagi MC, Mayo JR, et al. Probability of cancer in pulmonary nodules detected on first
// screening CT. N Engl J Med 2013;369:910-919 (supplementary appendix, Table S5).
//   logit = -6.7892 + 0.0287 (age - 62) + 0.6011 [female] + 0.2961 [family history] + 0.2953 [emphysema]
//           - 5.3854 ((size/10)^-0.5 - 1.58113883) - 0.1276 [non-solid] + 0.377 [part-solid]
//           + 0.6581 [upper lobe] - 0.0824 (nodule count - 4) + 0.7729 [spiculation]
// size: nodule size in mm (mean diameter, as in the study); probability = 1 / (1 + exp(-logit)).
import type { NoduleType } from '../shared/types';

export interface BrockInput {
  ageYears: number;
  sex: 'female' | 'male';
  familyHistoryLungCancer: boolean;
  emphysema: boolean;
  /** Nodule size, mm (1-100). */
  sizeMm: number;
  type: NoduleType;
  upperLobe: boolean;
  /** Nodules in the scan (>= 1). */
  noduleCount: number;
  spiculation: boolean;
}

export const BROCK_COEFFICIENTS = {
  intercept: -6.7892,
  age: 0.0287, // per year above 62
  female: 0.6011,
  familyHistory: 0.2961,
  emphysema: 0.2953,
  size: -5.3854, // times ((size/10)^-0.5 - 1.58113883)
  nonSolid: -0.1276,
  partSolid: 0.377,
  upperLobe: 0.6581,
  count: -0.0824, // per nodule above 4
  spiculation: 0.7729,
} as const;

export function brockLogit(i: BrockInput): number {
  if (!(i.sizeMm > 0)) throw new Error(`brock: nodule size must be > 0 mm (got ${i.sizeMm})`);
  if (!(i.noduleCount >= 1)) throw new Error(`brock: nodule count must be >= 1 (got ${i.noduleCount})`);
  if (!Number.isFinite(i.ageYears)) throw new Error('brock: age is required');
  const c = BROCK_COEFFICIENTS;
  return (
    c.intercept +
    c.age * (i.ageYears - 62) +
    (i.sex === 'female' ? c.female : 0) +
    (i.familyHistoryLungCancer ? c.familyHistory : 0) +
    (i.emphysema ? c.emphysema : 0) +
    c.size * (Math.pow(i.sizeMm / 10, -0.5) - 1.58113883) +
    (i.type === 'ground-glass' ? c.nonSolid : i.type === 'part-solid' ? c.partSolid : 0) +
    (i.upperLobe ? c.upperLobe : 0) +
    c.count * (i.noduleCount - 4) +
    (i.spiculation ? c.spiculation : 0)
  );
}

/** Probability of malignancy, 0..1. */
export function brockProbability(input: BrockInput): number {
  return 1 / (1 + Math.exp(-brockLogit(input)));
}
