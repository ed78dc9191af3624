// Multi-scale blobness with a two-level pyramid: small scales on the working grid, scales of at least
// COARSE_MIN_SIGMA_VOXELS coarse voxels on a 2x average-pooled grid (an 8x smaller volume with kernels half as
// long), trilinearly upsampled back. The large scales dominate the cost of the single-grid filter; on the
// coarse grid their Gaussians are still >= 1 voxel wide, so the response is preserved (tested).
import type { Vec3 } from '../../shared/geometry';
import type { BlobnessMaps, SmoothFn } from './hessianBlobness';
import { hessianBlobness } from './hessianBlobness';

export const COARSE_MIN_SIGMA_VOXELS = 1.0;

export async function pyramidBlobness(
  data: Float32Array,
  dims: Vec3,
  spacingMm: number,
  evalMask: Uint8Array,
  sigmasMm: readonly number[],
  opts: { smooth?: SmoothFn; signal?: AbortSignal; onScale?: (done: number) => void; singleGrid?: boolean; minLevel?: number } = {},
): Promise<BlobnessMaps> {
  const coarseH = 2 * spacingMm;
  const fineSigmas = opts.singleGrid ? [...sigmasMm] : sigmasMm.filter((s) => s < COARSE_MIN_SIGMA_VOXELS * coarseH);
  const coarseSigmas = sigmasMm.slice(fineSigmas.length);
  const fine = await hessianBlobness(data, dims, spacingMm, evalMask, fineSigmas, { ...opts });
  if (coarseSigmas.length === 0) return fine;
  const cd: Vec3 = [Math.ceil(dims[0] / 2), Math.ceil(dims[1] / 2), Math.ceil(dims[2] / 2)];
  const coarse = pool2(data, dims, cd);
  const coarseMask = poolMask(evalMask, dims, cd);
  const cm = await hessianBlobness(coarse, cd, coarseH, coarseMask, coarseSigmas, {
    ...opts,
    onScale: (d) => opts.onScale?.(fineSigmas.length + d),
  });
  // Upsample: fine voxel i lies at coarse coordinate (i - 0.5) / 2.
  const [nx, ny, nz] = dims;
  const nxy = nx * ny;
  const [cx, cy, cz] = cd;
  const cxy = cx * cy;
  for (let k = 0; k < nz; k++) {
    const z = Math.min(cz - 1, Math.max(0, (k - 0.5) / 2));
    const k0 = Math.min(cz - 2 < 0 ? 0 : cz - 2, Math.floor(z)), wz = cz > 1 ? z - k0 : 0, k1 = cz > 1 ? k0 + 1 : k0;
    for (let j = 0; j < ny; j++) {
      const y = Math.min(cy - 1, Math.max(0, (j - 0.5) / 2));
      const j0 = Math.min(cy - 2 < 0 ? 0 : cy - 2, Math.floor(y)), wy = cy > 1 ? y - j0 : 0, j1 = cy > 1 ? j0 + 1 : j0;
      for (let i = 0; i < nx; i++) {
        const p = i + nx * j + nxy * k;
        if (!evalMask[p]) continue;
        const x = Math.min(cx - 1, Math.max(0, (i - 0.5) / 2));
        const i0 = Math.min(cx - 2 < 0 ? 0 : cx - 2, Math.floor(x)), wx = cx > 1 ? x - i0 : 0, i1 = cx > 1 ? i0 + 1 : i0;
        const tri = (m: Float32Array): number => {
          const a = m[i0 + cx * j0 + cxy * k0] * (1 - wx) + m[i1 + cx * j0 + cxy * k0] * wx;
          const b = m[i0 + cx * j1 + cxy * k0] * (1 - wx) + m[i1 + cx * j1 + cxy * k0] * wx;
          const c = m[i0 + cx * j0 + cxy * k1] * (1 - wx) + m[i1 + cx * j0 + cxy * k1] * wx;
          const d = m[i0 + cx * j1 + cxy * k1] * (1 - wx) + m[i1 + cx * j1 + cxy * k1] * wx;
          return (a * (1 - wy) + b * wy) * (1 - wz) + (c * (1 - wy) + d * wy) * wz;
        };
        const dv = tri(cm.dot);
        if (dv > fine.dot[p]) {
          fine.dot[p] = dv;
          fine.line[p] = tri(cm.line);
          const q = Math.round(x) + cx * Math.round(y) + cxy * Math.round(z);
          fine.scaleIndex[p] = fineSigmas.length + cm.scaleIndex[q];
        }
      }
    }
  }
  return fine;
}

export function pool2(src: Float32Array, dims: Vec3, cd: Vec3): Float32Array {
  const [nx, ny, nz] = dims;
  const out = new Float32Array(cd[0] * cd[1] * cd[2]);
  const cnt = new Uint8Array(out.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const row = cd[0] * ((j >> 1) + cd[1] * (k >> 1));
      const base = nx * (j + ny * k);
      for (let i = 0; i < nx; i++) {
        out[row + (i >> 1)] += src[base + i];
        cnt[row + (i >> 1)]++;
      }
    }
  for (let q = 0; q < out.length; q++) out[q] /= cnt[q];
  return out;
}

export function poolMask(src: Uint8Array, dims: Vec3, cd: Vec3): Uint8Array {
  const [nx, ny, nz] = dims;
  const out = new Uint8Array(cd[0] * cd[1] * cd[2]);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) if (src[i + nx * (j + ny * k)]) out[(i >> 1) + cd[0] * ((j >> 1) + cd[1] * (k >> 1))] = 1;
  return out;
}
