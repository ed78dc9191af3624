// Keeps a volume within what the GPU can hold: integer downsampling per axis (box average in HU), with the
// geometry adjusted so voxel centres stay in the same LPS place. Pure: no DOM, no WebGL.
import type { HuVolume, Vec3, VolumeGeometry } from '../../src-main/shared/geometry';
import { ijkToLps } from '../../src-main/shared/geometry';

export interface TextureLimits {
  max3DTextureSize: number;
  /** Largest texture we dare allocate, bytes. */
  maxBytes: number;
  /** Bytes the GPU texture uses per voxel (2 with EXT_texture_norm16, else 4 as float32). */
  bytesPerVoxel: number;
}

/** Smallest integer factors per axis so that each dimension fits and the texture fits in maxBytes. */
export function downsampleFactors(dims: Vec3, limits: TextureLimits): Vec3 {
  const f: Vec3 = [0, 1, 2].map((a) => Math.max(1, Math.ceil(dims[a] / limits.max3DTextureSize))) as Vec3;
  const bytes = () => Math.ceil(dims[0] / f[0]) * Math.ceil(dims[1] / f[1]) * Math.ceil(dims[2] / f[2]) * limits.bytesPerVoxel;
  // Halve the axis with the finest physical sampling first (slices stay the last to go).
  while (bytes() > limits.maxBytes) {
    if (f[0] <= f[2] || f[1] <= f[2]) {
      f[0] *= 2;
      f[1] *= 2;
    } else f[2] *= 2;
  }
  return f;
}

export function downsampleVolume(vol: HuVolume, f: Vec3): HuVolume {
  if (f[0] === 1 && f[1] === 1 && f[2] === 1) return vol;
  const g = vol.geometry;
  const nd: Vec3 = [Math.ceil(g.dims[0] / f[0]), Math.ceil(g.dims[1] / f[1]), Math.ceil(g.dims[2] / f[2])];
  const out = new Int16Array(nd[0] * nd[1] * nd[2]);
  const [nx, ny] = g.dims;
  for (let k = 0; k < nd[2]; k++)
    for (let j = 0; j < nd[1]; j++)
      for (let i = 0; i < nd[0]; i++) {
        let sum = 0;
        let n = 0;
        for (let kk = k * f[2]; kk < Math.min(g.dims[2], (k + 1) * f[2]); kk++)
          for (let jj = j * f[1]; jj < Math.min(ny, (j + 1) * f[1]); jj++)
            for (let ii = i * f[0]; ii < Math.min(nx, (i + 1) * f[0]); ii++) {
              sum += vol.voxels[ii + nx * (jj + ny * kk)];
              n++;
            }
        out[i + nd[0] * (j + nd[1] * k)] = Math.round(sum / n);
      }
  // The new voxel (0,0,0) is the mean of the first f voxels: its centre sits (f-1)/2 old voxels in.
  const geometry: VolumeGeometry = {
    dims: nd,
    spacing: [g.spacing[0] * f[0], g.spacing[1] * f[1], g.spacing[2] * f[2]],
    origin: ijkToLps(g, [(f[0] - 1) / 2, (f[1] - 1) / 2, (f[2] - 1) / 2]),
    direction: g.direction,
  };
  return { voxels: out, geometry };
}
