// Trilinear resampling and patch cropping are exact on linear intensity ramps, in any axis orientation.
import { describe, expect, it } from 'vitest';
import { cropPatch, resampleVolume, sampleHU } from '../../../src-main/cad/resample';
import type { HuVolume, Vec3, VolumeGeometry } from '../../../src-main/shared/geometry';
import { ijkToLps } from '../../../src-main/shared/geometry';

// HU = a linear function of the LPS position, so every interpolated value has a known answer.
const huAt = (p: Vec3) => Math.round(2 * p[0] - 3 * p[1] + 5 * p[2]);
const geometry: VolumeGeometry = { dims: [20, 16, 12], spacing: [0.7, 0.8, 2.5], origin: [-10, 30, -200], direction: [0, 1, 0, 1, 0, 0, 0, 0, -1] };

function rampVolume(g: VolumeGeometry): HuVolume {
  const voxels = new Int16Array(g.dims[0] * g.dims[1] * g.dims[2]);
  let n = 0;
  for (let k = 0; k < g.dims[2]; k++) for (let j = 0; j < g.dims[1]; j++) for (let i = 0; i < g.dims[0]; i++) voxels[n++] = huAt(ijkToLps(g, [i, j, k]));
  return { voxels, geometry: g };
}

describe('resample', () => {
  const vol = rampVolume(geometry);
  it('resamples to a target spacing keeping the LPS mapping exact', () => {
    const r = resampleVolume(vol, [1, 1, 1], (hu) => hu);
    expect(r.geometry.spacing).toEqual([1, 1, 1]);
    expect(r.geometry.origin).toEqual(geometry.origin);
    expect(r.geometry.dims).toEqual([Math.floor(19 * 0.7) + 1, Math.floor(15 * 0.8) + 1, Math.floor(11 * 2.5) + 1]);
    const [nx, ny] = r.geometry.dims;
    for (const [i, j, k] of [[0, 0, 0], [5, 7, 3], [13, 12, 27], [9, 2, 14]] as Vec3[]) {
      // Rounding of the int16 ramp gives at most 0.5 HU of error at the corners.
      expect(Math.abs(r.data[k * nx * ny + j * nx + i] - (2 * ijkToLps(r.geometry, [i, j, k])[0] - 3 * ijkToLps(r.geometry, [i, j, k])[1] + 5 * ijkToLps(r.geometry, [i, j, k])[2]))).toBeLessThan(0.51);
    }
  });

  it('crops a patch centred on an LPS point at a given spacing, air outside the volume', () => {
    const c = ijkToLps(geometry, [10, 8, 6]);
    const out = new Float32Array(3 * 5 * 5);
    cropPatch(vol, c, [3, 5, 5], [2, 1, 1], (hu) => hu, out);
    // Centre voxel of the patch is the centre point itself.
    expect(out[1 * 25 + 2 * 5 + 2]).toBeCloseTo(huAt(c), 0);
    // One patch step along x (column) is 1 mm along the volume's i axis, which is LPS +y here.
    expect(out[1 * 25 + 2 * 5 + 3] - out[1 * 25 + 2 * 5 + 2]).toBeCloseTo(-3, 0);
    // One step along z is 2 mm along k, which is LPS -z.
    expect(out[2 * 25 + 2 * 5 + 2] - out[1 * 25 + 2 * 5 + 2]).toBeCloseTo(-10, 0);
    expect(sampleHU(vol, -3, 0, 0)).toBe(-1024);
  });
});

describe('resampleVolume fast path', () => {
  it('agrees with point sampling everywhere on a random volume', () => {
    const g: VolumeGeometry = { dims: [13, 11, 7], spacing: [0.7, 0.9, 2], origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const vol: HuVolume = { voxels: Int16Array.from({ length: 13 * 11 * 7 }, (_, n) => ((n * 7919) % 2000) - 1000), geometry: g };
    const r = resampleVolume(vol, [1.3, 0.5, 0.45], (hu) => hu);
    const [nx, ny, nz] = r.geometry.dims;
    const step = [0.45 / 0.7, 0.5 / 0.9, 1.3 / 2];
    let n = 0;
    for (let k = 0; k < nz; k++) for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++, n++) {
      expect(r.data[n]).toBeCloseTo(sampleHU(vol, i * step[0], j * step[1], k * step[2]), 2);
    }
  });
});
