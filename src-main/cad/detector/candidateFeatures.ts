// Features of one candidate, from a segmentation in a small box of the (lung-masked) working volume.
import type { Vec3 } from '../../shared/geometry';
import { regionFeatures } from '../measure/regionFeatures';
import { brightestNear, segmentNodule } from '../measure/segmentNodule';
import type { Grid } from '../voxel/grid';
import { clampBox, cropMask, cropToFloat, distanceToOutside } from '../voxel/grid';
import type { RawCandidate } from './findCandidates';

export interface CandidateFeatures {
  dot: number;
  line: number;
  /** line / dot: > 1 for tubes, < 1 for blobs. */
  lineToDot: number;
  sigmaMm: number;
  peakHU: number;
  contrastHU: number;
  equivalentDiameterMm: number;
  volumeMm3: number;
  sphericity: number;
  elongation: number;
  meanHU: number;
  stdHU: number;
  /** Fraction of the grown region the vessel-cutting opening removed (0 = isolated). */
  attachedFraction: number;
  /** 0/1: the segmented (opened) region reaches the candidate box: part of a larger structure. */
  touchesBorder: number;
  pleuraDistanceMm: number;
  lowContrast: number; // 0/1: peak below the solid threshold (ground-glass path)
}

/** Distances to the pleura are searched up to this (mm); farther candidates report it. */
export const PLEURA_SEARCH_MM = 60;

export interface MeasuredCandidate {
  centerIjk: Vec3; // crop indices of the working grid
  features: CandidateFeatures;
}

export function measureCandidate(
  data: Float32Array,
  region: Uint8Array,
  grid: Grid,
  c: RawCandidate,
  backgroundHU: number,
): MeasuredCandidate | null {
  const h = grid.spacing[0];
  const half = Math.max(12, 4 * c.sigmaMm, 1.6 * (c.radiusHintMm ?? 0)) / h;
  const box = clampBox({ min: [c.ijk[0] - half, c.ijk[1] - half, c.ijk[2] - half], max: [c.ijk[0] + half + 1, c.ijk[1] + half + 1, c.ijk[2] + half + 1] }, grid.dims);
  const crop = cropToFloat(data, grid.dims, box);
  const allowed = cropMask(region, grid.dims, box);
  const sub: Grid = { dims: crop.dims, spacing: grid.spacing };
  const local: Vec3 = [c.ijk[0] - box.min[0], c.ijk[1] - box.min[1], c.ijk[2] - box.min[2]];
  const search = Math.max(2, Math.min(c.sigmaMm, 5));
  const peakIdx = brightestNear(crop.data, sub, local, search, allowed);
  if (peakIdx < 0) return null;
  const peak = crop.data[peakIdx];
  const tSolid = backgroundHU / 2;
  // Threshold halfway between background and this candidate's peak, never above the solid threshold.
  // (Large-lesion candidates bring their own, ground-glass, threshold: a vessel crossing the lesion near its
  // centre must not set it.)
  const threshold = c.thresholdHU ?? Math.min(tSolid, (backgroundHU + peak) / 2);
  if (peak - backgroundHU < 60) return null;
  const seg = segmentNodule(crop.data, sub, local, threshold, { allowed, searchRadiusMm: search });
  if (!seg) return null;
  const f = regionFeatures(crop.data, sub, seg.mask);
  if (!f) return null;
  const ci: Vec3 = [f.centroidIjk[0] + box.min[0], f.centroidIjk[1] + box.min[1], f.centroidIjk[2] + box.min[2]];
  return {
    centerIjk: ci,
    features: {
      dot: c.dot,
      line: c.line,
      lineToDot: c.line / Math.max(1e-6, c.dot),
      sigmaMm: c.sigmaMm,
      peakHU: peak,
      contrastHU: f.meanHU - backgroundHU,
      equivalentDiameterMm: f.equivalentDiameterMm,
      volumeMm3: f.volumeMm3,
      sphericity: f.sphericity,
      elongation: f.elongation,
      meanHU: f.meanHU,
      stdHU: f.stdHU,
      attachedFraction: 1 - seg.voxelCount / seg.grownCount,
      touchesBorder: seg.finalTouchesBorder ? 1 : 0,
      pleuraDistanceMm: distanceToOutside(region, grid.dims, h, [Math.round(ci[0]), Math.round(ci[1]), Math.round(ci[2])], PLEURA_SEARCH_MM),
      lowContrast: peak < tSolid || (c.thresholdHU !== undefined && f.meanHU < tSolid) ? 1 : 0,
    },
  };
}
