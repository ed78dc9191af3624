import { beforeAll, describe, expect, it } from 'vitest';
import { characterizeNodule } from '../../../src-main/cad/measure/characterizeNodule';
import type { NoduleCharacteristics } from '../../../src-main/cad/measure/characterizeNodule';
import { makeChestPhantom } from '../../fixtures/phantom/chestPhantom';
import type { Phantom } from '../../fixtures/phantom/chestPhantom';
import { ijkToLps } from '../../../src-main/shared/geometry';

let phantom: Phantom;
const results = new Map<string, NoduleCharacteristics | null>();

beforeAll(() => {
  phantom = makeChestPhantom({ seed: 11 });
  for (const n of phantom.nodules) {
    // Seed 1 mm off the true centre, as a reader's click would be.
    const seed: [number, number, number] = [n.centerLPS[0] + 0.7, n.centerLPS[1] - 0.7, n.centerLPS[2]];
    results.set(n.name, characterizeNodule(phantom.volume, seed, { radiusHintMm: n.diameterMm / 2 }));
  }
  const rows = phantom.nodules.map((n) => {
    const c = results.get(n.name);
    return { nodule: n.name, trueD: n.diameterMm, d: c?.diameterMm, trueV: Math.round(n.volumeMm3), v: c && Math.round(c.volumeMm3), volErrPct: c && Math.round((100 * (c.volumeMm3 - n.volumeMm3)) / n.volumeMm3), type: c?.type, solid: c?.solidComponentMm, jp: c?.juxtapleural };
  });
  console.table(rows);
});

describe('characterizeNodule on the synthetic phantom', () => {
  it('measures every non-juxtapleural nodule within 25 % volume and 1.5 mm diameter, with the right type', () => {
    for (const n of phantom.nodules.filter((x) => !x.juxtapleural)) {
      const c = results.get(n.name);
      expect(c, n.name).not.toBeNull();
      expect(Math.abs(c!.volumeMm3 - n.volumeMm3) / n.volumeMm3, `${n.name} volume`).toBeLessThan(0.25);
      expect(Math.abs(c!.diameterMm - n.diameterMm), `${n.name} diameter`).toBeLessThan(1.5);
      expect(c!.type, n.name).toBe(n.type);
      expect(c!.juxtapleural, n.name).toBe(false);
      const err = Math.hypot(c!.centerLPS[0] - n.centerLPS[0], c!.centerLPS[1] - n.centerLPS[1], c!.centerLPS[2] - n.centerLPS[2]);
      expect(err, `${n.name} centre`).toBeLessThan(1);
      expect(c!.longAxisMm).toBeGreaterThanOrEqual(c!.shortAxisMm);
    }
  });

  it('reports the solid component of the part-solid nodule', () => {
    const n = phantom.nodules.find((x) => x.type === 'part-solid')!;
    const c = results.get(n.name)!;
    expect(Math.abs(c.solidComponentMm! - n.solidDiameterMm!)).toBeLessThan(1.5);
  });

  it('flags the juxtapleural nodule and keeps the chest wall out of it', () => {
    const n = phantom.nodules.find((x) => x.juxtapleural)!;
    const c = results.get(n.name)!;
    expect(c.juxtapleural).toBe(true);
    // The visible part is a cap of the 8 mm sphere: its long axis is at most the sphere's diameter (+ a voxel).
    expect(c.longAxisMm).toBeLessThan(n.diameterMm + 1);
    expect(c.volumeMm3).toBeLessThan((4 / 3) * Math.PI * 4 ** 3);
  });

  it('gives side and zone from LPS (+x = patient left, +z = superior) and a contour around the centre', () => {
    for (const n of phantom.nodules) {
      const c = results.get(n.name)!;
      expect(c.location.side).toBe(n.centerLPS[0] > 0 ? 'left' : 'right');
      const g = phantom.volume.geometry;
      const z0 = ijkToLps(g, [0, 0, 0])[2], z1 = ijkToLps(g, [0, 0, g.dims[2] - 1])[2];
      const t = (n.centerLPS[2] - z0) / (z1 - z0);
      if (t > 0.7) expect(c.location.zone).toBe('upper');
      if (t < 0.3) expect(c.location.zone).toBe('lower');
      expect(c.contours.length).toBe(1);
      const pts = c.contours[0].pointsLPS;
      const r = pts.map((p) => Math.hypot(p[0] - c.centerLPS[0], p[1] - c.centerLPS[1]));
      // A juxtavascular nodule keeps a stub of its vessel (about one voxel) after the opening.
      expect(Math.max(...r)).toBeLessThan(n.diameterMm / 2 + (n.name.startsWith('juxtavascular') ? 2.5 : 1.5));
    }
  });

  it('returns null for a seed in aerated lung far from any nodule, and outside the volume', () => {
    const lungPoint: [number, number, number] = [-35, 30, -30];
    const c = characterizeNodule(phantom.volume, lungPoint);
    // Either nothing, or something that is not one of the inserted nodules (a vessel): never a fabricated nodule.
    if (c) expect(phantom.nodules.every((n) => Math.hypot(n.centerLPS[0] - c.centerLPS[0], n.centerLPS[1] - c.centerLPS[1], n.centerLPS[2] - c.centerLPS[2]) > n.diameterMm)).toBe(true);
    expect(characterizeNodule(phantom.volume, [1000, 0, 0])).toBeNull();
  });
});
