// measurements: reader measurements (length), one row each, on the volume they were drawn on.
import type { Db } from './db';
import type { Measurement } from '../shared/types';

interface MeasurementRow {
  id: string;
  volume_ref: string;
  kind: 'length';
  points_json: string;
  length_mm: number;
  label: string | null;
  created_at: string;
}

export function insertMeasurement(db: Db, volumeId: string, m: Measurement): void {
  db.prepare('INSERT INTO measurements (id, volume_ref, kind, points_json, length_mm, label, created_at) VALUES (?,?,?,?,?,?,?)').run(
    m.id,
    volumeId,
    m.kind,
    JSON.stringify(m.pointsLPS),
    m.lengthMm,
    m.label,
    m.createdAt,
  );
}

/** The stored row as it is (what an audit row of a deletion records), or null. */
export function measurementRow(db: Db, id: string): MeasurementRow | null {
  return (db.prepare('SELECT * FROM measurements WHERE id = ?').get(id) as MeasurementRow | undefined) ?? null;
}

export function deleteMeasurement(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM measurements WHERE id = ?').run(id).changes > 0;
}

export function measurementsOfVolumes(db: Db, volumeIds: string[], seriesInstanceUID: string): Measurement[] {
  if (!volumeIds.length) return [];
  const rows = db
    .prepare(`SELECT * FROM measurements WHERE volume_ref IN (${volumeIds.map(() => '?').join(',')}) ORDER BY created_at`)
    .all(...volumeIds) as MeasurementRow[];
  return rows.map((r) => ({
    id: r.id,
    seriesInstanceUID,
    kind: r.kind,
    pointsLPS: JSON.parse(r.points_json) as Measurement['pointsLPS'],
    lengthMm: r.length_mm,
    label: r.label,
    createdAt: r.created_at,
  }));
}
