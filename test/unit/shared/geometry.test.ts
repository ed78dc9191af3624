import { describe, expect, it } from 'vitest';
import { ijkToLps, lpsToIjk, type VolumeGeometry } from '../../../src-main/shared/geometry';

describe('volume geometry (LPS mm)', () => {
  it('maps voxel indices to LPS for an axial, anisotropic volume', () => {
    const g: VolumeGeometry = { dims: [512, 512, 16], spacing: [0.703125, 0.703125, 2.5], origin: [-166, -171.7, -340], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    expect(ijkToLps(g, [0, 0, 0])).toEqual([-166, -171.7, -340]);
    const p = ijkToLps(g, [10, 20, 3]);
    expect(p[0]).toBeCloseTo(-166 + 7.03125, 9);
    expect(p[1]).toBeCloseTo(-171.7 + 14.0625, 9);
    expect(p[2]).toBeCloseTo(-332.5, 9);
  });
  it('round-trips through an oblique direction', () => {
    const c = Math.cos(0.3);
    const s = Math.sin(0.3);
    const g: VolumeGeometry = { dims: [64, 64, 32], spacing: [0.8, 0.9, 1.7], origin: [10, -20, 30], direction: [c, s, 0, -s, c, 0, 0, 0, 1] };
    const ijk: [number, number, number] = [12.5, 40.25, 7];
    const back = lpsToIjk(g, ijkToLps(g, ijk));
    back.forEach((v, i) => expect(v).toBeCloseTo(ijk[i], 9));
  });
});
