// findings.list and measurements.*: findings are data; the viewer draws views of them.
import crypto from 'node:crypto';
import { writeAudit } from '../store/audit';
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import { ApiError } from '../shared/errors';
import type { Finding, Measurement } from '../shared/types';
import type { Vec3 } from '../shared/geometry';
import { cadBlinded, readEditsOfSeries } from '../store/reads';

function volumeIdsOf(ctx: AppContext, seriesInstanceUID: string): string[] {
  const rows = ctx.db
    .prepare('SELECT v.id FROM volumes v JOIN series s ON s.id = v.series_ref WHERE s.series_uid = ?')
    .all(seriesInstanceUID) as { id: string }[];
  if (!rows.length) throw new ApiError('not_found', `No volume for series ${seriesInstanceUID}`);
  return rows.map((r) => r.id);
}

export function findingHandlers(ctx: AppContext): Pick<Handlers, 'findings.list' | 'measurements.add' | 'measurements.list' | 'measurements.delete'> {
  return {
    'findings.list': ({ seriesInstanceUID, source }) => {
      // CAD findings come from the latest completed run of each volume only: an older run's findings are history,
      // not current marks. Reader and reference findings are always current.
      const ids = volumeIdsOf(ctx, seriesInstanceUID);
      const rows = ctx.db
        .prepare(
          `SELECT f.data_json FROM findings f
           WHERE f.volume_ref IN (${ids.map(() => '?').join(',')}) ${source ? 'AND f.source = ?' : ''}
             AND (f.source <> 'cad' OR f.run_ref = (
               SELECT r.id FROM cad_runs r WHERE r.volume_ref = f.volume_ref AND r.state = 'done'
               ORDER BY r.finished_at DESC, r.rowid DESC LIMIT 1))
           ORDER BY f.rowid`,
        )
        .all(...ids, ...(source ? [source] : [])) as { data_json: string }[];
      // The reader's edits in the read (moved centre, re-segmentation, type) are what the viewer draws.
      const edits = readEditsOfSeries(ctx.db, seriesInstanceUID);
      const findings = rows.map((r) => JSON.parse(r.data_json) as Finding).map((f) => (edits.has(f.id) ? { ...f, ...edits.get(f.id) } : f));
      // Second-reader mode: until "first read done" CAD marks are withheld here too, not merely hidden in the UI.
      return cadBlinded(ctx.db, seriesInstanceUID) ? findings.filter((f) => f.source !== 'cad') : findings;
    },
    'measurements.add': ({ seriesInstanceUID, kind, pointsLPS, label }) => {
      if (ctx.readOnly) throw new ApiError('read_only', ctx.readOnlyReason ?? 'The database is read-only');
      const [volumeId] = volumeIdsOf(ctx, seriesInstanceUID);
      const [a, b] = pointsLPS as [Vec3, Vec3];
      const m: Measurement = {
        id: crypto.randomUUID(),
        seriesInstanceUID,
        kind,
        pointsLPS: [a, b],
        lengthMm: Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]),
        label: label ?? null,
        createdAt: new Date().toISOString(),
      };
      ctx.db
        .prepare('INSERT INTO measurements (id, volume_ref, kind, points_json, length_mm, label, created_at) VALUES (?,?,?,?,?,?,?)')
        .run(m.id, volumeId, m.kind, JSON.stringify(m.pointsLPS), m.lengthMm, m.label, m.createdAt);
      return m;
    },
    'measurements.delete': ({ id }) => {
      if (ctx.readOnly) throw new ApiError('read_only', ctx.readOnlyReason ?? 'The database is read-only');
      const row = ctx.db.prepare('SELECT * FROM measurements WHERE id = ?').get(id) as Record<string, unknown> | undefined;
      if (!row) return { deleted: false };
      // A reader's measurement is part of the record: deleting it leaves an audit row with what was removed.
      ctx.db.transaction(() => {
        ctx.db.prepare('DELETE FROM measurements WHERE id = ?').run(id);
        writeAudit(ctx.db, 'measurements.delete', row);
      })();
      return { deleted: true };
    },
    'measurements.list': ({ seriesInstanceUID }) => {
      const ids = volumeIdsOf(ctx, seriesInstanceUID);
      const rows = ctx.db
        .prepare(`SELECT * FROM measurements WHERE volume_ref IN (${ids.map(() => '?').join(',')}) ORDER BY created_at`)
        .all(...ids) as { id: string; kind: 'length'; points_json: string; length_mm: number; label: string | null; created_at: string }[];
      return rows.map((r) => ({
        id: r.id,
        seriesInstanceUID,
        kind: r.kind,
        pointsLPS: JSON.parse(r.points_json),
        lengthMm: r.length_mm,
        label: r.label,
        createdAt: r.created_at,
      }));
    },
  };
}
