// import.start / jobs.get / jobs.cancel / sample.open through the service handlers, with the real worker thread.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { createServices, type Services } from '../../../src-main/services';
import type { JobStatus, ImportJobStatus } from '../../../src-main/shared/types';
import { buildMain } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries } from '../../fixtures/dicom/ctSeries';

function finished(s: Services, jobId: string): Promise<ImportJobStatus> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const st = s.jobs.get(jobId)!.status;
      if (st.finishedAt) resolve(structuredClone(st) as ImportJobStatus);
      return st.finishedAt !== null;
    };
    if (check()) return;
    const off = s.ctx.events.on((e) => {
      if (e === 'job.progress' && check()) off();
    });
  });
}

describe('import through the API', () => {
  const root = tempDir('api');
  let ctx: AppContext;
  let s: Services;
  beforeAll(() => {
    buildMain();
    ctx = createContext({ dataDir: path.join(root, 'data') });
    s = createServices(ctx);
    for (let i = 0; i < 4; i++) writeCtSeries({ dir: path.join(root, 'src', `s${i}`), rows: 256, columns: 256, slices: 30, pixelSpacing: [0.7, 0.7], sliceStep: 1, origin: [0, 0, 40 * i] });
  });
  afterAll(() => {
    ctx.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('returns a job id at once and reports progress, events and the summary', async () => {
    const events: string[] = [];
    const phases = new Set<string>();
    const off = ctx.events.on((e, p) => {
      events.push(e);
      if (e === 'job.progress') phases.add((p as JobStatus).progress.phase);
    });
    const { jobId } = await s.handlers['import.start']({ paths: [path.join(root, 'src', 's0'), path.join(root, 'src', 's1')] });
    expect(s.jobs.get(jobId)!.status.finishedAt).toBeNull();
    const st = await finished(s, jobId);
    off();
    expect(st.state).toBe('done');
    expect(st.summary!.instancesImported).toBe(60);
    expect(st.summary!.series).toHaveLength(2);
    expect(st.progress.filesScanned).toBe(60);
    expect(st.progress.seriesFound).toBe(2);
    expect(st.progress.bytesRead).toBeGreaterThan(2 * 30 * 256 * 256 * 2);
    expect(phases.has('headers') && phases.has('volumes')).toBe(true);
    expect(events.filter((e) => e === 'cases.changed')).toHaveLength(2);
    const row = ctx.db.prepare('SELECT state, files_scanned, instances_imported FROM import_jobs WHERE id = ?').get(jobId);
    expect(row).toEqual({ state: 'done', files_scanned: 60, instances_imported: 60 });
    const list = await s.handlers['cases.list']({ sort: 'importedAt', order: 'desc', offset: 0, limit: 50 });
    expect(list.studies.flatMap((x) => x.series).map((x) => x.dims)).toEqual([[256, 256, 30], [256, 256, 30]]);
  });

  it('cancels cleanly: the job says cancelled and the index holds only whole series', async () => {
    const { jobId } = await s.handlers['import.start']({ paths: [path.join(root, 'src')] });
    expect(await s.handlers['jobs.cancel']({ jobId })).toEqual({ cancelled: true });
    const st = await finished(s, jobId);
    expect(st.state).toBe('cancelled');
    const bad = ctx.db.prepare('SELECT COUNT(*) AS n FROM series s WHERE (SELECT COUNT(*) FROM instances i WHERE i.series_ref = s.id) <> 30').get();
    expect(bad).toEqual({ n: 0 });
    expect(fs.readdirSync(ctx.volumesDir).filter((f) => f.includes('.tmp-'))).toEqual([]);
    // Running it again completes the import.
    const again = await finished(s, (await s.handlers['import.start']({ paths: [path.join(root, 'src')] })).jobId);
    expect(again.state).toBe('done');
    expect(ctx.db.prepare('SELECT COUNT(*) AS n FROM volumes').get()).toEqual({ n: 4 });
  });

  it('opens the bundled sample: imports it once, then returns the indexed series', async () => {
    const first = await s.handlers['sample.open']({});
    expect(first.seriesInstanceUID).toBe('1.3.6.1.4.1.14519.5.2.1.6279.6001.179049373636438705059720603192');
    expect(first.jobId).not.toBeNull();
    expect((await finished(s, first.jobId!)).state).toBe('done');
    expect(await s.handlers['sample.open']({})).toEqual({ jobId: null, seriesInstanceUID: first.seriesInstanceUID });
  });
});
