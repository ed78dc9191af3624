// C-FIND / QIDO-RS query keys from the Query page's filters, and matches turned into flat rows. Matches come
// from the peer: every value is treated as untrusted text (coerced to strings, length-capped).
import type { QueryFilters, QueryLevel, QueryRow } from '../shared/netTypes';

export type { QueryFilters };


function dateRange(f: QueryFilters): string {
  if (!f.dateFrom && !f.dateTo) return '';
  if (f.dateFrom && f.dateFrom === f.dateTo) return f.dateFrom;
  return `${f.dateFrom ?? ''}-${f.dateTo ?? ''}`;
}

/** Keys for a study- or series-level C-FIND: the filters as matching keys, the rest as empty return keys. */
export function findKeys(level: QueryLevel, f: QueryFilters): Record<string, string> {
  const study: Record<string, string> = {
    PatientID: f.patientId ?? '',
    PatientName: f.patientName ?? '',
    StudyDate: dateRange(f),
    AccessionNumber: f.accessionNumber ?? '',
    StudyInstanceUID: f.studyInstanceUID ?? '',
    StudyDescription: '',
    ModalitiesInStudy: f.modality ?? '',
    NumberOfStudyRelatedInstances: '',
  };
  if (level === 'study') return study;
  return { SeriesInstanceUID: '', SeriesDescription: '', SeriesNumber: '', Modality: f.modality ?? '', NumberOfSeriesRelatedInstances: '' };
}

/** QIDO-RS query parameters for the same filters. */
export function qidoParams(level: QueryLevel, f: QueryFilters): URLSearchParams {
  const p = new URLSearchParams();
  const date = dateRange(f);
  if (f.patientId) p.set('PatientID', f.patientId);
  if (f.patientName) p.set('PatientName', f.patientName);
  if (date) p.set('StudyDate', date);
  if (f.accessionNumber) p.set('AccessionNumber', f.accessionNumber);
  if (f.modality) p.set(level === 'study' ? 'ModalitiesInStudy' : 'Modality', f.modality);
  const include =
    level === 'study'
      ? ['StudyDescription', 'ModalitiesInStudy', 'NumberOfStudyRelatedInstances']
      : ['SeriesDescription', 'SeriesNumber', 'NumberOfSeriesRelatedInstances', 'PatientID', 'PatientName', 'StudyDate'];
  for (const i of include) p.append('includefield', i);
  return p;
}

function text(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.map(text).join('\\');
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('Alphabetic' in o) return text(o.Alphabetic);
    return '';
  }
  return String(v).slice(0, 256).trim();
}

function count(v: unknown): number | null {
  const n = Number(text(v));
  return text(v) !== '' && Number.isFinite(n) && n >= 0 ? Math.floor(n) : null;
}

/** A C-FIND match (dcmjs naturalized keywords) as a row. */
export function toQueryRow(level: QueryLevel, e: Record<string, unknown>): QueryRow {
  return {
    level,
    patientId: text(e.PatientID),
    patientName: text(e.PatientName),
    studyInstanceUID: text(e.StudyInstanceUID),
    studyDate: text(e.StudyDate),
    studyDescription: text(e.StudyDescription),
    accessionNumber: text(e.AccessionNumber),
    modalities: text(level === 'study' ? e.ModalitiesInStudy : e.Modality),
    seriesInstanceUID: text(e.SeriesInstanceUID),
    seriesDescription: text(e.SeriesDescription),
    seriesNumber: text(e.SeriesNumber),
    numberOfInstances: count(level === 'study' ? e.NumberOfStudyRelatedInstances : e.NumberOfSeriesRelatedInstances),
  };
}

const TAGS: Record<string, string> = {
  PatientID: '00100020',
  PatientName: '00100010',
  StudyInstanceUID: '0020000D',
  StudyDate: '00080020',
  StudyDescription: '00081030',
  AccessionNumber: '00080050',
  ModalitiesInStudy: '00080061',
  Modality: '00080060',
  SeriesInstanceUID: '0020000E',
  SeriesDescription: '0008103E',
  SeriesNumber: '00200011',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
};

/** A QIDO-RS (DICOM JSON) match as a row. */
export function qidoToQueryRow(level: QueryLevel, json: Record<string, { Value?: unknown[] } | undefined>): QueryRow {
  const e: Record<string, unknown> = {};
  for (const [k, tag] of Object.entries(TAGS)) {
    const v = json[tag]?.Value;
    if (Array.isArray(v)) e[k] = v.length === 1 ? v[0] : v;
  }
  return toQueryRow(level, e);
}
