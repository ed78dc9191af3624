// Series with irregular slice spacing or gantry tilt are imported through the real worker thread: they get a
// cached volume on a regular orthonormal grid, and the warning saying how they were resampled reaches the
// import summary, the series row and the volume the viewer opens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { JobRegistry } from '../../../src-main/services/jobs';
import { runImport } from '../../../src-main/services/import/runImport';
import { WorkerEngine } from '../../../src-main/services/import/engine';
import { getSeries } from '../../../src-main/store/cases';
import { readVolumeCache } from '../../../src-main/store/volumeCache';
import { NO_DATA_HU } from '../../../src-main/dicom/checkGeometry';
import { axis, dot, lpsToIjk } from '../../../src-main/shared/geometry';
import type { ImportSummary } from '../../../src-main/shared/types';
import { buildMain } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries, type WrittenSeries } from '../../fixtures/dicom/ctSeries';

const INTERCEPT = -1024;
const stored = (i: number, j: number, k: number): number => 5 * i + 9 * j + 60 * k - 300;
const hu = (i: number, j: number, k: number): number => stored(i, j, k) + INTERCEPT;

describe('import of irregular and tilted series', () => {
  const root = tempDir('resampled');
  let ctx: AppContext;
  let summary: ImportSummary;
  let irregular: WrittenSeries;
  let tilted: WrittenSeries;
  // 2 mm nominal; one doubled step (4 -> 8) and one 2.6 mm step.
  const POS = [0, 2, 4, 8, 10, 12.6, 14.6, 16.6];
  const T = (15 * Math.PI) / 180;

  beforeAll(async () => {
    buildMain();
    ctx = createContext({ dataDir: path.join(root, 'data') });
    const common = { rows: 20, columns: 24, pixelSpacing: [0.75, 0.75] as [number, number], intercept: INTERCEPT, stored };
    irregular = writeCtSeries({ ...common, dir: path.join(root, 'src', 'irregular'), slices: POS.length, sliceStep: 2, position: (k) => POS[k], origin: [-9, -7, -80] });
    tilted = writeCtSeries({
      ...common,
      dir: path.join(root, 'src', 'tilted'),
      slices: 10,
      iop: [1, 0, 0, 0, Math.cos(T), -Math.sin(T)],
      sliceStep: 3 * Math.cos(T),
      shearPerSlice: -3 * Math.sin(T),
      origin: [-9, -7, 40],
    });
    const engine = new WorkerEngine();
    try {
      summary = await runImport(ctx, new JobRegistry(ctx.events).create('import'), [path.join(root, 'src')], engine);
    } finally {
      await engine.close();
    }
  });
  afterAll(() => {
    ctx.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('builds a volume for both and says how each was resampled in the summary, the series and the volume', () => {
    expect(summary.errors).toEqual([]);
    expect(summary.series).toHaveLength(2);
    const irr = summary.series.find((s) => s.seriesInstanceUID === irregular.seriesUID)!;
    const tlt = summary.series.find((s) => s.seriesInstanceUID === tilted.seriesUID)!;
    expect(irr.volumeId).not.toBeNull();
    expect(tlt.volumeId).not.toBeNull();
    expect(irr.warnings).toEqual([
      {
        code: 'irregular_spacing',
        message: 'Slice spacing varies from 2 to 4 mm: resampled to a regular 2 mm grid by linear interpolation between acquired slices; 4 of 9 planes interpolated',
      },
    ]);
    expect(tlt.warnings.map((w) => w.code)).toEqual(['gantry_tilt']);
    expect(tlt.warnings[0].message).toMatch(/^Slices are sheared by 15° \(gantry tilt\): corrected by shifting each slice in-plane/);
    for (const [w, s] of [[irregular, irr], [tilted, tlt]] as const) {
      const d = getSeries(ctx.db, w.seriesUID)!;
      expect(d.series.warnings).toEqual(s.warnings);
      expect(d.volume!.warnings).toEqual(s.warnings);
      expect(d.volume!.geometry.dims).toEqual(s.dims);
    }
  });

  it('caches the irregular series on a 2 mm grid: acquired planes exact, the others blended', () => {
    const d = getSeries(ctx.db, irregular.seriesUID)!;
    const g = d.volume!.geometry;
    expect(g.dims).toEqual([24, 20, 9]);
    expect(g.spacing[2]).toBeCloseTo(2, 6);
    const v = readVolumeCache(ctx.volumesDir, d.cachePath!, g).voxels;
    const plane = 24 * 20;
    for (let k = 0; k < 9; k++) {
      const z = 2 * k;
      const src = POS.findIndex((p) => Math.abs(p - z) < 1e-6);
      const a = POS.findLastIndex((p) => p < z);
      const t = src >= 0 ? 0 : (z - POS[a]) / (POS[a + 1] - POS[a]);
      for (let j = 0; j < 20; j += 3) {
        for (let i = 0; i < 24; i += 5) {
          const got = v[i + 24 * j + plane * k];
          if (src >= 0) expect(got).toBe(hu(i, j, src));
          else expect(Math.abs(got - ((1 - t) * hu(i, j, a) + t * hu(i, j, a + 1)))).toBeLessThanOrEqual(0.5);
        }
      }
    }
    expect(d.volume!.minHU).toBe(hu(0, 0, 0));
  });

  it('caches the tilted series in true LPS: each acquired pixel centre maps to a voxel holding its HU', () => {
    const d = getSeries(ctx.db, tilted.seriesUID)!;
    const g = d.volume!.geometry;
    expect(dot(axis(g, 1), axis(g, 2))).toBeCloseTo(0, 9);
    const v = readVolumeCache(ctx.volumesDir, d.cachePath!, g).voxels;
    const r = tilted.iop.slice(0, 3);
    const c = tilted.iop.slice(3, 6);
    let onGrid = 0;
    for (let k = 0; k < 10; k++) {
      for (const [i, j] of [[0, 0], [7, 11], [23, 19], [12, 4]]) {
        const p = [0, 1, 2].map((a) => tilted.ipp(k)[a] + i * 0.75 * r[a] + j * 0.75 * c[a]) as [number, number, number];
        const ijk = lpsToIjk(g, p);
        expect(Math.abs(ijk[2] - k)).toBeLessThan(1e-4);
        expect(Math.abs(ijk[0] - i)).toBeLessThan(1e-4);
        // Shifted by a fraction of a voxel along j: the voxel is the blend of this pixel and its column neighbour.
        const j0 = Math.floor(ijk[1] + 1e-6);
        const f = ijk[1] - j0 < 1e-6 ? 0 : ijk[1] - j0;
        const at = (jj: number): number => v[i + g.dims[0] * (jj + g.dims[1] * k)];
        if (f === 0) {
          expect(at(j0)).toBe(hu(i, j, k));
          onGrid++;
        } else {
          // Grid voxel j0 lies (f voxels) before the pixel: it blends pixel j-1 and j, or is no data at the image edge.
          if (j === 0) expect(at(j0)).toBe(NO_DATA_HU);
          else expect(Math.abs(at(j0) - (f * hu(i, j - 1, k) + (1 - f) * hu(i, j, k)))).toBeLessThanOrEqual(0.5);
        }
      }
    }
    expect(onGrid).toBe(4); // slice 0 is the grid's own
  });
});
