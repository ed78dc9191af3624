// Worklist queries over patients/studies/series/volumes: search, sort, paginate.
import type { Db } from './db';
import type { ParsedInput } from '../shared/api';
import type { CaseList, PatientInfo, SeriesSummary, StudyInfo, StudyRow, VolumeInfo, Warning } from '../shared/types';
import type { VolumeGeometry } from '../shared/geometry';
import { volumePath } from '../shared/api';

interface StudyDbRow {
  id: number;
  study_uid: string;
  study_date: string | null;
  description: string | null;
  accession_number: string | null;
  patient_id: string;
  patient_name: string;
  birth_date: string | null;
  sex: string | null;
}

interface SeriesDbRow {
  id: number;
  study_ref: number;
  series_uid: string;
  series_number: number | null;
  modality: string;
  description: string | null;
  slice_thickness: number | null;
  is_localizer: number;
  warnings_json: string;
  instance_count: number;
  volume_id: string | null;
  geometry_json: string | null;
  volume_warnings_json: string | null;
}

const SORT_COLUMNS = {
  studyDate: 'st.study_date',
  patientName: 'p.patient_name',
  patientId: 'p.patient_id',
  importedAt: 'st.imported_at',
} as const;

function patientOf(r: StudyDbRow): PatientInfo {
  return { patientId: r.patient_id, patientName: r.patient_name, birthDate: r.birth_date, sex: r.sex };
}
function studyOf(r: StudyDbRow): StudyInfo {
  return { studyInstanceUID: r.study_uid, studyDate: r.study_date, description: r.description, accessionNumber: r.accession_number };
}

function seriesOf(r: SeriesDbRow): SeriesSummary {
  const warnings: Warning[] = [...JSON.parse(r.warnings_json), ...(r.volume_warnings_json ? JSON.parse(r.volume_warnings_json) : [])];
  const geometry: VolumeGeometry | null = r.geometry_json ? JSON.parse(r.geometry_json) : null;
  return {
    seriesInstanceUID: r.series_uid,
    seriesNumber: r.series_number,
    modality: r.modality,
    description: r.description,
    instanceCount: r.instance_count,
    sliceThicknessMm: r.slice_thickness,
    isLocalizer: r.is_localizer === 1,
    volumeId: r.volume_id,
    dims: geometry ? geometry.dims : null,
    warnings,
  };
}

const SERIES_SELECT = `
  SELECT s.id, s.study_ref, s.series_uid, s.series_number, s.modality, s.description, s.slice_thickness, s.is_localizer,
         s.warnings_json,
         (SELECT COUNT(*) FROM instances i WHERE i.series_ref = s.id) AS instance_count,
         v.id AS volume_id, v.geometry_json, v.warnings_json AS volume_warnings_json
  FROM series s LEFT JOIN volumes v ON v.series_ref = s.id`;

