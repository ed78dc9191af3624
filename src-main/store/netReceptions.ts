// The listener's associations and what each delivered. A series is incomplete while the last association that
// delivered instances of it ended aborted; a later complete association (a re-send) clears that.
import type { Db } from './db';
import type { Reception, ReceptionState } from '../shared/netTypes';

export function startReception(db: Db, r: { id: string; callingAet: string; remote: string; state: ReceptionState; startedAt: string; message?: string }): void {
  db.prepare('INSERT INTO net_associations (id, calling_aet, remote, state, started_at, finished_at, message) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    r.id,
    r.callingAet,
    r.remote,
    r.state,
    r.startedAt,
    r.state === 'rejected' ? r.startedAt : null,
    r.message ?? null,
  );
}

export function recordReceived(db: Db, associationId: string, items: { sopUID: string; seriesUID: string; file: string }[]): void {
  const stmt = db.prepare('INSERT OR REPLACE INTO net_received (association_ref, sop_uid, series_uid, file) VALUES (?, ?, ?, ?)');
  db.transaction(() => items.forEach((i) => stmt.run(associationId, i.sopUID, i.seriesUID, i.file)))();
}

export function finishReception(
  db: Db,
  id: string,
  r: { state: ReceptionState; instances: number; failed: number; bytes: number; finishedAt: string; jobId: string | null; message: string | null },
): void {
  db.prepare(
    'UPDATE net_associations SET state = @state, instances = @instances, failed = @failed, bytes = @bytes, finished_at = @finishedAt, job_id = @jobId, message = @message WHERE id = @id',
  ).run({ ...r, id });
}

/** Series whose most recent delivering association (by finish time) aborted. */
export function incompleteSeries(db: Db): Set<string> {
  const rows = db
    .prepare(
      `SELECT r.series_uid AS uid, a.state AS state FROM net_received r JOIN net_associations a ON a.id = r.association_ref
       WHERE a.state IN ('complete', 'aborted') AND a.finished_at = (
         SELECT MAX(a2.finished_at) FROM net_received r2 JOIN net_associations a2 ON a2.id = r2.association_ref
         WHERE r2.series_uid = r.series_uid AND a2.state IN ('complete', 'aborted'))
       GROUP BY r.series_uid, a.state`,
    )
    .all() as { uid: string; state: string }[];
  return new Set(rows.filter((r) => r.state === 'aborted').map((r) => r.uid));
}

interface Row {
  id: string;
  calling_aet: string;
  remote: string;
  state: ReceptionState;
  instances: number;
  failed: number;
  bytes: number;
  started_at: string;
  finished_at: string | null;
  job_id: string | null;
  message: string | null;
}

export function listReceptions(db: Db, limit = 50): Reception[] {
  const rows = db.prepare('SELECT * FROM net_associations ORDER BY started_at DESC, rowid DESC LIMIT ?').all(limit) as Row[];
  const incomplete = incompleteSeries(db);
  const seriesOf = db.prepare('SELECT DISTINCT series_uid FROM net_received WHERE association_ref = ?');
  return rows.map((r) => ({
    id: r.id,
    callingAet: r.calling_aet,
    remote: r.remote,
    state: r.state,
    instances: r.instances,
    failed: r.failed,
    bytes: r.bytes,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    jobId: r.job_id,
    message: r.message,
    incompleteSeries: (seriesOf.all(r.id) as { series_uid: string }[]).map((s) => s.series_uid).filter((u) => incomplete.has(u)),
  }));
}
