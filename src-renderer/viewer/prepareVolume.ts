// Decides how the volume goes to the GPU: checks WebGL2, MAX_3D_TEXTURE_SIZE and a texture byte budget, and
// downsamples (with a message saying so and by how much) when the full volume cannot be held.
import type { HuVolume } from '../../src-main/shared/geometry';
import { formatBytes } from '../ui/format';
import { downsampleFactors, downsampleVolume } from './downsampleVolume';
import { probeWebGl } from './mprScene';

/**
 * Default texture budget: 2 GiB of 16-bit texels where the GPU has EXT_texture_norm16 (a 512×512×1500 series is
 * 750 MiB), 1 GiB where vtk.js must convert to float32 (it also makes a same-size temporary copy on the CPU).
 * Override for a session with localStorage 'pulmo.viewer.maxTextureMiB'.
 */
const DEFAULT_MAX_TEXTURE_BYTES = { norm16: 2 * 1024 ** 3, float32: 1024 ** 3 };

export interface PreparedVolume {
  volume: HuVolume;
  /** Why and how the volume was reduced; null when the GPU holds it at full resolution. */
  notice: string | null;
  downsampled: boolean;
}

export function prepareVolume(vol: HuVolume): PreparedVolume {
  const gl = probeWebGl();
  if (!gl) throw new Error('This browser has no WebGL2, which the viewer needs for MPR and 3D. Enable hardware acceleration (or, headless, SwiftShader) and reopen.');
  const override = Number(localStorage.getItem('pulmo.viewer.maxTextureMiB'));
  const maxBytes = override > 0 ? override * 1024 ** 2 : gl.norm16 ? DEFAULT_MAX_TEXTURE_BYTES.norm16 : DEFAULT_MAX_TEXTURE_BYTES.float32;
  // vtk.js keeps int16 as 16-bit with EXT_texture_norm16, else converts to float32.
  const bytesPerVoxel = gl.norm16 ? 2 : 4;
  const f = downsampleFactors(vol.geometry.dims, { max3DTextureSize: gl.max3DTextureSize, maxBytes, bytesPerVoxel });
  if (f[0] === 1 && f[1] === 1 && f[2] === 1) return { volume: vol, notice: null, downsampled: false };
  const full = vol.geometry.dims;
  const need = full[0] * full[1] * full[2] * bytesPerVoxel;
  const out = downsampleVolume(vol, f);
  return {
    volume: out,
    downsampled: true,
    notice:
      `Reduced resolution: the full ${full.join('×')} volume needs a ${formatBytes(need)} texture (GPU limit ${gl.max3DTextureSize} voxels per side, budget ${formatBytes(maxBytes)}). ` +
      `Showing ${out.geometry.dims.join('×')} (averaged ${f.join('×')}, spacing ${out.geometry.spacing.map((s) => s.toFixed(2)).join('×')} mm); HU values are block averages.`,
  };
}
