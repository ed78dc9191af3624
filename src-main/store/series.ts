// Write side of the series table: one row per (SeriesInstanceUID, part) with its warnings.
import type { Db } from './db';
import type { Warning } from '../shared/types';

export interface SeriesRowInput {
  seriesInstanceUID: string;
  partKey: string;
  modality: string;
  seriesNumber: number | null;
  description: string | null;
  bodyPart: string | null;
  sliceThickness: number | null;
  isLocalizer: boolean;
  warnings: Warning[];
}

export function upsertSeries(db: Db, studyRef: number, s: SeriesRowInput, importedAt: string): number {
  db.prepare(
    `INSERT INTO series (series_uid, part_key, study_ref, modality, series_number, description, body_part, slice_thickness,
                         is_localizer, warnings_json, imported_at)
     VALUES (@uid, @partKey, @studyRef, @modality, @seriesNumber, @description, @bodyPart, @sliceThickness, @isLocalizer, @warnings, @importedAt)
     ON CONFLICT (series_uid, part_key) DO UPDATE SET warnings_json = excluded.warnings_json, is_localizer = excluded.is_localizer`,
  ).run({
    uid: s.seriesInstanceUID,
    partKey: s.partKey,
    studyRef,
    modality: s.modality,
    seriesNumber: s.seriesNumber,
    description: s.description,
    bodyPart: s.bodyPart,
    sliceThickness: s.sliceThickness,
    isLocalizer: s.isLocalizer ? 1 : 0,
    warnings: JSON.stringify(s.warnings),
    importedAt,
  });
  return (db.prepare('SELECT id FROM series WHERE series_uid = ? AND part_key = ?').get(s.seriesInstanceUID, s.partKey) as { id: number }).id;
}

/** Row ids of every part of a series (a split series has several). */
export function seriesRowIds(db: Db, seriesInstanceUID: string): number[] {
  return (db.prepare('SELECT id FROM series WHERE series_uid = ? ORDER BY id').all(seriesInstanceUID) as { id: number }[]).map((r) => r.id);
}

export function seriesExists(db: Db, seriesInstanceUID: string): boolean {
  return db.prepare('SELECT 1 FROM series WHERE series_uid = ? LIMIT 1').get(seriesInstanceUID) !== undefined;
}
