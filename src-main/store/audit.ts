// The audit trail: who (OS user + reader profile) changed what (before/after), written in the caller's
// transaction. The table is append-only: triggers in migration 003 refuse UPDATE and DELETE.
import os from 'node:os';
import type { Db } from './db';
import type { AuditEntry } from '../shared/readTypes';

/** The OS user running Pulmo: a workstation is logged into by the reader, and there are no Pulmo accounts. */
export function auditActor(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

export function writeAudit(db: Db, action: string, detail: unknown, at = new Date().toISOString()): void {
  db.prepare('INSERT INTO audit (at, actor, action, detail_json) VALUES (?, ?, ?, ?)').run(at, auditActor(), action, JSON.stringify(detail));
}

export interface AuditRecord {
  action: string;
  reader: string | null;
  seriesInstanceUID: string | null;
  detail?: unknown;
  before?: unknown;
  after?: unknown;
  at?: string;
}

export function appendAudit(db: Db, r: AuditRecord): void {
  db.prepare('INSERT INTO audit (at, actor, action, detail_json, reader, series_uid, before_json, after_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
    r.at ?? new Date().toISOString(),
    auditActor(),
    r.action,
    JSON.stringify(r.detail ?? {}),
    r.reader,
    r.seriesInstanceUID,
    r.before === undefined ? null : JSON.stringify(r.before),
    r.after === undefined ? null : JSON.stringify(r.after),
  );
}

interface AuditRow {
  id: number;
  at: string;
  actor: string;
  reader: string | null;
  action: string;
  series_uid: string | null;
  detail_json: string;
  before_json: string | null;
  after_json: string | null;
}

/** Audit entries, oldest first; of one series (its rows name it in series_uid or in detail) or all. */
export function listAudit(db: Db, seriesInstanceUID?: string, limit = 5000): AuditEntry[] {
  const rows = (
    seriesInstanceUID
      ? db.prepare("SELECT * FROM audit WHERE series_uid = ? OR json_extract(detail_json, '$.seriesInstanceUID') = ? ORDER BY id LIMIT ?").all(seriesInstanceUID, seriesInstanceUID, limit)
      : db.prepare('SELECT * FROM audit ORDER BY id LIMIT ?').all(limit)
  ) as AuditRow[];
  const parse = (s: string | null): unknown => (s === null ? null : JSON.parse(s));
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor: r.actor,
    reader: r.reader,
    action: r.action,
    seriesInstanceUID: r.series_uid,
    detail: parse(r.detail_json),
    before: parse(r.before_json),
    after: parse(r.after_json),
  }));
}