export function listStudies(db: Db, q: ParsedInput<'cases.list'>): CaseList {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (q.text) {
    where.push(`(p.patient_name LIKE @text ESCAPE '\\' OR p.patient_id LIKE @text ESCAPE '\\' OR st.accession_number LIKE @text ESCAPE '\\' OR st.description LIKE @text ESCAPE '\\')`);
    params.text = `%${q.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  }
  if (q.modality) {
    where.push(`EXISTS (SELECT 1 FROM series s2 WHERE s2.study_ref = st.id AND s2.modality = @modality)`);
    params.modality = q.modality;
  }
  if (q.dateFrom) {
    where.push('st.study_date >= @dateFrom');
    params.dateFrom = q.dateFrom;
  }
  if (q.dateTo) {
    where.push('st.study_date <= @dateTo');
    params.dateTo = q.dateTo;
  }
  if (q.unread) {
    // Unread: a series with a volume and no signed local read (issue 11).
    where.push(`EXISTS (SELECT 1 FROM series s3 JOIN volumes v3 ON v3.series_ref = s3.id WHERE s3.study_ref = st.id AND NOT EXISTS (
      SELECT 1 FROM reads r WHERE r.series_uid = s3.series_uid AND r.origin = 'local' AND r.state IN ('signed', 'addended', 'addendum')))`);
  }
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const from = `FROM studies st JOIN patients p ON p.id = st.patient_ref ${whereSql}`;
  const total = (db.prepare(`SELECT COUNT(*) AS n ${from}`).get(params) as { n: number }).n;
  const order = q.order === 'asc' ? 'ASC' : 'DESC';
  const rows = db
    .prepare(
      `SELECT st.id, st.study_uid, st.study_date, st.description, st.accession_number,
              p.patient_id, p.patient_name, p.birth_date, p.sex
       ${from} ORDER BY ${SORT_COLUMNS[q.sort]} ${order}, st.id ${order} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit: q.limit, offset: q.offset }) as StudyDbRow[];
  const studies: StudyRow[] = [];
  const seriesStmt = db.prepare(`${SERIES_SELECT} WHERE s.study_ref = ? ORDER BY s.series_number, s.id`);
  for (const r of rows) {
    const series = (seriesStmt.all(r.id) as SeriesDbRow[]).map(seriesOf);
    studies.push({ patient: patientOf(r), study: studyOf(r), series });
  }
  return { total, offset: q.offset, studies };
}

export interface SeriesDetail {
  patient: PatientInfo;
  study: StudyInfo;
  /** PatientAge (0010,1010) of the study, DICOM AS ('077Y'); null when the files had none. */
  patientAgeAtStudy: string | null;
  series: SeriesSummary;
  volume: VolumeInfo | null;
  cachePath: string | null;
}

/** One series (or one part of a split series, chosen by volumeId) with its cached volume, if any. */
export function getSeries(db: Db, seriesInstanceUID: string, volumeId?: string): SeriesDetail | null {
  const row = db
    .prepare(`${SERIES_SELECT} WHERE s.series_uid = @uid ${volumeId ? 'AND v.id = @vid' : ''} ORDER BY (v.id IS NULL), s.id LIMIT 1`)
    .get({ uid: seriesInstanceUID, vid: volumeId }) as SeriesDbRow | undefined;
  if (!row) return null;
  const st = db
    .prepare(
      `SELECT st.id, st.study_uid, st.study_date, st.description, st.accession_number, st.patient_age, p.patient_id, p.patient_name, p.birth_date, p.sex
       FROM studies st JOIN patients p ON p.id = st.patient_ref WHERE st.id = ?`,
    )
    .get(row.study_ref) as StudyDbRow & { patient_age: string | null };
  let volume: VolumeInfo | null = null;
  let cachePath: string | null = null;
  if (row.volume_id) {
    const v = db.prepare('SELECT * FROM volumes WHERE id = ?').get(row.volume_id) as {
      id: string; cache_path: string; geometry_json: string; warnings_json: string; min_hu: number; max_hu: number; byte_length: number;
    };
    cachePath = v.cache_path;
    volume = {
      volumeId: v.id,
      seriesInstanceUID,
      geometry: JSON.parse(v.geometry_json),
      warnings: JSON.parse(v.warnings_json),
      url: volumePath(v.id),
      byteLength: v.byte_length,
      dtype: 'int16',
      minHU: v.min_hu,
      maxHU: v.max_hu,
    };
  }
  return { patient: patientOf(st), study: studyOf(st), patientAgeAtStudy: st.patient_age, series: seriesOf(row), volume, cachePath };
}

export function volumeCachePath(db: Db, volumeId: string): { cachePath: string; byteLength: number } | null {
  const v = db.prepare('SELECT cache_path, byte_length FROM volumes WHERE id = ?').get(volumeId) as
    | { cache_path: string; byte_length: number }
    | undefined;
  return v ? { cachePath: v.cache_path, byteLength: v.byte_length } : null;
}
