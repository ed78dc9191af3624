// The detector with its Gaussian smoothing run as an ONNX graph (cad/onnx/gaussianSmoothOnnx.ts, real
// onnxruntime-node on the CPU provider here) must give the detections of the pure-TS reference path,
// including the pyramid's coarse grid.
import { describe, expect, it } from 'vitest';
import { onnxGaussianSmoother } from '../../../src-main/cad/onnx/gaussianSmoothOnnx';
import { detectNodules } from '../../../src-main/cad/detector/detectNodules';
import { makeChestPhantom } from '../../fixtures/phantom/chestPhantom';

describe('detectNodules with the ONNX enhance hook', () => {
  it('gives the same candidates as the TS path on the phantom', async () => {
    const ph = makeChestPhantom({ seed: 31, dims: [160, 128, 64], spacing: [1, 1, 1.5] });
    const calls: number[] = [];
    const smooth = onnxGaussianSmoother('cpu');
    const ts = await detectNodules(ph.volume);
    const ox = await detectNodules(ph.volume, { enhance: (v, d, s, sigma) => { calls.push(sigma); return smooth(v, d, s, sigma); } });
    expect(calls.length).toBe(5); // every Hessian scale went through ONNX
    expect(ts.candidates.length).toBeGreaterThan(3);
    expect(ox.candidates.length).toBe(ts.candidates.length);
    ox.candidates.forEach((c, i) => {
      expect(Math.abs(c.score - ts.candidates[i].score)).toBeLessThan(1e-3);
      expect(Math.hypot(c.centerLPS[0] - ts.candidates[i].centerLPS[0], c.centerLPS[1] - ts.candidates[i].centerLPS[1], c.centerLPS[2] - ts.candidates[i].centerLPS[2])).toBeLessThan(0.01);
    });
  });
});
