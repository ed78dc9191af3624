// The detector's anatomy features and rules on synthetic geometry whose answers are known by construction.
import { describe, expect, it } from 'vitest';
import { anatomyFeatures, anatomyVerdict, betweenLungs } from '../../../src-main/cad/detector/anatomy';
import type { Vec3 } from '../../../src-main/shared/geometry';

const dims: Vec3 = [60, 60, 40];
const grid = { dims, spacing: [1, 1, 1] as Vec3 };
const idx = (i: number, j: number, k: number): number => i + dims[0] * (j + dims[1] * k);

function air(): Float32Array {
  return new Float32Array(dims[0] * dims[1] * dims[2]).fill(-850);
}
function ball(v: Float32Array, c: Vec3, r: number, hu: number): void {
  for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 0; i < dims[0]; i++)
    if ((i - c[0]) ** 2 + (j - c[1]) ** 2 + (k - c[2]) ** 2 <= r * r) v[idx(i, j, k)] = hu;
}
/** A tube of radius r along axis a through c, from c outwards in the direction sign. */
function tube(v: Float32Array, c: Vec3, a: 0 | 1 | 2, sign: 1 | -1, r: number, hu: number): void {
  for (let t = 0; t < 30; t++) {
    const p: Vec3 = [...c];
    p[a] += sign * t;
    for (let dk = -r; dk <= r; dk++) for (let dj = -r; dj <= r; dj++) for (let di = -r; di <= r; di++) {
      const q: Vec3 = [p[0] + di, p[1] + dj, p[2] + dk];
      const off = [di, dj, dk].filter((_, x) => x !== a);
      if (off[0] ** 2 + off[1] ** 2 > r * r || q.some((x, y) => x < 0 || x >= dims[y])) continue;
      v[idx(q[0], q[1], q[2])] = hu;
    }
  }
}
const none = new Uint8Array(dims[0] * dims[1] * dims[2]);

describe('anatomy features', () => {
  it('betweenLungs marks the non-lung gap between two lungs on a row, not the outside', () => {
    const region = new Uint8Array(dims[0] * dims[1] * dims[2]);
    for (let k = 0; k < dims[2]; k++) for (let j = 10; j < 50; j++) for (let i = 0; i < dims[0]; i++) if ((i >= 5 && i < 25) || (i >= 35 && i < 55)) region[idx(i, j, k)] = 1;
    const b = betweenLungs(region, dims);
    expect(b[idx(30, 20, 5)]).toBe(1); // the mediastinum
    expect(b[idx(2, 20, 5)]).toBe(0); // outside the lungs
    expect(b[idx(58, 20, 5)]).toBe(0);
    expect(b[idx(30, 5, 5)]).toBe(0); // a row without lung
    expect(b[idx(10, 20, 5)]).toBe(0); // lung itself
    // In-plane distance from a lung voxel at i = 19 to the first gap voxel, i = 25: 6 mm.
    const f = anatomyFeatures(air(), b, grid, [19, 20, 5], 2);
    expect(f.mediastinumMm).toBeCloseTo(6, 5);
  });

  it('an isolated nodule is ringed by air, with nothing leaving it and nothing dense', () => {
    const v = air();
    ball(v, [30, 30, 20], 5, 20);
    const f = anatomyFeatures(v, none, grid, [30, 30, 20], 5);
    expect(f.shellAirFraction).toBe(1);
    expect(f.shellBranches).toBe(0);
    expect(f.denseFraction).toBe(0);
    expect(f.mediastinumMm).toBe(40); // nothing within the search radius
    expect(anatomyVerdict({ touchesBorder: 0, pleuraDistanceMm: 20, equivalentDiameterMm: 10 }, f)).toBeNull();
  });

  it('a nodule on the wall has about half its shell in tissue; vessels leaving it are counted', () => {
    const v = air();
    for (let k = 0; k < dims[2]; k++) for (let j = 0; j < dims[1]; j++) for (let i = 31; i < dims[0]; i++) v[idx(i, j, k)] = 40; // chest wall from the nodule's centre on
    ball(v, [31, 30, 20], 5, 20);
    const wall = anatomyFeatures(v, none, grid, [31, 30, 20], 5);
    expect(wall.shellAirFraction).toBeGreaterThan(0.3);
    expect(wall.shellAirFraction).toBeLessThan(0.7);
    const w = air();
    ball(w, [30, 30, 20], 4, 20);
    tube(w, [30, 30, 20], 1, 1, 1, 20);
    tube(w, [30, 30, 20], 1, -1, 1, 20);
    tube(w, [30, 30, 20], 2, 1, 1, 20);
    expect(anatomyFeatures(w, none, grid, [30, 30, 20], 4).shellBranches).toBe(3);
  });

  it('rules: calcified nodule, bone, a larger structure ringed by tissue, the mediastinal surface', () => {
    const v = air();
    ball(v, [30, 30, 20], 4, 600);
    const calc = anatomyFeatures(v, none, grid, [30, 30, 20], 4);
    expect(calc.denseFraction).toBe(1);
    expect(anatomyVerdict({ touchesBorder: 0, pleuraDistanceMm: 15, equivalentDiameterMm: 8 }, calc)).toMatch(/calcified.*benign/);
    expect(anatomyVerdict({ touchesBorder: 1, pleuraDistanceMm: 1, equivalentDiameterMm: 8 }, calc)).toMatch(/bone/);
    const soft = { mediastinumMm: 30, shellAirFraction: 0.3, shellBranches: 1, denseFraction: 0 };
    expect(anatomyVerdict({ touchesBorder: 1, pleuraDistanceMm: 8, equivalentDiameterMm: 20 }, soft)).toMatch(/larger structure/);
    expect(anatomyVerdict({ touchesBorder: 0, pleuraDistanceMm: 8, equivalentDiameterMm: 20 }, soft)).toBeNull();
    expect(anatomyVerdict({ touchesBorder: 0, pleuraDistanceMm: 2, equivalentDiameterMm: 10 }, { ...soft, mediastinumMm: 3 })).toMatch(/mediastinal surface/);
    // A juxtapleural nodule (half air) on the mediastinal pleura is kept.
    expect(anatomyVerdict({ touchesBorder: 0, pleuraDistanceMm: 2, equivalentDiameterMm: 10 }, { ...soft, mediastinumMm: 3, shellAirFraction: 0.5 })).toBeNull();
  });
});
