// Our volume geometry against dcm2niix (an independent converter) for an oblique series with a non-trivial
// origin and anisotropic spacing: NIfTI RAS affine -> LPS (negate x, y), corners within 1e-3 mm, HU equal.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createContext } from '../../../src-main/services/context';
import { JobRegistry } from '../../../src-main/services/jobs';
import { runImport } from '../../../src-main/services/import/runImport';
import { InlineEngine } from '../../../src-main/services/import/engine';
import { getSeries } from '../../../src-main/store/cases';
import { readVolumeCache } from '../../../src-main/store/volumeCache';
import { ijkToLps } from '../../../src-main/shared/geometry';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries } from '../../fixtures/dicom/ctSeries';
import { cornerDistance, niftiCornersLps, niftiHuAtLps, runDcm2niix, volumeCornersLps } from '../../fixtures/dicom/dcm2niix';

describe('geometry against dcm2niix', () => {
  const root = tempDir('d2n');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('matches an oblique, anisotropic series with a shifted origin', async () => {
    // Rows rotated 15° about z, columns tilted 25° out of the axial plane (an oblique reformat).
    const a = (15 * Math.PI) / 180, b = (25 * Math.PI) / 180;
    const iop: [number, number, number, number, number, number] = [Math.cos(a), Math.sin(a), 0, -Math.sin(a) * Math.cos(b), Math.cos(a) * Math.cos(b), Math.sin(b)];
    const w = writeCtSeries({ dir: path.join(root, 'obl'), rows: 20, columns: 24, slices: 9, pixelSpacing: [0.83, 0.61], sliceStep: 1.7, origin: [-123.4, 87.6, -301.25], iop });
    const ctx = createContext({ dataDir: path.join(root, 'data') });
    try {
      await runImport(ctx, new JobRegistry(ctx.events).create('import'), [path.join(root, 'obl')], new InlineEngine());
      const s = getSeries(ctx.db, w.seriesUID)!;
      const vol = readVolumeCache(ctx.volumesDir, s.cachePath!, s.volume!.geometry);
      const nii = runDcm2niix(path.join(root, 'obl'));
      expect(nii.sformCode).toBeGreaterThan(0);
      expect(cornerDistance(volumeCornersLps(vol.geometry), niftiCornersLps(nii))).toBeLessThan(1e-3);
      const [nx, ny, nz] = vol.geometry.dims;
      for (let k = 0; k < nz; k++)
        for (let j = 0; j < ny; j += 3)
          for (let i = 0; i < nx; i += 5) expect(vol.voxels[i + nx * (j + ny * k)]).toBe(niftiHuAtLps(nii, ijkToLps(vol.geometry, [i, j, k])));
    } finally {
      ctx.close();
    }
  });
});
