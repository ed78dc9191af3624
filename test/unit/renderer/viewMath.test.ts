// The viewer's pure helpers: crosshair clamping, zoom about the cursor, PACS-style slice numbers, HU ROI
// statistics (against a brute-force count), the hover hit test and the numeric input parser.
import { describe, expect, it } from 'vitest';
import type { Vec3, VolumeGeometry } from '../../../src-main/shared/geometry';
import { ijkToLps, lpsToIjk } from '../../../src-main/shared/geometry';
import { effectiveBasis, frameFor, screenToWorld } from '../../../src-renderer/viewer/viewGeometry';
import { clampToVolume, panForZoomAbout, roiStats, sliceLabel } from '../../../src-renderer/viewer/viewMath';
import { overlayAt, type FindingOverlay } from '../../../src-renderer/viewer/overlayShapes';
import { parseNumberInput } from '../../../src-renderer/viewer/numberInput';
import { mulberry32 } from '../../fixtures/prng';

const g: VolumeGeometry = { dims: [40, 30, 20], spacing: [0.7, 0.7, 2.5], origin: [-14, -10, -200], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };

describe('clampToVolume', () => {
  it('keeps a point outside the volume on its nearest face and leaves inside points alone', () => {
    const inside: Vec3 = ijkToLps(g, [3.2, 4.5, 7]);
    expect(clampToVolume(g, inside)).toEqual(inside);
    const out = clampToVolume(g, ijkToLps(g, [-109, 50, 7]));
    expect(lpsToIjk(g, out).map((v) => +v.toFixed(9))).toEqual([0, 29, 7]);
  });
});

describe('panForZoomAbout', () => {
  it('keeps the world point under the cursor fixed when zooming', () => {
    const b = effectiveBasis(g, 'axial', null);
    const c = ijkToLps(g, [20, 15, 10]);
    const f0 = frameFor(g, b, c, 1, [3, -2], 400, 300);
    const p0 = screenToWorld(f0, 90, 220);
    const pan = panForZoomAbout(f0, [3, -2], 90, 220, 1, 2.7);
    const f1 = frameFor(g, b, c, 2.7, pan, 400, 300);
    const p1 = screenToWorld(f1, 90, 220);
    for (let a = 0; a < 3; a++) expect(p1[a]).toBeCloseTo(p0[a], 9);
  });
});

describe('sliceLabel', () => {
  it('counts axial slices from the head whichever way k runs, and shows the Instance Number', () => {
    const up = { ...g, instanceNumbers: Array.from({ length: 20 }, (_, k) => 100 - k) };
    const b = effectiveBasis(up, 'axial', null);
    // k grows toward the head (+z): the top slice k = 19 is number 1 and Instance Number 81.
    expect(sliceLabel(up, 'axial', b, 19)).toEqual({ number: 1, of: 20, instanceNumber: 81 });
    expect(sliceLabel(up, 'axial', b, 0)).toEqual({ number: 20, of: 20, instanceNumber: 100 });
    const down: VolumeGeometry = { ...g, direction: [1, 0, 0, 0, 1, 0, 0, 0, -1] };
    expect(sliceLabel(down, 'axial', effectiveBasis(down, 'axial', null), 0).number).toBe(1);
    // Coronal counts from the front (anterior = -y): j grows posterior here, so j = 0 is 1.
    expect(sliceLabel(g, 'coronal', effectiveBasis(g, 'coronal', null), 0)).toEqual({ number: 1, of: 30, instanceNumber: null });
  });
});

describe('roiStats', () => {
  it('equals a brute-force pass over every voxel of the slice within the radius', () => {
    const rnd = mulberry32(3);
    const voxels = new Int16Array(40 * 30 * 20).map(() => Math.round(rnd() * 2000 - 1000));
    const b = effectiveBasis(g, 'axial', null);
    const centre: Vec3 = ijkToLps(g, [17.3, 12.6, 9]);
    const r = 4.1;
    const s = roiStats(voxels, g, b, centre, r)!;
    const vals: number[] = [];
    for (let j = 0; j < 30; j++)
      for (let i = 0; i < 40; i++) {
        const p = ijkToLps(g, [i, j, 9]);
        if (Math.hypot(p[0] - centre[0], p[1] - centre[1]) <= r) vals.push(voxels[i + 40 * (j + 30 * 9)]);
      }
    const mean = vals.reduce((a, v) => a + v, 0) / vals.length;
    expect(s.n).toBe(vals.length);
    expect(s.mean).toBeCloseTo(mean, 9);
    expect(s.sd).toBeCloseTo(Math.sqrt(vals.reduce((a, v) => a + (v - mean) ** 2, 0) / (vals.length - 1)), 9);
    expect([s.min, s.max]).toEqual([Math.min(...vals), Math.max(...vals)]);
    expect(roiStats(voxels, g, { ...b, obliqueDeg: 10 }, centre, r)).toBeNull();
  });
});

describe('overlayAt', () => {
  const o = (id: string, shapes: FindingOverlay['shapes']): FindingOverlay => ({ finding: { id } as FindingOverlay['finding'], color: '#fff', shapes, anchor: { x: 0, y: 0 } });
  it('finds a mark from inside it or near its outline, not from afar', () => {
    const circle = o('c', [{ kind: 'circle', c: { x: 100, y: 100 }, r: 20 }]);
    const poly = o('p', [{ kind: 'polygon', points: [{ x: 200, y: 200 }, { x: 240, y: 200 }, { x: 240, y: 240 }, { x: 200, y: 240 }] }]);
    expect(overlayAt([circle, poly], { x: 103, y: 98 })?.finding.id).toBe('c');
    expect(overlayAt([circle, poly], { x: 124, y: 100 })?.finding.id).toBe('c');
    expect(overlayAt([circle, poly], { x: 220, y: 220 })?.finding.id).toBe('p');
    expect(overlayAt([circle, poly], { x: 160, y: 160 })).toBeNull();
  });
});

describe('parseNumberInput', () => {
  it('accepts negatives and rejects empty or partial text instead of turning it into a number', () => {
    expect(parseNumberInput('-500')).toEqual({ value: -500 });
    expect(parseNumberInput('')).toHaveProperty('error');
    expect(parseNumberInput('-')).toHaveProperty('error');
    expect(parseNumberInput('0', 1)).toEqual({ error: 'at least 1' });
    expect(parseNumberInput('12a')).toHaveProperty('error');
  });
});
