// Trilinear resampling of an HU volume onto a near-isotropic working grid (same origin and direction).
import type { HuVolume, Vec3, VolumeGeometry } from '../../shared/geometry';

export interface WorkVolume {
  data: Float32Array; // HU
  geometry: VolumeGeometry;
}

export function resampleVolume(vol: HuVolume, spacingMm: number): WorkVolume {
  const g = vol.geometry;
  const dims: Vec3 = [0, 0, 0];
  for (let a = 0; a < 3; a++) dims[a] = Math.max(1, Math.floor(((g.dims[a] - 1) * g.spacing[a]) / spacingMm + 1e-6) + 1);
  const [nx, ny, nz] = g.dims;
  const src = vol.voxels;
  const out = new Float32Array(dims[0] * dims[1] * dims[2]);
  // Precompute per-axis source index and weight.
  const idx: Int32Array[] = [];
  const wt: Float32Array[] = [];
  for (let a = 0; a < 3; a++) {
    const ia = new Int32Array(dims[a]);
    const wa = new Float32Array(dims[a]);
    for (let m = 0; m < dims[a]; m++) {
      const x = (m * spacingMm) / g.spacing[a];
      const i0 = Math.min(Math.floor(x), g.dims[a] - 2);
      ia[m] = Math.max(0, i0);
      wa[m] = g.dims[a] === 1 ? 0 : Math.min(1, Math.max(0, x - ia[m]));
    }
    idx.push(ia);
    wt.push(wa);
  }
  const nxy = nx * ny;
  const sx = nx > 1 ? 1 : 0;
  const sy = ny > 1 ? nx : 0;
  const sz = nz > 1 ? nxy : 0;
  let o = 0;
  for (let k = 0; k < dims[2]; k++) {
    const k0 = idx[2][k];
    const wz = wt[2][k];
    for (let j = 0; j < dims[1]; j++) {
      const j0 = idx[1][j];
      const wy = wt[1][j];
      for (let i = 0; i < dims[0]; i++) {
        const i0 = idx[0][i];
        const wx = wt[0][i];
        const p = i0 + nx * j0 + nxy * k0;
        const c00 = src[p] * (1 - wx) + src[p + sx] * wx;
        const c10 = src[p + sy] * (1 - wx) + src[p + sy + sx] * wx;
        const c01 = src[p + sz] * (1 - wx) + src[p + sz + sx] * wx;
        const c11 = src[p + sz + sy] * (1 - wx) + src[p + sz + sy + sx] * wx;
        out[o++] = (c00 * (1 - wy) + c10 * wy) * (1 - wz) + (c01 * (1 - wy) + c11 * wy) * wz;
      }
    }
  }
  return { data: out, geometry: { dims, spacing: [spacingMm, spacingMm, spacingMm], origin: [...g.origin] as Vec3, direction: [...g.direction] as VolumeGeometry['direction'] } };
}
