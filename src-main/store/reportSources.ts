// What a report needs from the index besides the read: the DICOM files of a series (their headers give the
// patient, study and the acquired slices' UIDs), and the models of a CAD run.
import type { Db } from './db';

export function instanceFilesOfSeriesUid(db: Db, seriesInstanceUID: string): string[] {
  return (db.prepare('SELECT i.file_path FROM instances i JOIN series s ON s.id = i.series_ref WHERE s.series_uid = ? ORDER BY i.instance_number, i.id').all(seriesInstanceUID) as { file_path: string }[]).map((r) => r.file_path);
}

export function runModels(db: Db, runId: string): { id: string; version: string }[] {
  const r = db.prepare('SELECT models_json FROM cad_runs WHERE id = ?').get(runId) as { models_json: string } | undefined;
  return r ? (JSON.parse(r.models_json) as { id: string; version: string }[]).map((m) => ({ id: m.id, version: m.version })) : [];
}

export function seriesExists(db: Db, seriesInstanceUID: string): boolean {
  return !!db.prepare('SELECT 1 FROM series WHERE series_uid = ?').get(seriesInstanceUID);
}

/** SeriesInstanceUIDs of the indexed instances among these SOP Instance UIDs. */
export function seriesOfSops(db: Db, sopUIDs: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const stmt = db.prepare('SELECT s.series_uid FROM instances i JOIN series s ON s.id = i.series_ref WHERE i.sop_uid = ?');
  for (const u of sopUIDs) {
    const r = stmt.get(u) as { series_uid: string } | undefined;
    if (r) out.set(u, r.series_uid);
  }
  return out;
}

/** The imported read made from an SR instance, if that SR was imported before. */
export function readOfSr(db: Db, sopInstanceUID: string): string | null {
  const r = db.prepare("SELECT id FROM reads WHERE origin = 'imported-sr' AND json_extract(source_json, '$.sopInstanceUID') = ?").get(sopInstanceUID) as { id: string } | undefined;
  return r?.id ?? null;
}
