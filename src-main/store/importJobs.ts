// Import job history: one row per job, its rejected files in import_errors.
import type { Db } from './db';
import type { FileError, JobState } from '../shared/types';

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
