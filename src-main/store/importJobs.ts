// Import job history: one row per job, its rejected files in import_errors.
import type { Db } from './db';
import type { FileError, ImportJobStatus, JobError, JobState } from '../shared/types';

export function createImportJob(db: Db, jobId: string, paths: string[], startedAt: string, pid = process.pid): void {
  db.prepare(`INSERT INTO import_jobs (id, state, paths_json, started_at, pid) VALUES (?, 'running', ?, ?, ?)`).run(jobId, JSON.stringify(paths), startedAt, pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: existence check only
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

export const INTERRUPTED =
  'interrupted: the importing process ended before it finished (killed or crashed). Every series it committed is complete; run the same import again to finish it.';

/** Jobs still marked running whose process is gone are closed as failed with the reason. Jobs with no pid
 * (written before migration 2) are left as they are: there is no way to tell. */
export function closeInterruptedImportJobs(db: Db, now = new Date().toISOString()): number {
  const stale = (db.prepare("SELECT id, pid FROM import_jobs WHERE state = 'running' AND pid IS NOT NULL").all() as { id: string; pid: number }[]).filter(
    (j) => j.pid !== process.pid && !processAlive(j.pid),
  );
  const close = db.prepare("UPDATE import_jobs SET state = 'failed', error = ?, error_code = 'interrupted', finished_at = ? WHERE id = ? AND state = 'running'");
  db.transaction(() => stale.forEach((j) => close.run(INTERRUPTED, now, j.id)))();
  return stale.length;
}

export function addImportErrors(db: Db, jobId: string, errors: FileError[]): void {
  if (errors.length === 0) return;
  const stmt = db.prepare('INSERT INTO import_errors (job_ref, file, code, reason) VALUES (?, ?, ?, ?)');
  db.transaction(() => {
    for (const e of errors) stmt.run(jobId, e.file, e.code, e.reason);
  })();
}

export function finishImportJob(
  db: Db,
  jobId: string,
  r: { state: JobState; filesScanned: number; instancesImported: number; error: JobError | null; finishedAt: string },
): void {
  db.prepare(
    `UPDATE import_jobs SET state = @state, finished_at = @finishedAt, files_scanned = @filesScanned,
       instances_imported = @instancesImported, error = @error, error_code = @errorCode WHERE id = @jobId`,
  ).run({ ...r, error: r.error?.message ?? null, errorCode: r.error?.code ?? null, jobId });
}

interface ImportJobRow {
  id: string;
  state: JobState;
  paths_json: string;
  started_at: string;
  finished_at: string | null;
  files_scanned: number;
  instances_imported: number;
  error: string | null;
  error_code: JobError['code'] | null;
}

/** Past import jobs as the worklist shows them, newest first, each with its rejected files. A job still 'running'
 * is running in another process (a CLI import); one whose process is gone is closed as interrupted first. */
export function listImportJobs(db: Db, limit: number): ImportJobStatus[] {
  if (!db.readonly) closeInterruptedImportJobs(db);
  const rows = db.prepare('SELECT * FROM import_jobs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as ImportJobRow[];
  const errorsOf = db.prepare('SELECT file, code, reason FROM import_errors WHERE job_ref = ? ORDER BY id');
  return rows.map((r) => {
    const errors = errorsOf.all(r.id) as FileError[];
    return {
      jobId: r.id,
      kind: 'import' as const,
      state: r.state,
      progress: { phase: r.state, filesScanned: r.files_scanned, filesTotal: null, seriesFound: 0, bytesRead: 0, fraction: null, message: JSON.parse(r.paths_json).join(', ') },
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      error: r.error !== null ? { code: r.error_code ?? 'internal', message: r.error } : null,
      errors,
      summary: r.finished_at ? { filesScanned: r.files_scanned, instancesImported: r.instances_imported, series: [], errors } : null,
    };
  });
}
