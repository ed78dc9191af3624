// Write side of the volumes table. The row is inserted only after its cache file is in place (see volumeCache).
import type { Db } from './db';
import type { VolumeGeometry } from '../shared/geometry';
import type { Warning } from '../shared/types';

export interface VolumeRowInput {
  volumeId: string;
  cachePath: string;
  geometry: VolumeGeometry;
  warnings: Warning[];
  minHU: number;
  maxHU: number;
  byteLength: number;
}

export function insertVolume(db: Db, seriesRef: number, v: VolumeRowInput, createdAt: string): void {
  db.prepare(
    `INSERT INTO volumes (id, series_ref, cache_path, geometry_json, warnings_json, min_hu, max_hu, byte_length, created_at)
     VALUES (@volumeId, @seriesRef, @cachePath, @geometry, @warnings, @minHU, @maxHU, @byteLength, @createdAt)`,
  ).run({ ...v, seriesRef, geometry: JSON.stringify(v.geometry), warnings: JSON.stringify(v.warnings), createdAt });
}

/** Volumes of a series part: id and cache path (relative to volumesDir). */
export function volumesOfSeries(db: Db, seriesRef: number): { id: string; cachePath: string }[] {
  return (db.prepare('SELECT id, cache_path FROM volumes WHERE series_ref = ?').all(seriesRef) as { id: string; cache_path: string }[]).map((r) => ({
    id: r.id,
    cachePath: r.cache_path,
  }));
}

export function deleteVolume(db: Db, volumeId: string): void {
  db.prepare('DELETE FROM volumes WHERE id = ?').run(volumeId);
}

/** A volume by id, or the first volume of a series (by SeriesInstanceUID). */
export function findVolume(db: Db, idOrSeriesUID: string): { id: string; cachePath: string; geometry: VolumeGeometry; seriesUID: string } | null {
  const r = db
    .prepare(
      `SELECT v.id, v.cache_path, v.geometry_json, s.series_uid FROM volumes v JOIN series s ON s.id = v.series_ref
       WHERE v.id = @q OR s.series_uid = @q ORDER BY (v.id = @q) DESC, v.created_at LIMIT 1`,
    )
    .get({ q: idOrSeriesUID }) as { id: string; cache_path: string; geometry_json: string; series_uid: string } | undefined;
  return r ? { id: r.id, cachePath: r.cache_path, geometry: JSON.parse(r.geometry_json), seriesUID: r.series_uid } : null;
}

/** Ids of the volumes of every part of a series, oldest first. */
export function volumeIdsOfSeries(db: Db, seriesInstanceUID: string): string[] {
  return (
    db.prepare('SELECT v.id FROM volumes v JOIN series s ON s.id = v.series_ref WHERE s.series_uid = ? ORDER BY v.created_at, v.id').all(seriesInstanceUID) as { id: string }[]
  ).map((r) => r.id);
}

/** The SeriesInstanceUID a volume belongs to, or null. */
export function seriesUidOfVolume(db: Db, volumeId: string): string | null {
  const r = db.prepare('SELECT s.series_uid FROM volumes v JOIN series s ON s.id = v.series_ref WHERE v.id = ?').get(volumeId) as { series_uid: string } | undefined;
  return r ? r.series_uid : null;
}

/** Every cache file the index refers to (relative to volumesDir): what an orphan sweep must keep. */
export function cachePathsInUse(db: Db): Set<string> {
  return new Set((db.prepare('SELECT cache_path FROM volumes').all() as { cache_path: string }[]).map((r) => r.cache_path));
}
