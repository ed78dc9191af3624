// Imports the real LIDC-IDRI crops and checks UIDs, slice order, spacing, origin and HU against dcm2niix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { JobRegistry } from '../../../src-main/services/jobs';
import { runImport } from '../../../src-main/services/import/runImport';
import { InlineEngine } from '../../../src-main/services/import/engine';
import { getSeries } from '../../../src-main/store/cases';
import { readVolumeCache } from '../../../src-main/store/volumeCache';
import { ijkToLps, type HuVolume } from '../../../src-main/shared/geometry';
import type { ImportSummary } from '../../../src-main/shared/types';
import { lidcSeriesDir, tempDir } from '../../fixtures/dicom/paths';
import { cornerDistance, niftiCornersLps, niftiHuAtLps, runDcm2niix, volumeCornersLps } from '../../fixtures/dicom/dcm2niix';

const SERIES_0001 = '1.3.6.1.4.1.14519.5.2.1.6279.6001.179049373636438705059720603192';
const STUDY_0001 = '1.3.6.1.4.1.14519.5.2.1.6279.6001.298806137288633453246975630178';

describe('import of LIDC-IDRI-0001', () => {
  let ctx: AppContext;
  let summary: ImportSummary;
  let vol: HuVolume;
  const dir = lidcSeriesDir('LIDC-IDRI-0001');

  beforeAll(async () => {
    ctx = createContext({ dataDir: tempDir('lidc') });
    const job = new JobRegistry(ctx.events).create('import');
    summary = await runImport(ctx, job, [path.dirname(path.dirname(dir))], new InlineEngine());
    const s = getSeries(ctx.db, SERIES_0001);
    vol = readVolumeCache(ctx.volumesDir, s!.cachePath!, s!.volume!.geometry);
  });
  afterAll(() => {
    ctx.close();
    fs.rmSync(ctx.dataDir, { recursive: true, force: true });
  });

  it('indexes the patient, study and series with their UIDs', () => {
    expect(summary.filesScanned).toBe(17);
    expect(summary.instancesImported).toBe(16);
    expect(summary.series.map((s) => s.seriesInstanceUID)).toEqual([SERIES_0001]);
    // The reader XML beside the slices is not DICOM: named with the reason.
    expect(summary.errors).toHaveLength(1);
    expect(summary.errors[0].file).toMatch(/69\.xml$/);
    expect(summary.errors[0].reason).toMatch(/not DICOM/);
    const s = getSeries(ctx.db, SERIES_0001)!;
    expect(s.patient.patientId).toBe('LIDC-IDRI-0001');
    expect(s.study.studyInstanceUID).toBe(STUDY_0001);
    expect(s.series.instanceCount).toBe(16);
    expect(s.series.modality).toBe('CT');
  });

  it('has the geometry of the headers: 0.703125 x 0.703125 x 2.5 mm, origin at the lowest slice', () => {
    const g = vol.geometry;
    expect(g.dims).toEqual([512, 512, 16]);
    expect(g.spacing).toEqual([0.703125, 0.703125, 2.5]);
    // The slice files are named by their z position: the lowest is -132.5.
    expect(g.origin[0]).toBeCloseTo(-166, 4);
    expect(g.origin[1]).toBeCloseTo(-171.699997, 4);
    expect(g.origin[2]).toBeCloseTo(-132.5, 4);
    expect(g.direction).toEqual([1, 0, 0, 0, 1, 0, 0, 0, 1]);
    expect(summary.series[0].warnings).toEqual([]);
  });

  it('agrees with dcm2niix on the grid corners (within 1e-3 mm) and on HU voxel by voxel', () => {
    const nii = runDcm2niix(dir);
    expect(cornerDistance(volumeCornersLps(vol.geometry), niftiCornersLps(nii))).toBeLessThan(1e-3);
    const [nx, ny, nz] = vol.geometry.dims;
    let compared = 0;
    for (let k = 0; k < nz; k++) {
      for (let j = 0; j < ny; j += 37) {
        for (let i = 0; i < nx; i += 29) {
          const theirs = niftiHuAtLps(nii, ijkToLps(vol.geometry, [i, j, k]));
          expect(theirs).not.toBeNull();
          expect(vol.voxels[i + nx * (j + ny * k)]).toBe(theirs);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(3000);
  });

  it('shows air near -1000 HU (HU = stored - 1024 in LIDC)', () => {
    let air = 0;
    for (const v of vol.voxels) if (v >= -1050 && v <= -950) air++;
    expect(air / vol.voxels.length).toBeGreaterThan(0.1);
  });
});
