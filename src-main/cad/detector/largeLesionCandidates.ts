// Candidates for large lesions, which the Hessian misses: a nodule wider than about 2 x sqrt(3) x the largest
// sigma (~17 mm) is flat inside at every scale, and a large faint ground-glass lesion barely registers. On the
// 2x pooled grid, voxels above the ground-glass threshold are opened with a LARGE_OPEN_MM ball (cutting vessels
// thinner than that) and each remaining component of at least LARGE_MIN_DIAMETER_MM (equal-volume diameter)
// becomes a candidate at its centroid.
import type { Vec3 } from '../../shared/geometry';
import type { RawCandidate } from './findCandidates';
import { labelComponents, open } from '../voxel/morphology';
import { pool2, poolMask } from './pyramidBlobness';

export const LARGE_OPEN_MM = 3.5;
export const LARGE_MIN_DIAMETER_MM = 10;

export function largeLesionCandidates(data: Float32Array, region: Uint8Array, dims: Vec3, spacingMm: number, backgroundHU: number): RawCandidate[] {
  const cd: Vec3 = [Math.ceil(dims[0] / 2), Math.ceil(dims[1] / 2), Math.ceil(dims[2] / 2)];
  const ch = 2 * spacingMm;
  const coarse = pool2(data, dims, cd);
  const inLung = poolMask(region, dims, cd);
  const threshold = (backgroundHU - 600) / 2; // halfway between aerated lung and ground glass (-600 HU)
  const mask = new Uint8Array(coarse.length);
  for (let p = 0; p < mask.length; p++) mask[p] = inLung[p] && coarse[p] >= threshold ? 1 : 0;
  const grid = { dims: cd, spacing: [ch, ch, ch] as Vec3 };
  const comps = labelComponents(open(mask, grid, LARGE_OPEN_MM), grid);
  const minVoxels = ((4 / 3) * Math.PI * (LARGE_MIN_DIAMETER_MM / 2) ** 3) / ch ** 3;
  const sums = new Float64Array(4 * (comps.count + 1));
  for (let p = 0; p < comps.labels.length; p++) {
    const l = comps.labels[p];
    if (!l || comps.sizes[l] < minVoxels) continue;
    sums[4 * l] += p % cd[0];
    sums[4 * l + 1] += Math.floor(p / cd[0]) % cd[1];
    sums[4 * l + 2] += Math.floor(p / (cd[0] * cd[1]));
    sums[4 * l + 3] += 1;
  }
  const out: RawCandidate[] = [];
  for (let l = 1; l <= comps.count; l++) {
    const n = sums[4 * l + 3];
    if (!n) continue;
    // Coarse voxel c covers fine voxels 2c and 2c+1: its centre is at fine index 2c + 0.5.
    const ijk = [0, 1, 2].map((a) => Math.min(dims[a] - 1, Math.round((2 * sums[4 * l + a]) / n + 0.5))) as Vec3;
    const index = ijk[0] + dims[0] * (ijk[1] + dims[1] * ijk[2]);
    const radiusMm = Math.cbrt((3 * n * ch ** 3) / (4 * Math.PI));
    out.push({ ijk, index, dot: 0, line: 0, sigmaMm: Math.min(8, radiusMm / 2), radiusHintMm: radiusMm, thresholdHU: threshold });
  }
  return out;
}
