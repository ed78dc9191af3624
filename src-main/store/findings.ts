// findings: each row holds the full Finding as JSON (data_json) plus the columns queries filter on.
import type { Db } from './db';
import type { Finding } from '../shared/types';

/** Inserts findings; call inside the caller's transaction when they belong to a run. */
export function insertFindings(db: Db, volumeId: string, findings: Finding[]): void {
  const stmt = db.prepare('INSERT INTO findings (id, volume_ref, run_ref, source, label, data_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const now = new Date().toISOString();
  for (const f of findings) stmt.run(f.id, volumeId, f.runId, f.source, f.label, JSON.stringify(f), now);
}

export function findingsOfRun(db: Db, runId: string): Finding[] {
  return (db.prepare('SELECT data_json FROM findings WHERE run_ref = ? ORDER BY rowid').all(runId) as { data_json: string }[]).map((r) => JSON.parse(r.data_json) as Finding);
}
