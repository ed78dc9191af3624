// findings: each row holds the full Finding as JSON (data_json, read through findingRecord.ts) plus the columns
// queries filter on. CAD findings are current only for the latest completed run of their volume.
import type { Db } from './db';
import type { Finding } from '../shared/types';
import { FINDING_SCHEMA_VERSION, parseStoredFinding } from './findingRecord';

interface DataRow {
  id: string;
  schema_version: number;
  data_json: string;
}

const toFinding = (r: DataRow): Finding => parseStoredFinding(r.id, r.schema_version, r.data_json);

/** Inserts findings; call inside the caller's transaction when they belong to a run. */
export function insertFindings(db: Db, volumeId: string, findings: Finding[]): void {
  const stmt = db.prepare(
    'INSERT INTO findings (id, volume_ref, run_ref, source, label, data_json, schema_version, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const now = new Date().toISOString();
  for (const f of findings) stmt.run(f.id, volumeId, f.runId, f.source, f.label, JSON.stringify(f), FINDING_SCHEMA_VERSION, now);
}

/** A run's findings in the order the run stored them. */
export function findingsOfRun(db: Db, runId: string): Finding[] {
  return (db.prepare('SELECT id, schema_version, data_json FROM findings WHERE run_ref = ? ORDER BY rowid').all(runId) as DataRow[]).map(toFinding);
}

/** The current findings of some volumes: reader and reference findings, and CAD findings of each volume's latest
 * completed run (an older run's findings are history, not current marks). */
export function currentFindings(db: Db, volumeIds: string[], source?: Finding['source']): Finding[] {
  if (!volumeIds.length) return [];
  const rows = db
    .prepare(
      `SELECT f.id, f.schema_version, f.data_json FROM findings f
       WHERE f.volume_ref IN (${volumeIds.map(() => '?').join(',')}) ${source ? 'AND f.source = ?' : ''}
         AND (f.source <> 'cad' OR f.run_ref = (
           SELECT r.id FROM cad_runs r WHERE r.volume_ref = f.volume_ref AND r.state = 'done'
           ORDER BY r.finished_at DESC, r.rowid DESC LIMIT 1))
       ORDER BY f.rowid`,
    )
    .all(...volumeIds, ...(source ? [source] : [])) as DataRow[];
  return rows.map(toFinding);
}

/** A finding with what Brock and the exam need from its record: volume, run, and the patient's DICOM data. */
export interface FindingInContext {
  finding: Finding;
  volumeId: string;
  runId: string | null;
  source: Finding['source'];
  patient: { birthDate: string | null; sex: string | null };
  studyDate: string | null;
  /** PatientAge (0010,1010) of the study, DICOM AS; null when absent. */
  patientAge: string | null;
}

export function findingInContext(db: Db, findingId: string): FindingInContext | null {
  const row = db
    .prepare(
      `SELECT f.id, f.schema_version, f.data_json, f.volume_ref, f.run_ref, f.source, p.birth_date, p.sex, st.study_date, st.patient_age
       FROM findings f JOIN volumes v ON v.id = f.volume_ref JOIN series s ON s.id = v.series_ref
       JOIN studies st ON st.id = s.study_ref JOIN patients p ON p.id = st.patient_ref WHERE f.id = ?`,
    )
    .get(findingId) as
    | (DataRow & { volume_ref: string; run_ref: string | null; source: Finding['source']; birth_date: string | null; sex: string | null; study_date: string | null; patient_age: string | null })
    | undefined;
  if (!row) return null;
  return {
    finding: toFinding(row),
    volumeId: row.volume_ref,
    runId: row.run_ref,
    source: row.source,
    patient: { birthDate: row.birth_date, sex: row.sex },
    studyDate: row.study_date,
    patientAge: row.patient_age,
  };
}

/** Replaces a finding's stored data (same id); call inside the caller's transaction with its audit row. */
export function updateFinding(db: Db, f: Finding): void {
  db.prepare('UPDATE findings SET data_json = ?, label = ?, schema_version = ? WHERE id = ?').run(JSON.stringify(f), f.label, FINDING_SCHEMA_VERSION, f.id);
}

/** How many findings a run stored, or (without a run) how many of one source a volume holds. */
export function countFindings(db: Db, where: { runId: string } | { volumeId: string; source: Finding['source'] }): number {
  const r =
    'runId' in where
      ? db.prepare('SELECT COUNT(*) AS n FROM findings WHERE run_ref = ?').get(where.runId)
      : db.prepare('SELECT COUNT(*) AS n FROM findings WHERE volume_ref = ? AND source = ?').get(where.volumeId, where.source);
  return (r as { n: number }).n;
}

/** Replaces a volume's reference findings (e.g. LIDC reader outlines) in one transaction: never two copies. */
export function replaceReferenceFindings(db: Db, volumeId: string, findings: Finding[]): void {
  db.transaction(() => {
    db.prepare("DELETE FROM findings WHERE volume_ref = ? AND source = 'reference'").run(volumeId);
    insertFindings(db, volumeId, findings);
  })();
}
