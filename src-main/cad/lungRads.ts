// Lung-RADS v2022 (American College of Radiology, Lung CT Screening Reporting & Data System, version 2022,
// released November 2022; https://www.acr.org/Clinical-Resources/Reporting-and-Data-Systems/Lung-Rads;
// summarised in Christensen J et al., "ACR Lung-RADS v2022: Assessment Categories and Management
// Recommendations", CHEST 2024;165(3):738-753 — juxtapleural < 10 mm → 2, stepped management of stable nodules).
// Size is the mean of long and short axis to one decimal (mm). Growth = an increase in mean diameter of more
// than 1.5 mm within 12 months. Categories implemented (nodule part of the v2022 table):
//   solid      baseline <6 → 2, 6-<8 → 3, 8-<15 → 4A, >=15 → 4B; new <4 → 2, 4-<6 → 3, 6-<8 → 4A, >=8 → 4B;
//              growing <8 → 4A, >=8 → 4B; juxtapleural (perifissural) solid <10 mm with benign features → 2
//   part-solid baseline total <6 → 2; >=6 with solid <6 → 3, solid 6-<8 → 4A, solid >=8 → 4B;
//              new total <6 → 3; new/growing solid component <4 → 4A, >=4 → 4B
//   non-solid  <30 → 2; >=30 → 3 (baseline or new); unchanged or slowly growing → 2
//   calcified (benign pattern) → 1. Stepped management (v2022) for a solid/part-solid nodule unchanged against
//   its prior: a prior category 4A steps to 3, a prior 3 to 2; unchanged with no prior category or prior 1/2 → 2;
//   a stable prior 4B/4X is not stepped down here (its size category stands: that call is the radiologist's).
//   4X: a category 3 or 4 nodule with additional features or imaging findings that increase the suspicion of
//   malignancy (e.g. spiculation) — only when the reader has said so (additionalFeatures); never guessed.
// Lung-RADS applies to screening CT only (LUNG_RADS_SCOPE in shared/cadTypes is shown with every category).
import type { NoduleType } from '../shared/types';

export type LungRadsCategory = '0' | '1' | '2' | '3' | '4A' | '4B' | '4X';

export interface LungRadsNoduleInput {
  type: NoduleType;
  /** Mean diameter, mm (one decimal). */
  diameterMm: number;
  /** Long axis of the solid component, part-solid only (mm). */
  solidComponentMm?: number | null;
  /** 'new' when absent on a prior exam; otherwise derived from the priors (growing / stable) or 'baseline'. */
  status?: 'baseline' | 'new';
  priorDiameterMm?: number | null;
  priorSolidComponentMm?: number | null;
  calcified?: boolean;
  /** Category given to this nodule at the prior exam, for v2022 stepped management of stable nodules. */
  priorCategory?: LungRadsCategory | null;
  /** Perifissural / juxtapleural with benign features (smooth, triangular or oval). */
  perifissural?: boolean;
  /** Additional features increasing suspicion (e.g. spiculation), as stated by the reader: 3/4A/4B become 4X. */
  additionalFeatures?: string | null;
}

export interface LungRadsResult {
  category: LungRadsCategory;
  reason: string;
}

export const GROWTH_MM = 1.5;

export function lungRadsNodule(n: LungRadsNoduleInput): LungRadsResult {
  const base = lungRadsBySize(n);
  if (n.additionalFeatures && (base.category === '3' || base.category === '4A' || base.category === '4B')) {
    return r('4X', `${base.reason}, with ${n.additionalFeatures} (category ${base.category} with additional features increasing suspicion)`);
  }
  return base;
}

