// The audit trail of the series: who (reader, OS user), when, what, before → after; exportable as CSV.
import { useEffect, useState } from 'react';
import type { AuditEntry } from '../../src-main/shared/readTypes';
import { api } from '../api/client';
import { download } from './download';

const short = (v: unknown): string => (v === null || v === undefined ? '' : JSON.stringify(v).slice(0, 80));

export function AuditTable({ seriesInstanceUID, version }: { seriesInstanceUID: string; version: number }) {
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api()
      .call('audit.list', { seriesInstanceUID })
      .then(setRows)
      .catch((e: Error) => setError(e.message));
  }, [seriesInstanceUID, version]);
  return (
    <details className="audit" data-testid="audit">
      <summary>Audit trail ({rows.length})</summary>
      {error && <div className="error small-text">{error}</div>}
      <button className="small" onClick={() => void api().call('audit.exportCsv', { seriesInstanceUID }).then(download)} data-testid="audit-export">
        Export CSV
      </button>
      <table className="audit-table" data-testid="audit-table">
        <thead>
          <tr>
            <th>When (UTC)</th>
            <th>Who</th>
            <th>What</th>
            <th>Before → after</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.id} data-testid="audit-row" data-action={r.action}>
              <td>{r.at.replace('T', ' ').slice(0, 19)}</td>
              <td>
                {r.reader ?? '—'} <span className="muted">[{r.actor}]</span>
              </td>
              <td>{r.action}</td>
              <td className="muted">
                {short(r.before)}
                {r.after !== null ? ` → ${short(r.after)}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
