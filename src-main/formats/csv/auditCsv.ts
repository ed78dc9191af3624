// The audit trail as CSV (one row per entry; details and before/after as JSON).
import type { AuditEntry } from '../../shared/readTypes';
import { csvCell } from './findingsCsv';

export function auditCsv(entries: AuditEntry[]): Buffer {
  const rows = ['id,at,os_user,reader,action,series_uid,detail_json,before_json,after_json'];
  for (const e of entries) {
    rows.push([e.id, e.at, e.actor, e.reader, e.action, e.seriesInstanceUID, JSON.stringify(e.detail), e.before === null ? '' : JSON.stringify(e.before), e.after === null ? '' : JSON.stringify(e.after)].map(csvCell).join(','));
  }
  return Buffer.from(rows.join('\r\n') + '\r\n', 'utf8');
}