function lungRadsBySize(n: LungRadsNoduleInput): LungRadsResult {
  const d = round1(n.diameterMm);
  if (!Number.isFinite(d) || d < 0) throw new Error(`lungRadsNodule: invalid diameter ${n.diameterMm}`);
  if (n.calcified) return r('1', 'calcified nodule with a benign pattern');
  const hasPrior = n.priorDiameterMm != null && Number.isFinite(n.priorDiameterMm);
  const growing = hasPrior && d - round1(n.priorDiameterMm as number) > GROWTH_MM;
  const stable = hasPrior && !growing;
  const state = n.status === 'new' ? 'new' : growing ? 'growing' : stable ? 'stable' : 'baseline';
  if (n.type === 'solid') {
    if (n.perifissural && d < 10) return r('2', `juxtapleural/perifissural solid nodule ${d} mm < 10 mm`);
    if (state === 'stable') {
      const stepped = steppedDown(n.priorCategory, `solid nodule ${d} mm unchanged from prior ${n.priorDiameterMm} mm`);
      if (stepped) return stepped;
    }
    if (state === 'growing') return d < 8 ? r('4A', `growing solid nodule ${d} mm < 8 mm`) : r('4B', `growing solid nodule ${d} mm >= 8 mm`);
    if (state === 'new') {
      if (d < 4) return r('2', `new solid nodule ${d} mm < 4 mm`);
      if (d < 6) return r('3', `new solid nodule ${d} mm (4 to < 6 mm)`);
      if (d < 8) return r('4A', `new solid nodule ${d} mm (6 to < 8 mm)`);
      return r('4B', `new solid nodule ${d} mm >= 8 mm`);
    }
    if (d < 6) return r('2', `solid nodule ${d} mm < 6 mm`);
    if (d < 8) return r('3', `solid nodule ${d} mm (6 to < 8 mm)`);
    if (d < 15) return r('4A', `solid nodule ${d} mm (8 to < 15 mm)`);
    return r('4B', `solid nodule ${d} mm >= 15 mm`);
  }
  if (n.type === 'part-solid') {
    const s = n.solidComponentMm == null ? null : round1(n.solidComponentMm);
    const solidGrowing = s !== null && n.priorSolidComponentMm != null && s - round1(n.priorSolidComponentMm) > GROWTH_MM;
    if (state === 'new' && d < 6) return r('3', `new part-solid nodule ${d} mm total < 6 mm`);
    if (s !== null && d >= 6 && (state === 'new' || state === 'growing' || solidGrowing)) {
      const what = state === 'new' ? 'new' : 'growing';
      return s < 4 ? r('4A', `${what} part-solid nodule with solid component ${s} mm < 4 mm`) : r('4B', `${what} part-solid nodule with solid component ${s} mm >= 4 mm`);
    }
    if (state === 'stable') {
      const stepped = steppedDown(n.priorCategory, `part-solid nodule ${d} mm unchanged from prior`);
      if (stepped) return stepped;
    }
    if (d < 6) return r('2', `part-solid nodule ${d} mm total < 6 mm`);
    if (s === null) throw new Error('lungRadsNodule: a part-solid nodule >= 6 mm needs its solid component size');
    if (s < 6) return r('3', `part-solid nodule ${d} mm with solid component ${s} mm < 6 mm`);
    if (s < 8) return r('4A', `part-solid nodule with solid component ${s} mm (6 to < 8 mm)`);
    return r('4B', `part-solid nodule with solid component ${s} mm >= 8 mm`);
  }
  // Non-solid (ground-glass).
  if (state === 'stable' || (state === 'growing' && d < 30)) return r('2', `non-solid nodule ${d} mm unchanged or slowly growing`);
  if (d < 30) return r('2', `non-solid nodule ${d} mm < 30 mm`);
  return r('3', `non-solid nodule ${d} mm >= 30 mm${state === 'new' ? ' (new)' : ''}`);
}

const ORDER: LungRadsCategory[] = ['1', '2', '3', '4A', '4B', '4X'];

/** Exam category: the most suspicious nodule; no nodules → 1. `incomplete` → 0. */
export function lungRadsExam(nodules: LungRadsNoduleInput[], opts: { incomplete?: boolean } = {}): LungRadsResult {
  if (opts.incomplete) return r('0', 'part or all of the lungs cannot be evaluated');
  if (nodules.length === 0) return r('1', 'no lung nodules');
  let worst: LungRadsResult | null = null;
  for (const n of nodules) {
    const c = lungRadsNodule(n);
    if (!worst || ORDER.indexOf(c.category) > ORDER.indexOf(worst.category)) worst = c;
  }
  return { category: worst!.category, reason: `most suspicious nodule: ${worst!.reason}` };
}

/** v2022 stepped management of a stable nodule; null when it does not apply (prior 4B/4X: size rules stand). */
function steppedDown(prior: LungRadsCategory | null | undefined, what: string): LungRadsResult | null {
  if (prior === '4A') return r('3', `${what}: stable prior 4A steps down to 3`);
  if (prior === '3') return r('2', `${what}: stable prior 3 steps down to 2`);
  if (prior === '4B' || prior === '4X') return null;
  return r('2', what);
}

function r(category: LungRadsCategory, reason: string): LungRadsResult {
  return { category, reason };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
