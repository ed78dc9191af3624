// Candidate points: local maxima (26-neighbourhood) of the dot response inside the lung region, strongest
// first, with non-maximum suppression over a radius tied to the scale that produced each maximum.
import type { Vec3 } from '../../shared/geometry';

export interface RawCandidate {
  ijk: Vec3; // crop voxel indices
  index: number;
  dot: number;
  line: number;
  sigmaMm: number;
  /** Size hint (mm) for candidates from the large-lesion path. */
  radiusHintMm?: number;
  /** Segmentation threshold (HU) for candidates from the large-lesion path. */
  thresholdHU?: number;
}

export function findCandidates(
  dot: Float32Array,
  line: Float32Array,
  scaleIndex: Uint8Array,
  region: Uint8Array,
  dims: Vec3,
  spacingMm: number,
  sigmasMm: readonly number[],
  minDot: number,
  maxCount: number,
): RawCandidate[] {
  const [nx, ny, nz] = dims;
  const nxy = nx * ny;
  const found: RawCandidate[] = [];
  for (let k = 1; k < nz - 1; k++)
    for (let j = 1; j < ny - 1; j++)
      for (let i = 1; i < nx - 1; i++) {
        const p = i + nx * j + nxy * k;
        const v = dot[p];
        if (v < minDot || !region[p]) continue;
        let isMax = true;
        for (let dk = -1; dk <= 1 && isMax; dk++)
          for (let dj = -1; dj <= 1 && isMax; dj++)
            for (let di = -1; di <= 1; di++) {
              if (!di && !dj && !dk) continue;
              const q = p + di + nx * dj + nxy * dk;
              // Ties broken by index so that a plateau yields one maximum.
              if (dot[q] > v || (dot[q] === v && q < p)) { isMax = false; break; }
            }
        if (isMax) found.push({ ijk: [i, j, k], index: p, dot: v, line: line[p], sigmaMm: sigmasMm[scaleIndex[p]] });
      }
  found.sort((a, b) => b.dot - a.dot || a.index - b.index);
  const kept: RawCandidate[] = [];
  for (const c of found) {
    const r = Math.max(3, 1.5 * c.sigmaMm);
    const near = kept.some((o) => {
      const dx = (o.ijk[0] - c.ijk[0]) * spacingMm, dy = (o.ijk[1] - c.ijk[1]) * spacingMm, dz = (o.ijk[2] - c.ijk[2]) * spacingMm;
      return dx * dx + dy * dy + dz * dz < r * r;
    });
    if (near) continue;
    kept.push(c);
    if (kept.length >= maxCount) break;
  }
  return kept;
}
