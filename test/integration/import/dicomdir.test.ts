// A CD-style export pointed at by its DICOMDIR (written by dcmtk's dcmmkdir): the referenced images are imported.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createContext } from '../../../src-main/services/context';
import { JobRegistry } from '../../../src-main/services/jobs';
import { runImport } from '../../../src-main/services/import/runImport';
import { InlineEngine } from '../../../src-main/services/import/engine';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries } from '../../fixtures/dicom/ctSeries';

describe('DICOMDIR', () => {
  const root = tempDir('dicomdir');
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('imports the files a DICOMDIR references when given the DICOMDIR alone', async () => {
    const cd = path.join(root, 'cd');
    const w = writeCtSeries({ dir: path.join(cd, 'IMAGES'), rows: 8, columns: 8, slices: 4, pixelSpacing: [1, 1], sliceStep: 2, origin: [0, 0, 0], fileName: (k) => `IM${k}` });
    execFileSync('dcmmkdir', ['+r', '-Pgp', '--invent', 'IMAGES'], { cwd: cd, stdio: 'pipe' });
    const ctx = createContext({ dataDir: path.join(root, 'data') });
    try {
      const s = await runImport(ctx, new JobRegistry(ctx.events).create('import'), [path.join(cd, 'DICOMDIR')], new InlineEngine());
      expect(s.errors).toEqual([]);
      expect(s.filesScanned).toBe(5); // the DICOMDIR and its 4 images
      expect(s.instancesImported).toBe(4);
      expect(s.series.map((x) => [x.seriesInstanceUID, x.dims])).toEqual([[w.seriesUID, [8, 8, 4]]]);
    } finally {
      ctx.close();
    }
  });
});
