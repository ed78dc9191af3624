import { describe, expect, it } from 'vitest';
import { squaredDistanceTo, labelComponents, open, fillHolesPerSlice } from '../../../src-main/cad/voxel/morphology';
import { symmetricEigenvalues3 } from '../../../src-main/cad/voxel/symmetricEigen3';
import { gaussianSmooth } from '../../../src-main/cad/voxel/gaussianFilter';
import { hessianBlobness } from '../../../src-main/cad/detector/hessianBlobness';
import { mulberry32 } from '../../fixtures/prng';
import { distanceToOutside } from '../../../src-main/cad/voxel/grid';
import type { Vec3 } from '../../../src-main/shared/geometry';

describe('detector building blocks', () => {
  it('squared EDT equals brute force on a random anisotropic mask', () => {
    const dims: Vec3 = [9, 7, 5];
    const spacing: Vec3 = [0.7, 1.1, 2.5];
    const rand = mulberry32(3);
    const mask = new Uint8Array(dims[0] * dims[1] * dims[2]);
    for (let p = 0; p < mask.length; p++) mask[p] = rand() < 0.08 ? 1 : 0;
    const d = squaredDistanceTo(mask, { dims, spacing });
    const at = (p: number): Vec3 => [p % dims[0], Math.floor(p / dims[0]) % dims[1], Math.floor(p / (dims[0] * dims[1]))];
    for (let p = 0; p < mask.length; p++) {
      let best = Infinity;
      const a = at(p);
      for (let q = 0; q < mask.length; q++) {
        if (!mask[q]) continue;
        const b = at(q);
        best = Math.min(best, ((a[0] - b[0]) * spacing[0]) ** 2 + ((a[1] - b[1]) * spacing[1]) ** 2 + ((a[2] - b[2]) * spacing[2]) ** 2);
      }
      expect(d[p]).toBeCloseTo(best, 3);
    }
  });

  it('distance to the outside of a mask, searched locally, equals the whole-grid transform (within the cap)', () => {
    const dims: Vec3 = [30, 26, 22];
    const rand = mulberry32(5);
    const inside = new Uint8Array(dims[0] * dims[1] * dims[2]).fill(1);
    for (let p = 0; p < inside.length; p++) if (rand() < 0.004) inside[p] = 0;
    const outside = inside.map((v) => 1 - v);
    const h = 1.25;
    const d2 = squaredDistanceTo(outside, { dims, spacing: [h, h, h] });
    let checked = 0;
    for (let p = 0; p < inside.length; p += 7) {
      const c: Vec3 = [p % dims[0], Math.floor(p / dims[0]) % dims[1], Math.floor(p / (dims[0] * dims[1]))];
      const exact = Math.sqrt(d2[p]);
      expect(distanceToOutside(inside, dims, h, c, 12)).toBeCloseTo(Math.min(12, exact), 5);
      if (exact > 2 && exact < 12) checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('opening removes a thin tube attached to a ball; labelling and hole filling work', () => {
    const dims: Vec3 = [40, 20, 20];
    const m = new Uint8Array(dims[0] * dims[1] * dims[2]);
    for (let k = 0; k < 20; k++) for (let j = 0; j < 20; j++) for (let i = 0; i < 40; i++) {
      const ball = (i - 10) ** 2 + (j - 10) ** 2 + (k - 10) ** 2 <= 36;
      const tube = i >= 10 && (j - 10) ** 2 + (k - 10) ** 2 <= 1;
      if (ball || tube) m[i + 40 * (j + 20 * k)] = 1;
    }
    const opened = open(m, { dims, spacing: [1, 1, 1] }, 2.5);
    expect(opened[35 + 40 * (10 + 20 * 10)]).toBe(0); // tube gone
    expect(opened[10 + 40 * (10 + 20 * 10)]).toBe(1); // ball kept
    expect(labelComponents(m, { dims, spacing: [1, 1, 1] }).count).toBe(1);
    const ring = new Uint8Array(dims[0] * dims[1] * dims[2]);
    for (let j = 0; j < 20; j++) for (let i = 0; i < 40; i++) {
      const r2 = (i - 20) ** 2 + (j - 10) ** 2;
      if (r2 >= 16 && r2 <= 49) ring[i + 40 * j] = 1;
    }
    const filled = fillHolesPerSlice(ring, { dims, spacing: [1, 1, 1] });
    expect(filled[20 + 40 * 10]).toBe(1);
    expect(filled[0]).toBe(0);
  });

  it('symmetric 3x3 eigenvalues match a rotated diagonal matrix', () => {
    // R diag(-3, -2, 0.5) R^T with R a rotation about z by 30 degrees.
    const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
    const a11 = -3 * c * c + -2 * s * s, a22 = -3 * s * s + -2 * c * c, a12 = (-3 + 2) * c * s;
    const out = new Float64Array(3);
    symmetricEigenvalues3(a11, a22, 0.5, a12, 0, 0, out);
    expect([...out].map((v) => Math.round(v * 1e6) / 1e6)).toEqual([-3, -2, 0.5]);
  });

  it('dot filter prefers a blob to a tube of the same radius, and an injected smoother is used', async () => {
    const dims: Vec3 = [48, 24, 24];
    const v = new Float32Array(dims[0] * dims[1] * dims[2]).fill(-850);
    for (let k = 0; k < 24; k++) for (let j = 0; j < 24; j++) for (let i = 0; i < 48; i++) {
      const ball = (i - 12) ** 2 + (j - 12) ** 2 + (k - 12) ** 2 <= 9;
      const tube = i >= 28 && (j - 12) ** 2 + (k - 12) ** 2 <= 9;
      if (ball || tube) v[i + 48 * (j + 24 * k)] = 30;
    }
    const mask = new Uint8Array(v.length).fill(1);
    const calls: number[] = [];
    const maps = await hessianBlobness(v, dims, 1, mask, [1.5, 2.25], {
      smooth: async (x, d, sp, sigma) => { calls.push(sigma); return gaussianSmooth(x, d, sp, sigma); },
    });
    expect(calls).toEqual([1.5, 2.25]);
    const ball = maps.dot[12 + 48 * (12 + 24 * 12)];
    const tube = maps.dot[38 + 48 * (12 + 24 * 12)];
    expect(ball).toBeGreaterThan(100);
    expect(tube).toBeLessThan(ball * 0.2);
    expect(maps.line[38 + 48 * (12 + 24 * 12)]).toBeGreaterThan(maps.dot[38 + 48 * (12 + 24 * 12)]);
  });

  it('skipping voxels within minLevel of the background leaves every dot value above that margin unchanged', async () => {
    // Blobs of several sizes and contrasts, a tube and noise on an aerated-lung background.
    const dims: Vec3 = [40, 40, 32];
    const bg = -850;
    const v = new Float32Array(dims[0] * dims[1] * dims[2]);
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
    const blobs = [[10, 10, 10, 2, 880], [28, 12, 16, 4, 400], [12, 28, 20, 1.5, 250], [28, 28, 12, 3, 900]];
    for (let k = 0, p = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++, p++) {
      v[p] = bg + 40 * rnd();
      for (const [x, y, z, r, c] of blobs) if ((i - x) ** 2 + (j - y) ** 2 + (k - z) ** 2 <= r * r) v[p] = bg + c;
      if (k === 24 && (j - 20) ** 2 + (i - 20) ** 2 < 1e9 && Math.abs(j - 20) <= 1 && Math.abs(k - 24) <= 1) v[p] = bg + 700;
    }
    const mask = new Uint8Array(v.length).fill(1);
    const margin = 17; // the detector's: 2 % of the lung-to-tissue contrast
    const full = await hessianBlobness(v, dims, 1, mask, [1, 1.5, 2.25, 3.4]);
    const skipped = await hessianBlobness(v, dims, 1, mask, [1, 1.5, 2.25, 3.4], { minLevel: bg + margin });
    let above = 0, evaluated = 0;
    for (let p = 0; p < v.length; p++) {
      if (full.dot[p] >= margin) {
        above++;
        expect(skipped.dot[p]).toBe(full.dot[p]);
        expect(skipped.scaleIndex[p]).toBe(full.scaleIndex[p]);
      }
      if (skipped.dot[p] > 0 || skipped.line[p] > 0) evaluated++;
    }
    expect(above).toBeGreaterThan(50);
    expect(evaluated).toBeLessThan(0.5 * v.length); // most of the background is skipped
  });
});
