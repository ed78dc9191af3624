// Import job history: one row per job, its rejected files in import_errors.
import type { Db } from './db';
import type { FileError, JobState, JobStatus } from '../shared/types';

export function createImportJob(db: Db, jobId: string, paths: string[], startedAt: string): void {
  db.prepare(`INSERT INTO import_jobs (id, state, paths_json, started_at) VALUES (?, 'running', ?, ?)`).run(jobId, JSON.stringify(paths), startedAt);
}

export function addImportErrors(db: Db, jobId: string, errors: FileError[]): void {
  if (errors.length === 0) return;
  const stmt = db.prepare('INSERT INTO import_errors (job_ref, file, reason) VALUES (?, ?, ?)');
  db.transaction(() => {
    for (const e of errors) stmt.run(jobId, e.file, e.reason);
  })();
}

export function finishImportJob(
  db: Db,
  jobId: string,
  r: { state: JobState; filesScanned: number; instancesImported: number; error: string | null; finishedAt: string },
): void {
  db.prepare(
    `UPDATE import_jobs SET state = @state, finished_at = @finishedAt, files_scanned = @filesScanned,
       instances_imported = @instancesImported, error = @error WHERE id = @jobId`,
  ).run({ ...r, jobId });
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
}

/** Past import jobs as the worklist shows them, newest first, each with its rejected files. A job whose row still
 * says 'running' belongs to another process (a CLI import) or was killed; the row is shown as it is. */
export function listImportJobs(db: Db, limit: number): JobStatus[] {
  const rows = db.prepare('SELECT * FROM import_jobs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as ImportJobRow[];
  const errorsOf = db.prepare('SELECT file, reason FROM import_errors WHERE job_ref = ? ORDER BY id');
  return rows.map((r) => {
    const errors = errorsOf.all(r.id) as FileError[];
    return {
      jobId: r.id,
      kind: 'import',
      state: r.state,
      progress: { phase: r.state, filesScanned: r.files_scanned, filesTotal: null, seriesFound: 0, bytesRead: 0, fraction: null, message: JSON.parse(r.paths_json).join(', ') },
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      error: r.error,
      errors,
      summary: r.finished_at ? { filesScanned: r.files_scanned, instancesImported: r.instances_imported, series: [], errors } : null,
    };
  });
}
