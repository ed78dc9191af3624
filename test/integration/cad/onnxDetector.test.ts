// An ONNX heatmap detector run through real onnxruntime-node on a phantom: sliding-window output equals one
// whole-volume pass away from patch borders, and candidates land on the sphere centres in LPS.
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { detectWithOnnx } from '../../../src-main/cad/onnxDetector';
import { parseManifest, normalizer, type DetectionManifest } from '../../../src-main/cad/manifest';
import { resampleVolume, OUTSIDE_HU } from '../../../src-main/cad/resample';
import { slidingWindow } from '../../../src-main/cad/slidingWindow';
import { GraphBuilder, ints } from '../../../src-main/cad/onnx/graphBuilder';
import type { VolumeGeometry } from '../../../src-main/shared/geometry';
import { DET, detectorBytes, detectorManifest, gaussianKernel3 } from '../../fixtures/models/buildModels';
import { phantom, type Sphere } from '../../fixtures/models/seedVolume';

// Oblique-free but flipped axes and anisotropic voxels: the LPS mapping must survive resampling.
const geometry: VolumeGeometry = { dims: [56, 60, 30], spacing: [0.8, 0.75, 1.6], origin: [30, -20, 40], direction: [-1, 0, 0, 0, 1, 0, 0, 0, -1] };
const spheres: Sphere[] = [
  { centerLPS: [13.1, 2.3, 28.4], radiusMm: 5, hu: 60 },
  { centerLPS: [-2.6, 18.9, 12.2], radiusMm: 4, hu: -100 },
];

describe('detectWithOnnx', () => {
  const bytes = detectorBytes();
  const manifest = parseManifest(detectorManifest(bytes)) as DetectionManifest;
  const vol = phantom(geometry, spheres);

  it('finds each sphere centre within one voxel, scored by the model', async () => {
    const session = await ort.InferenceSession.create(bytes);
    const stages: string[] = [];
    const r = await detectWithOnnx(vol, manifest, session, { onProgress: (_f, s) => stages.push(s) });
    expect(r.candidates.length).toBe(2);
    // Sorted by score: the brighter sphere first.
    r.candidates.forEach((c, q) => {
      const d = Math.hypot(...c.centerLPS.map((v, a) => v - spheres[q].centerLPS[a]));
      expect(d).toBeLessThan(0.3); // measured ≈ 0.07–0.09 mm; one voxel is 0.75–1.6 mm
      expect(c.score).toBeGreaterThan(0.5);
    });
    expect(r.candidates[0].score).toBeGreaterThan(r.candidates[1].score);
    expect(stages).toContain('inference');
    expect(Object.keys(r.timingsMs)).toEqual(['resample', 'inference', 'nms']);
    await session.release();
  });

  it('matches a single whole-volume pass of the same convolution away from patch borders', async () => {
    const grid = resampleVolume(vol, [1, 1, 1], normalizer(manifest));
    const [nx, ny, nz] = grid.geometry.dims;
    const g = new GraphBuilder('whole');
    g.input('x', 'float32', [1, 1, nz, ny, nx]);
    g.initializer('w', 'float32', [1, 1, 9, 9, 9], gaussianKernel3(DET.kernel, DET.sigmaVox));
    g.node('Conv', ['x', 'w'], ['y'], { pads: ints([4, 4, 4, 4, 4, 4]) });
    g.output('y', 'float32', [1, 1, nz, ny, nx]);
    const whole = await ort.InferenceSession.create(g.build());
    const ref = (await whole.run({ x: new ort.Tensor('float32', grid.data, [1, 1, nz, ny, nx]) })).y.data as Float32Array;
    const patched = await ort.InferenceSession.create(bytes);
    const sw = await slidingWindow(grid.data, grid.geometry.dims, async (b, n) => {
      const o = await patched.run({ ct: new ort.Tensor('float32', b, [n, 1, DET.patch, DET.patch, DET.patch]) });
      return o.logits.data as Float32Array;
    }, { patchZYX: [24, 24, 24], overlap: 0.5, batch: 4, padValue: normalizer(manifest)(OUTSIDE_HU) });
    // Compare where every covering patch sees the full kernel support (≥ 4 voxels from the volume border).
    let maxErr = 0;
    for (let k = 4; k < nz - 4; k++) for (let j = 4; j < ny - 4; j++) for (let i = 4; i < nx - 4; i++) {
      const n = (k * ny + j) * nx + i;
      maxErr = Math.max(maxErr, Math.abs(sw[n] - DET.gain * (ref[n] - DET.offset)));
    }
    // Patch borders use zero padding inside the model; the Gaussian blend weights keep that out (not bit-identical).
    expect(maxErr).toBeLessThan(0.1); // measured 0.04 logit units (logits span about ±8)
    await whole.release();
    await patched.release();
  });
});
