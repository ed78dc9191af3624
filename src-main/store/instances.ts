// Write side of the instances table, and the lookups that let a re-import skip what is already indexed.
import type { Db } from './db';

export interface InstanceRowInput {
  sopInstanceUID: string;
  file: string;
  transferSyntaxUID: string;
  size: number;
  mtimeMs: number;
  instanceNumber: number | null;
  frames: number;
}

export function insertInstances(db: Db, seriesRef: number, rows: InstanceRowInput[]): number {
  const stmt = db.prepare(
    `INSERT INTO instances (sop_uid, series_ref, file_path, transfer_syntax, size, mtime, instance_number, frames)
     VALUES (@sopInstanceUID, @seriesRef, @file, @transferSyntaxUID, @size, @mtimeMs, @instanceNumber, @frames)
     ON CONFLICT (sop_uid) DO NOTHING`,
  );
  let n = 0;
  for (const r of rows) n += stmt.run({ ...r, seriesRef }).changes;
  return n;
}

export interface KnownFile {
  size: number;
  mtimeMs: number;
}

/** Indexed files by path: a file with the same size and mtime is skipped without reading it. */
export function knownFiles(db: Db): Map<string, KnownFile> {
  const m = new Map<string, KnownFile>();
  for (const r of db.prepare('SELECT file_path, size, mtime FROM instances').iterate() as Iterable<{ file_path: string; size: number; mtime: number }>) {
    m.set(r.file_path, { size: r.size, mtimeMs: r.mtime });
  }
  return m;
}

/** The subset of the given SOP Instance UIDs that the index already holds, with their file. */
export function indexedSops(db: Db, uids: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const stmt = db.prepare('SELECT sop_uid, file_path FROM instances WHERE sop_uid = ?');
  for (const u of uids) {
    const r = stmt.get(u) as { sop_uid: string; file_path: string } | undefined;
    if (r) out.set(r.sop_uid, r.file_path);
  }
  return out;
}

export function instanceFilesOfSeries(db: Db, seriesRef: number): string[] {
  return (db.prepare('SELECT file_path FROM instances WHERE series_ref = ? ORDER BY instance_number, id').all(seriesRef) as { file_path: string }[]).map(
    (r) => r.file_path,
  );
}

/** Series that have a volume and an instance file under the folder `prefix` (ending in the path separator). */
export function seriesWithVolumeUnder(db: Db, prefix: string): string[] {
  const rows = db
    .prepare(
      `SELECT DISTINCT s.series_uid FROM instances i JOIN series s ON s.id = i.series_ref JOIN volumes v ON v.series_ref = s.id
       WHERE substr(i.file_path, 1, ?) = ? ORDER BY s.series_uid`,
    )
    .all(prefix.length, prefix) as { series_uid: string }[];
  return rows.map((r) => r.series_uid);
}
