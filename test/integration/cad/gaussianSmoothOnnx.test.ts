// The ONNX Gaussian smoother (the classical detector's GPU path) reproduces the JavaScript reference.
import { describe, expect, it } from 'vitest';
import { gaussianSmooth } from '../../../src-main/cad/voxel/gaussianFilter';
import { onnxGaussianSmoother } from '../../../src-main/cad/onnx/gaussianSmoothOnnx';
import type { Vec3 } from '../../../src-main/shared/geometry';

describe('onnxGaussianSmoother', () => {
  it('matches gaussianSmooth (edges replicated, anisotropic spacing) to float rounding', async () => {
    const dims: Vec3 = [37, 29, 17];
    const spacing: Vec3 = [0.7, 0.9, 2.5];
    const v = Float32Array.from({ length: dims[0] * dims[1] * dims[2] }, (_, n) => ((n * 7919) % 2001) - 1000);
    for (const sigma of [1, 3.4]) {
      const ref = gaussianSmooth(v, dims, spacing, sigma);
      const got = await onnxGaussianSmoother('cpu')(v, dims, spacing, sigma);
      let num = 0;
      let den = 0;
      for (let n = 0; n < ref.length; n++) {
        num += (got[n] - ref[n]) ** 2;
        den += ref[n] ** 2;
      }
      expect(got.length).toBe(ref.length);
      expect(Math.sqrt(num / den)).toBeLessThan(1e-5);
      // Corners are where zero padding instead of edge replication would show.
      expect(got[0]).toBeCloseTo(ref[0], 2);
      expect(got[ref.length - 1]).toBeCloseTo(ref[ref.length - 1], 2);
    }
  });
});
