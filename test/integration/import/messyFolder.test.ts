// A messy export: shuffled names, nested folders, a duplicate copy, a non-DICOM file, a truncated file and a
// missing slice. Every rejected file is named with its reason; re-importing adds nothing; a late slice completes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { JobRegistry } from '../../../src-main/services/jobs';
import { runImport } from '../../../src-main/services/import/runImport';
import { InlineEngine } from '../../../src-main/services/import/engine';
import { getSeries } from '../../../src-main/store/cases';
import type { ImportSummary } from '../../../src-main/shared/types';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries, type WrittenSeries } from '../../fixtures/dicom/ctSeries';

describe('import of a messy folder', () => {
  let root: string;
  let ctx: AppContext;
  let w: WrittenSeries;
  let first: ImportSummary;
  const SLICES = 10;
  const MISSING = 6;
  const names = ['x/IM7', 'a/b/c/zz', 'IMG0001', 'q.dcm', 'deep/er/0', 'Y', 'm/n', 'k.DCM', 'b/1.2.3', 'lastone'];

  const run = async (): Promise<ImportSummary> => runImport(ctx, new JobRegistry(ctx.events).create('import'), [path.join(root, 'export')], new InlineEngine());

  beforeAll(async () => {
    root = tempDir('messy');
    ctx = createContext({ dataDir: path.join(root, 'data') });
    w = writeCtSeries({
      dir: path.join(root, 'export'),
      rows: 16,
      columns: 12,
      slices: SLICES,
      pixelSpacing: [0.7, 0.7],
      sliceStep: 2,
      origin: [-50, -60, -200],
      skip: [MISSING],
      fileName: (k) => names[k],
    });
    const exp = path.join(root, 'export');
    fs.copyFileSync(w.files[0], path.join(exp, 'copy-of-IM7'));
    fs.writeFileSync(path.join(exp, 'README.TXT'), 'Exported by a PACS. '.repeat(20));
    const bytes = fs.readFileSync(w.files[3]);
    fs.writeFileSync(path.join(exp, 'broken.dcm'), bytes.subarray(0, bytes.length - 64));
    first = await run();
  });
  afterAll(() => {
    ctx.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('imports the good slices and names every rejected file with its reason', () => {
    expect(first.filesScanned).toBe(SLICES - 1 + 3);
    expect(first.instancesImported).toBe(SLICES - 1);
    const byFile = Object.fromEntries(first.errors.map((e) => [path.relative(path.join(root, 'export'), e.file), e.reason]));
    expect(first.errors).toHaveLength(3);
    expect(byFile['README.TXT']).toMatch(/not DICOM/);
    expect(byFile['broken.dcm']).toMatch(/truncated/);
    // Of the two identical files the one walked second is the duplicate; its reason names the first.
    const [dup, original] = byFile['x/IM7'] ? ['x/IM7', 'copy-of-IM7'] : ['copy-of-IM7', 'x/IM7'];
    expect(byFile[dup]).toContain(`duplicate of ${path.join(root, 'export', original)} (same SOPInstanceUID ${w.sopUIDs[0]})`);
    // Each rejection also carries a code the worklist groups by.
    const codeOf = Object.fromEntries(first.errors.map((e) => [path.relative(path.join(root, 'export'), e.file), e.code]));
    expect(codeOf).toEqual({ 'README.TXT': 'not_dicom', 'broken.dcm': 'bad_header', [dup]: 'duplicate' });
    expect(first.errors.every((e) => e.reason.length > 0 && e.reason !== '[object Object]')).toBe(true);
  });

  it('keeps the missing slice in the grid with a missing_slices warning', () => {
    expect(first.series).toHaveLength(1);
    const s = first.series[0];
    expect(s.dims).toEqual([12, 16, SLICES]);
    expect(s.warnings.map((x) => x.code)).toEqual(['missing_slices']);
    expect(s.warnings[0].message).toContain(`${-200 + 2 * MISSING} mm`);
    const d = getSeries(ctx.db, w.seriesUID)!;
    expect(d.volume!.minHU).toBe(-2048);
    expect(d.series.warnings.map((x) => x.code)).toEqual(['missing_slices']);
  });

  it('adds nothing when the same folder is imported again, skipping indexed files unread', async () => {
    const again = await run();
    expect(again.instancesImported).toBe(0);
    expect(again.series).toEqual([]);
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM instances').get()).toEqual({ n: SLICES - 1 });
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM volumes').get()).toEqual({ n: 1 });
  });

  it('rebuilds the volume when the missing slice arrives later, and removes the old cache files', async () => {
    const oldVolume = first.series[0].volumeId!;
    // Write the whole series again elsewhere with the same UIDs would change SOPs; instead write slice 6 alone
    // with the same series UID and geometry.
    const late = writeCtSeries({
      dir: path.join(root, 'late'),
      rows: 16,
      columns: 12,
      slices: SLICES,
      pixelSpacing: [0.7, 0.7],
      sliceStep: 2,
      origin: [-50, -60, -200],
      skip: [...Array(SLICES).keys()].filter((k) => k !== MISSING),
      studyUID: w.studyUID,
      seriesUID: w.seriesUID,
    });
    const r = await runImport(ctx, new JobRegistry(ctx.events).create('import'), [late.files[0]], new InlineEngine());
    expect(r.instancesImported).toBe(1);
    expect(r.series[0].warnings).toEqual([]);
    expect(r.series[0].dims).toEqual([12, 16, SLICES]);
    expect(r.series[0].volumeId).not.toBe(oldVolume);
    expect(fs.existsSync(path.join(ctx.volumesDir, `${oldVolume}.raw`))).toBe(false);
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM volumes').get()).toEqual({ n: 1 });
    expect(getSeries(ctx.db, w.seriesUID)!.volume!.minHU).toBeGreaterThan(-2048);
  });
});
