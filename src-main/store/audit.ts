// The audit trail: who changed what in the record (reader edits, deletions), written in the caller's transaction.
import os from 'node:os';
import type { Db } from './db';

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
