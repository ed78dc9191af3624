// One import job from start to end: phase 1 (headers, grouping), phase 2 (one volume and one transaction per
// series part), progress and cancel through the JobHandle, the job and its rejected files recorded in SQLite.
import type { AppContext } from '../context';
import { jobErrorOf, type JobHandle } from '../jobs';
import { groupSeries } from '../../dicom/groupSeries';
import type { DicomHeader } from '../../dicom/types';
import type { FileError, ImportJobStatus, ImportSummary } from '../../shared/types';
import { CancelledError, isCancellation } from '../../shared/cancellation';
import { indexedSops, instanceFilesOfSeries } from '../../store/instances';
import { addImportErrors, createImportJob, finishImportJob } from '../../store/importJobs';
import { seriesRowIds } from '../../store/series';
import { cachePathsInUse } from '../../store/volumes';
import { collectHeaders } from './collectHeaders';
import type { ImportEngine } from './engine';
import { importSeries } from './importSeries';
import { sweepOrphanVolumes } from './tasks';

/** Share of the progress bar given to phase 1 (headers); the rest is volume building. */
const PHASE1_SHARE = 0.2;

/** Headers of already-indexed instances of the touched series, so a part with new slices is rebuilt whole. */
async function indexedHeadersOf(ctx: AppContext, engine: ImportEngine, seriesUIDs: string[], exclude: Set<string>, signal: AbortSignal) {
  const files: string[] = [];
  for (const uid of seriesUIDs) {
    for (const ref of seriesRowIds(ctx.db, uid)) files.push(...instanceFilesOfSeries(ctx.db, ref).filter((f) => !exclude.has(f)));
  }
  if (files.length === 0) return { headers: [] as DicomHeader[], errors: [] as FileError[] };
  const results = await engine.readHeaders(files, () => {}, signal);
  const headers: DicomHeader[] = [];
  const errors: FileError[] = [];
  for (const r of results) {
    if (r.kind === 'header') headers.push(r.header);
    else if (r.kind === 'error') errors.push({ file: r.file, code: r.code, reason: `indexed earlier, now unreadable: ${r.reason}` });
  }
  return { headers, errors };
}

export async function runImport(ctx: AppContext, job: JobHandle<ImportJobStatus>, paths: string[], engine: ImportEngine): Promise<ImportSummary> {
  const signal = job.signal;
  const summary: ImportSummary = { filesScanned: 0, instancesImported: 0, series: [], errors: [] };
  const errors: FileError[] = summary.errors;
  const addErrors = (list: FileError[]): void => {
    for (const e of list) {
      errors.push(e);
      job.addError(e);
    }
  };
  createImportJob(ctx.db, job.id, paths, job.status.startedAt);
  let state: 'done' | 'cancelled' | 'failed' = 'done';
  let failure: unknown = null;
  try {
    job.progress({ phase: 'scanning', fraction: 0 }, true);
    sweepOrphanVolumes(ctx.volumesDir, cachePathsInUse(ctx.db));
    const collected = await collectHeaders(
      ctx.db,
      engine,
      paths,
      (p) => job.progress({ phase: 'headers', ...p, fraction: p.filesTotal ? (PHASE1_SHARE * p.filesScanned) / p.filesTotal : null }),
      signal,
    );
    summary.filesScanned = collected.filesScanned;
    addErrors(collected.errors);

    // Instances already indexed: the same file (touched since) is skipped quietly; a copy elsewhere is named.
    const indexed = indexedSops(ctx.db, collected.headers.map((h) => h.sopInstanceUID));
    const fresh: DicomHeader[] = [];
    for (const h of collected.headers) {
      const at = indexed.get(h.sopInstanceUID);
      if (at === undefined) fresh.push(h);
      else if (at !== h.file) addErrors([{ file: h.file, code: 'duplicate', reason: `already in the case index as ${at} (same SOPInstanceUID); skipped` }]);
    }
    const touched = [...new Set(fresh.map((h) => h.seriesInstanceUID))];
    const earlier = await indexedHeadersOf(ctx, engine, touched, new Set(fresh.map((h) => h.file)), signal);
    addErrors(earlier.errors);
    const { groups, duplicates } = groupSeries([...earlier.headers, ...fresh]);
    addErrors(duplicates);

    const earlierSops = new Set(earlier.headers.map((h) => h.sopInstanceUID));
    const isNew = (sop: string): boolean => !indexed.has(sop) && !earlierSops.has(sop);
    const todo = groups.filter((g) => g.instances.some((h) => isNew(h.sopInstanceUID)));
    job.progress({ phase: 'volumes', seriesFound: todo.length, fraction: PHASE1_SHARE }, true);

    const totalSlices = Math.max(1, todo.reduce((n, g) => n + g.slices.length, 0));
    let slicesBefore = 0;
    let bytesRead = collected.bytesRead;
    for (const g of todo) {
      if (signal.aborted) throw new CancelledError('import');
      const outcome = await importSeries(
        ctx,
        engine,
        g,
        isNew,
        (p) =>
          job.progress({
            phase: 'volumes',
            bytesRead: bytesRead + p.bytesRead,
            fraction: PHASE1_SHARE + ((1 - PHASE1_SHARE) * (slicesBefore + p.slicesDone)) / totalSlices,
            message: `series ${g.seriesInstanceUID}`,
          }),
        signal,
      );
      slicesBefore += g.slices.length;
      bytesRead += outcome.bytesRead;
      summary.series.push(outcome.series);
      summary.instancesImported += outcome.instancesInserted;
      addErrors(outcome.errors);
      job.progress({ bytesRead, fraction: PHASE1_SHARE + ((1 - PHASE1_SHARE) * slicesBefore) / totalSlices });
    }
  } catch (e) {
    if (isCancellation(e) || signal.aborted) state = 'cancelled';
    else {
      state = 'failed';
      failure = e;
    }
  } finally {
    await engine.close();
  }
  addImportErrors(ctx.db, job.id, errors);
  finishImportJob(ctx.db, job.id, {
    state,
    filesScanned: summary.filesScanned,
    instancesImported: summary.instancesImported,
    error: state === 'failed' ? jobErrorOf(failure) : null,
    finishedAt: new Date().toISOString(),
  });
  if (state === 'failed') {
    job.status.summary = summary;
    job.fail(failure);
    throw failure instanceof Error ? failure : new Error(String(failure));
  }
  job.finish({ summary });
  return summary;
}
