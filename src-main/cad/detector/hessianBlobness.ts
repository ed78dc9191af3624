// Multi-scale Hessian "dot" and "line" enhancement (Li, Sone & Doi, Med Phys 30(8) 2003) on an isotropic grid.
// With eigenvalues |l1| >= |l2| >= |l3| of the scale-normalised Hessian (sigma² H):
//   dot  = |l3|² / |l1|            if l1, l2, l3 < 0   (bright blob: all three curvatures alike)
//   line = |l2| (|l2| - |l3|) / |l1| if l1, l2 < 0     (bright tube: one curvature ~ 0)
// Both are in HU-like units, proportional to the local contrast. For a blob standing A above the background,
// sigma² |l| at its centre is at most A (a Gaussian blob of width s smoothed at sigma: A sigma²/(s² + sigma²)),
// so dot < A wherever the smoothed value is less than A above the lung background: with opts.minLevel =
// background + A the eigen-analysis is skipped there (most of the aerated lung). The detector's candidate
// threshold equals that A, so its candidates do not change (checked against the full evaluation in a test).
import type { Vec3 } from '../../shared/geometry';
import { gaussianSmooth } from '../voxel/gaussianFilter';
import { symmetricEigenvalues3 } from '../voxel/symmetricEigen3';

export type SmoothFn = (vol: Float32Array, dims: Vec3, spacing: Vec3, sigmaMm: number) => Promise<Float32Array>;

export interface BlobnessMaps {
  dot: Float32Array; // max over scales
  line: Float32Array; // line response at the scale where dot is maximal (or max line where dot = 0)
  scaleIndex: Uint8Array; // index into sigmas of the best dot scale
}

export async function hessianBlobness(
  data: Float32Array,
  dims: Vec3,
  spacingMm: number,
  evalMask: Uint8Array,
  sigmasMm: readonly number[],
  opts: { smooth?: SmoothFn; signal?: AbortSignal; onScale?: (done: number) => void; minLevel?: number } = {},
): Promise<BlobnessMaps> {
  const minLevel = opts.minLevel ?? -Infinity;
  const [nx, ny, nz] = dims;
  const nxy = nx * ny;
  const n = data.length;
  const dot = new Float32Array(n);
  const line = new Float32Array(n);
  const scaleIndex = new Uint8Array(n);
  const ev = new Float64Array(3);
  const h2 = spacingMm * spacingMm;
  const sp: Vec3 = [spacingMm, spacingMm, spacingMm];
  for (let s = 0; s < sigmasMm.length; s++) {
    opts.signal?.throwIfAborted();
    const sigma = sigmasMm[s];
    const g = opts.smooth ? await opts.smooth(data, dims, sp, sigma) : gaussianSmooth(data, dims, sp, sigma);
    const norm = (sigma * sigma) / h2;
    for (let k = 1; k < nz - 1; k++) {
      for (let j = 1; j < ny - 1; j++) {
        let p = 1 + nx * j + nxy * k;
        for (let i = 1; i < nx - 1; i++, p++) {
          if (!evalMask[p]) continue;
          const c = g[p];
          if (c < minLevel) continue;
          const hxx = (g[p + 1] - 2 * c + g[p - 1]) * norm;
          const hyy = (g[p + nx] - 2 * c + g[p - nx]) * norm;
          const hzz = (g[p + nxy] - 2 * c + g[p - nxy]) * norm;
          const hxy = (g[p + 1 + nx] - g[p + 1 - nx] - g[p - 1 + nx] + g[p - 1 - nx]) * 0.25 * norm;
          const hxz = (g[p + 1 + nxy] - g[p + 1 - nxy] - g[p - 1 + nxy] + g[p - 1 - nxy]) * 0.25 * norm;
          const hyz = (g[p + nx + nxy] - g[p + nx - nxy] - g[p - nx + nxy] + g[p - nx - nxy]) * 0.25 * norm;
          symmetricEigenvalues3(hxx, hyy, hzz, hxy, hxz, hyz, ev);
          const l1 = ev[0], l2 = ev[1], l3 = ev[2];
          if (l1 >= 0 || l2 >= 0) continue;
          const a1 = -l1, a2 = -l2;
          const ln = (a2 * (a2 - Math.abs(l3))) / a1;
          const d = l3 < 0 ? (l3 * l3) / a1 : 0;
          if (d > dot[p]) { dot[p] = d; scaleIndex[p] = s; line[p] = ln; }
          else if (dot[p] === 0 && ln > line[p]) line[p] = ln;
        }
      }
    }
    opts.onScale?.(s + 1);
  }
  return { dot, line, scaleIndex };
}
