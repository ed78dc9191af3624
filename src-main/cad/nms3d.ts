// Turning a detection heatmap into candidates: local maxima above a threshold (with sub-voxel refinement),
// then greedy 3D non-maximum suppression by centre distance in millimetres.
import type { Vec3 } from '../shared/geometry';

export interface Peak {
  /** Continuous voxel index (i, j, k) of the refined maximum. */
  ijk: Vec3;
  score: number;
}

/** Offset of a parabola's vertex through (-1, a), (0, b), (1, c); 0 when flat. */
function parabolicOffset(a: number, b: number, c: number): number {
  const den = a - 2 * b + c;
  if (den >= 0) return 0; // not a maximum along this axis
  return Math.max(-0.5, Math.min(0.5, (0.5 * (a - c)) / den));
}

/**
 * Voxels that are ≥ every 26-neighbour and ≥ threshold. Plateaus give several adjacent peaks; NMS merges them.
 * `maxPeaks` keeps the highest ones (a noisy map must not flood the characterisation stage).
 */
export function findPeaks(map: Float32Array, dims: Vec3, threshold: number, maxPeaks = 500): Peak[] {
  const [nx, ny, nz] = dims;
  const sxy = nx * ny;
  const peaks: Peak[] = [];
  for (let k = 0; k < nz; k++) {
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const n = k * sxy + j * nx + i;
        const v = map[n];
        if (!(v >= threshold)) continue;
        let isMax = true;
        for (let dz = -1; dz <= 1 && isMax; dz++) {
          const z = k + dz;
          if (z < 0 || z >= nz) continue;
          for (let dy = -1; dy <= 1 && isMax; dy++) {
            const y = j + dy;
            if (y < 0 || y >= ny) continue;
            for (let dx = -1; dx <= 1; dx++) {
              const x = i + dx;
              if (x < 0 || x >= nx || (dx === 0 && dy === 0 && dz === 0)) continue;
              if (map[z * sxy + y * nx + x] > v) {
                isMax = false;
                break;
              }
            }
          }
        }
        if (!isMax) continue;
        const along = (d: number, lo: boolean, hi: boolean) => parabolicOffset(lo ? map[n - d] : v, v, hi ? map[n + d] : v);
        peaks.push({
          ijk: [i + along(1, i > 0, i < nx - 1), j + along(nx, j > 0, j < ny - 1), k + along(sxy, k > 0, k < nz - 1)],
          score: v,
        });
      }
    }
  }
  peaks.sort((a, b) => b.score - a.score);
  return peaks.slice(0, maxPeaks);
}

export interface Scored {
  centerLPS: Vec3;
  score: number;
}

/** Greedy NMS: keep the best, drop every other candidate whose centre lies within `distanceMm` of a kept one. */
export function nms3d<T extends Scored>(cands: T[], distanceMm: number): T[] {
  const sorted = [...cands].sort((a, b) => b.score - a.score);
  const kept: T[] = [];
  const d2 = distanceMm * distanceMm;
  for (const c of sorted) {
    const near = kept.some((k) => {
      const dx = k.centerLPS[0] - c.centerLPS[0];
      const dy = k.centerLPS[1] - c.centerLPS[1];
      const dz = k.centerLPS[2] - c.centerLPS[2];
      return dx * dx + dy * dy + dz * dz < d2;
    });
    if (!near) kept.push(c);
  }
  return kept;
}
