// Sliding-window tiling/blending, heatmap peaks with sub-voxel refinement, and 3D NMS.
import { describe, expect, it } from 'vitest';
import { patchStarts, slidingWindow } from '../../../src-main/cad/slidingWindow';
import { findPeaks, nms3d } from '../../../src-main/cad/nms3d';
import type { Vec3 } from '../../../src-main/shared/geometry';

describe('patchStarts', () => {
  it('covers the axis with the requested overlap and ends flush', () => {
    expect(patchStarts(10, 16, 0.5)).toEqual([0]);
    expect(patchStarts(40, 16, 0.5)).toEqual([0, 8, 16, 24]);
    expect(patchStarts(41, 16, 0.25)).toEqual([0, 12, 24, 25]);
  });
});

describe('slidingWindow', () => {
  it('reassembles a position-dependent model output exactly, batching and padding at the borders', async () => {
    const dims: Vec3 = [23, 17, 9];
    const data = Float32Array.from({ length: 23 * 17 * 9 }, (_, n) => Math.sin(n * 0.37) * 100);
    let calls = 0;
    let patches = 0;
    const out = await slidingWindow(
      data,
      dims,
      async (batch, count) => {
        calls++;
        patches += count;
        return Float32Array.from(batch, (v) => 2 * v + 1); // voxel-wise: blending must give exactly 2v+1
      },
      { patchZYX: [4, 8, 8], overlap: 0.5, batch: 3, padValue: -999 },
    );
    for (let n = 0; n < data.length; n++) expect(out[n]).toBeCloseTo(2 * data[n] + 1, 3);
    // z: starts 0,2,4,5 ; y: 0,4,8,9 ; x: 0,4,8,12,15 → 80 patches in ceil(80/3) calls
    expect(patches).toBe(4 * 4 * 5);
    expect(calls).toBe(Math.ceil(80 / 3));
  });

  it('stops with an AbortError when cancelled', async () => {
    const ac = new AbortController();
    const data = new Float32Array(16 * 16 * 16);
    const p = slidingWindow(data, [16, 16, 16], async (b) => (ac.abort(), b), { patchZYX: [8, 8, 8], overlap: 0, batch: 1, padValue: 0, signal: ac.signal });
    await expect(p).rejects.toThrow(/cancelled/);
  });
});

describe('findPeaks + nms3d', () => {
  it('finds Gaussian blob centres to a fraction of a voxel and merges plateau/nearby duplicates', () => {
    const dims: Vec3 = [30, 30, 20];
    const centres: Vec3[] = [[8.3, 10.6, 5.2], [21.7, 18.4, 13.9]];
    const map = new Float32Array(30 * 30 * 20);
    let n = 0;
    for (let k = 0; k < 20; k++) for (let j = 0; j < 30; j++) for (let i = 0; i < 30; i++, n++) {
      for (const [c, a] of centres.map((c, q) => [c, q ? 0.7 : 0.9] as const)) {
        map[n] += a * Math.exp(-((i - c[0]) ** 2 + (j - c[1]) ** 2 + (k - c[2]) ** 2) / (2 * 2 * 2));
      }
    }
    const peaks = findPeaks(map, dims, 0.3);
    expect(peaks.length).toBe(2);
    expect(peaks[0].score).toBeGreaterThan(peaks[1].score);
    peaks.forEach((p, q) => p.ijk.forEach((v, a) => expect(Math.abs(v - centres[q][a])).toBeLessThan(0.15)));
    const kept = nms3d(
      [
        { centerLPS: [0, 0, 0] as Vec3, score: 0.5 },
        { centerLPS: [3, 0, 0] as Vec3, score: 0.9 },
        { centerLPS: [10, 0, 0] as Vec3, score: 0.4 },
      ],
      5,
    );
    expect(kept.map((k) => k.score)).toEqual([0.9, 0.4]);
  });
});
