// Regression tests for issue 10, failures 4, 10 and 12: only regular files are opened (a FIFO once blocked an
// import for ever), symbolic links and DICOMDIR references are followed only inside the chosen folder (a
// DICOMDIR once opened /dev/zero, /etc/shadow and files beside its media via '..'), and a 1000-level nested
// folder is scanned in the import worker, cancellably.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { JobRegistry } from '../../../src-main/services/jobs';
import { runImport } from '../../../src-main/services/import/runImport';
import { InlineEngine, WorkerEngine } from '../../../src-main/services/import/engine';
import { CancelledError } from '../../../src-main/shared/cancellation';
import { scanPaths } from '../../../src-main/dicom/scanFolder';
import type { ImportSummary } from '../../../src-main/shared/types';
import { buildMain } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries } from '../../fixtures/dicom/ctSeries';

describe('special files, links and DICOMDIR references', () => {
  let root: string;
  let ctx: AppContext;
  const run = (paths: string[]): Promise<ImportSummary> => runImport(ctx, new JobRegistry(ctx.events).create('import'), paths, new InlineEngine());
  beforeAll(() => {
    root = tempDir('special');
    ctx = createContext({ dataDir: path.join(root, 'data') });
    fs.writeFileSync(path.join(root, 'SECRET1'), 'not for import');
  });
  afterAll(() => {
    ctx.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('refuses FIFO, device and outside references of a DICOMDIR, and ".." components, without blocking', async () => {
    const cd = path.join(root, 'cd');
    const w = writeCtSeries({ dir: path.join(cd, 'IMAGES'), rows: 8, columns: 8, slices: 5, pixelSpacing: [1, 1], sliceStep: 2, origin: [0, 0, 0], fileName: (k) => `IM${k}` });
    execFileSync('dcmmkdir', ['+r', '-Pgp', '--invent', 'IMAGES'], { cwd: cd, stdio: 'pipe' });
    execFileSync('mkfifo', [path.join(cd, 'IMAGES', 'FIF')]);
    fs.symlinkSync('/dev/zero', path.join(cd, 'IMAGES', 'DEV'));
    fs.symlinkSync('/etc/shadow', path.join(cd, 'IMAGES', 'SHA'));
    // Point four records of the DICOMDIR elsewhere (same length, so the records stay well formed).
    let dicomdir = fs.readFileSync(path.join(cd, 'DICOMDIR'));
    const retarget = (from: string, to: string): void => {
      const at = dicomdir.indexOf(from, 0, 'latin1');
      expect(at).toBeGreaterThan(0);
      dicomdir = Buffer.concat([dicomdir.subarray(0, at), Buffer.from(to, 'latin1'), dicomdir.subarray(at + to.length)]);
    };
    retarget('IMAGES\\IM1', 'IMAGES\\FIF');
    retarget('IMAGES\\IM2', 'IMAGES\\DEV');
    retarget('IMAGES\\IM3', 'IMAGES\\SHA');
    retarget('IMAGES\\IM4', '..\\SECRET1');
    fs.writeFileSync(path.join(cd, 'DICOMDIR'), dicomdir);

    const s = await run([path.join(cd, 'DICOMDIR')]);
    expect(s.instancesImported).toBe(1); // IM0, the one record left alone
    const byCode = (code: string): string[] => s.errors.filter((e) => e.code === code).map((e) => e.file);
    expect(byCode('not_regular_file')).toEqual([path.join(cd, 'IMAGES', 'FIF')]);
    const outside = s.errors.filter((e) => e.code === 'outside_folder');
    // In the DICOMDIR's record order (its directory tree), not file order: compare as a sorted list.
    expect(outside.map((e) => e.reason.replace(root, '<root>')).sort()).toEqual([
      'DICOMDIR reference "..\\SECRET1" leaves the media folder <root>/cd: not followed',
      'DICOMDIR reference resolves to /dev/zero, outside the media folder <root>/cd: not followed',
      'DICOMDIR reference resolves to /etc/shadow, outside the media folder <root>/cd: not followed',
    ]);
    expect(s.errors.every((e) => e.reason.length > 0)).toBe(true);
    expect(w.files).toHaveLength(5);
  });

  it('lists FIFOs in a folder as rejected and follows links only inside the chosen folder', async () => {
    const dir = path.join(root, 'folder');
    const w = writeCtSeries({ dir: path.join(dir, 'ct'), rows: 8, columns: 8, slices: 3, pixelSpacing: [1, 1], sliceStep: 2, origin: [0, 0, 50] });
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    fs.symlinkSync(path.join(root, 'SECRET1'), path.join(dir, 'secret-link'));
    fs.symlinkSync(path.join(dir, 'ct'), path.join(dir, 'ct-again')); // inside: followed, walked once
    const s = await run([dir]);
    expect(s.instancesImported).toBe(3);
    expect(s.series.map((x) => x.seriesInstanceUID)).toEqual([w.seriesUID]);
    expect(s.errors).toEqual([
      { file: path.join(dir, 'pipe'), code: 'not_regular_file', reason: 'a FIFO (named pipe): only regular files are read' },
      { file: path.join(dir, 'secret-link'), code: 'outside_folder', reason: `symbolic link to ${fs.realpathSync(path.join(root, 'SECRET1'))}, outside the chosen folders: not followed` },
    ]);
  });

  describe('a folder nested 1000 deep', () => {
    let deep: string;
    let bottom: string;
    beforeAll(() => {
      deep = path.join(root, 'deep');
      let d = deep;
      for (let i = 0; i < 1000; i++) d = path.join(d, 'd');
      fs.mkdirSync(d, { recursive: true });
      bottom = path.join(d, 'one.dcm');
      fs.writeFileSync(bottom, 'x');
      buildMain();
    });

    it('is scanned in the import worker and finds the file at the bottom', async () => {
      const engine = new WorkerEngine();
      try {
        const r = await engine.scan([deep], new AbortController().signal);
        expect(r).toEqual({ files: [bottom], errors: [] });
      } finally {
        await engine.close();
      }
    });

    it('stops when cancelled', async () => {
      let calls = 0;
      const r = scanPaths([deep], () => ++calls > 10);
      expect(r.files).toEqual([]);
      const engine = new WorkerEngine();
      const ac = new AbortController();
      ac.abort();
      try {
        await expect(engine.scan([deep], ac.signal)).rejects.toBeInstanceOf(CancelledError);
      } finally {
        await engine.close();
      }
    });
  });
});
