// cad_runs: one row per CAD run (models + versions, the provider actually used and why others were skipped,
// parameters, timings per stage, state). A run's findings are committed together with its 'done' state.
import type { Db } from './db';
import type { CadRunSummary } from '../shared/cadTypes';
import type { Finding } from '../shared/types';
import { insertFindings } from './findings';
import { pidAlive } from './pidAlive';

export interface NewRun {
  id: string;
  volumeId: string;
  models: CadRunSummary['models'];
  provider: string;
  providerFallback: CadRunSummary['providerFallback'];
  params: Record<string, unknown>;
}

interface RunRow {
  id: string;
  volume_ref: string;
  state: CadRunSummary['state'];
  models_json: string;
  provider: string;
  params_json: string;
  timings_json: string;
  error: string | null;
  started_at: string;
  finished_at: string | null;
  series_uid: string;
  finding_count: number;
}

export function createRun(db: Db, r: NewRun): void {
  db.prepare(
    `INSERT INTO cad_runs (id, volume_ref, state, models_json, provider, params_json, timings_json, started_at, pid)
     VALUES (?, ?, 'running', ?, ?, ?, '{}', ?, ?)`,
  ).run(r.id, r.volumeId, JSON.stringify(r.models), r.provider, JSON.stringify({ ...r.params, providerFallback: r.providerFallback }), new Date().toISOString(), process.pid);
  live.add(r.id);
}

/** Runs this process has started and not yet ended; one of ours missing here was left by a failed write. */
const live = new Set<string>();

export const CAD_INTERRUPTED =
  'interrupted: the process running this CAD run ended before it finished (killed, crashed or out of disk space); no findings were stored. Run CAD again.';

/**
 * Runs still 'running' whose process is gone are closed as failed with the reason (at start-up and before a
 * listing, like import jobs). Runs of another live process (a CLI analyze) are left alone, and so are this
 * process's runs still in progress; one of ours that its own end could not record (a full disk) is closed too.
 * Rows from before migration 6 have no pid and are left as they are.
 */
export function closeInterruptedCadRuns(db: Db, now = new Date().toISOString()): number {
  if (db.readonly) return 0;
  const stale = (db.prepare("SELECT id, pid FROM cad_runs WHERE state = 'running' AND pid IS NOT NULL").all() as { id: string; pid: number }[]).filter(
    (r) => (r.pid === process.pid ? !live.has(r.id) : !pidAlive(r.pid)),
  );
  const close = db.prepare("UPDATE cad_runs SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND state = 'running'");
  db.transaction(() => stale.forEach((r) => close.run(CAD_INTERRUPTED, now, r.id)))();
  return stale.length;
}

/** Stores the run's findings and marks it done in ONE transaction: a reader never sees half a run. */
/** `outcome`: what the run decided (its operating point, the candidates it set aside), merged into its params. */
export function completeRun(db: Db, runId: string, volumeId: string, findings: Finding[], timingsMs: Record<string, number>, outcome: Record<string, unknown> = {}): Record<string, number> {
  live.delete(runId);
  return db.transaction(() => {
    const t0 = performance.now();
    insertFindings(db, volumeId, findings);
    if (Object.keys(outcome).length) {
      const row = db.prepare('SELECT params_json FROM cad_runs WHERE id = ?').get(runId) as { params_json: string } | undefined;
      const params = { ...(row ? (JSON.parse(row.params_json) as Record<string, unknown>) : {}), ...outcome };
      db.prepare('UPDATE cad_runs SET params_json = ? WHERE id = ?').run(JSON.stringify(params), runId);
    }
    const timings = { ...timingsMs, store: Math.round((performance.now() - t0) * 10) / 10 };
    db.prepare(`UPDATE cad_runs SET state = 'done', timings_json = ?, finished_at = ? WHERE id = ?`).run(JSON.stringify(timings), new Date().toISOString(), runId);
    return timings;
  })();
}

/** A failed or cancelled run keeps its row (what was tried, the error) and no findings. */
export function endRun(db: Db, runId: string, state: 'failed' | 'cancelled', error: string, timingsMs: Record<string, number>): void {
  live.delete(runId);
  db.prepare(`UPDATE cad_runs SET state = ?, error = ?, timings_json = ?, finished_at = ? WHERE id = ?`).run(state, error, JSON.stringify(timingsMs), new Date().toISOString(), runId);
}

function summaryOf(r: RunRow): CadRunSummary {
  const params = JSON.parse(r.params_json) as Record<string, unknown>;
  const { providerFallback, ...rest } = params as { providerFallback?: CadRunSummary['providerFallback'] };
  return {
    id: r.id,
    volumeId: r.volume_ref,
    seriesInstanceUID: r.series_uid,
    state: r.state,
    models: JSON.parse(r.models_json),
    provider: r.provider,
    providerFallback: providerFallback ?? [],
    params: rest,
    timingsMs: JSON.parse(r.timings_json),
    error: r.error,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    findingCount: r.finding_count,
  };
}

const SELECT = `
  SELECT r.*, s.series_uid, (SELECT COUNT(*) FROM findings f WHERE f.run_ref = r.id) AS finding_count
  FROM cad_runs r JOIN volumes v ON v.id = r.volume_ref JOIN series s ON s.id = v.series_ref`;

export function listRuns(db: Db, seriesInstanceUID: string): CadRunSummary[] {
  closeInterruptedCadRuns(db);
  return (db.prepare(`${SELECT} WHERE s.series_uid = ? ORDER BY r.started_at DESC, r.id`).all(seriesInstanceUID) as RunRow[]).map(summaryOf);
}

export function getRun(db: Db, runId: string): CadRunSummary | null {
  const r = db.prepare(`${SELECT} WHERE r.id = ?`).get(runId) as RunRow | undefined;
  return r ? summaryOf(r) : null;
}

/** The latest completed run on a volume (its id and recorded parameters), or null. */
export function latestDoneRunOfVolume(db: Db, volumeId: string): { id: string; params: Record<string, unknown> } | null {
  const r = db
    .prepare(`SELECT id, params_json FROM cad_runs WHERE volume_ref = ? AND state = 'done' ORDER BY finished_at DESC, rowid DESC LIMIT 1`)
    .get(volumeId) as { id: string; params_json: string } | undefined;
  return r ? { id: r.id, params: JSON.parse(r.params_json) as Record<string, unknown> } : null;
}

/** The id of the latest completed run on any volume of a series, or null. */
export function latestDoneRunId(db: Db, seriesInstanceUID: string): string | null {
  const r = db
    .prepare(
      `SELECT r.id FROM cad_runs r JOIN volumes v ON v.id = r.volume_ref JOIN series s ON s.id = v.series_ref
       WHERE s.series_uid = ? AND r.state = 'done' ORDER BY r.finished_at DESC, r.rowid DESC LIMIT 1`,
    )
    .get(seriesInstanceUID) as { id: string } | undefined;
  return r ? r.id : null;
}
