// reads, read_marks, read_versions: the rows of a reader's review of one series. Assembling a Read (effective
// findings, exam conclusion) is the review service's job; this module only reads and writes rows.
import type { Db } from './db';
import type { Finding } from '../shared/types';
import { findingsOfRun, insertFindings } from './findings';
import { parseStoredFinding } from './findingRecord';
import type { MarkDecision, ReadingMode, ReadState, RejectReason } from '../shared/readTypes';

export interface ReadRow {
  id: string;
  series_uid: string;
  volume_ref: string;
  run_ref: string | null;
  origin: 'local' | 'imported-sr';
  mode: ReadingMode;
  state: ReadState;
  reader_ref: number | null;
  reader_name: string;
  reader_role: string;
  os_user: string;
  min_score: number;
  first_read_done_at: string | null;
  conclusion_json: string;
  started_at: string;
  signed_at: string | null;
  version: number;
  source_json: string | null;
}

export interface MarkRow {
  read_ref: string;
  finding_ref: string;
  ord: number;
  origin: 'cad' | 'reader';
  decision: MarkDecision;
  reject_reason: RejectReason | null;
  reject_text: string | null;
  edited_json: string | null;
  mask_ref: string | null;
  decided_at: string | null;
  data_json: string;
  schema_version: number;
}

export function insertRead(db: Db, r: Omit<ReadRow, 'conclusion_json' | 'signed_at' | 'version' | 'first_read_done_at'> & Partial<ReadRow>): void {
  db.prepare(
    `INSERT INTO reads (id, series_uid, volume_ref, run_ref, origin, mode, state, reader_ref, reader_name, reader_role, os_user, min_score,
       first_read_done_at, conclusion_json, started_at, signed_at, version, source_json)
     VALUES (@id, @series_uid, @volume_ref, @run_ref, @origin, @mode, @state, @reader_ref, @reader_name, @reader_role, @os_user, @min_score,
       @first_read_done_at, @conclusion_json, @started_at, @signed_at, @version, @source_json)`,
  ).run({ first_read_done_at: null, conclusion_json: '{}', signed_at: null, version: 0, ...r });
}

export function getReadRow(db: Db, readId: string): ReadRow | null {
  return (db.prepare('SELECT * FROM reads WHERE id = ?').get(readId) as ReadRow | undefined) ?? null;
}

/** The series' local read (there is at most one per series; imported SR layers are listed separately). */
export function localReadOfSeries(db: Db, seriesInstanceUID: string): ReadRow | null {
  return (db.prepare("SELECT * FROM reads WHERE series_uid = ? AND origin = 'local' ORDER BY started_at DESC LIMIT 1").get(seriesInstanceUID) as ReadRow | undefined) ?? null;
}

export function readsOfSeries(db: Db, seriesInstanceUID: string): ReadRow[] {
  return db.prepare('SELECT * FROM reads WHERE series_uid = ? ORDER BY started_at').all(seriesInstanceUID) as ReadRow[];
}

export function updateRead(db: Db, readId: string, fields: Partial<Pick<ReadRow, 'run_ref' | 'state' | 'first_read_done_at' | 'conclusion_json' | 'signed_at' | 'version'>>): void {
  const keys = Object.keys(fields) as (keyof typeof fields)[];
  if (!keys.length) return;
  db.prepare(`UPDATE reads SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`).run({ ...fields, id: readId });
}

export function marksOfRead(db: Db, readId: string): MarkRow[] {
  return db
    .prepare('SELECT m.*, f.data_json, f.schema_version FROM read_marks m JOIN findings f ON f.id = m.finding_ref WHERE m.read_ref = ? ORDER BY m.ord')
    .all(readId) as MarkRow[];
}

export function getMark(db: Db, readId: string, findingId: string): MarkRow | null {
  return (
    (db.prepare('SELECT m.*, f.data_json, f.schema_version FROM read_marks m JOIN findings f ON f.id = m.finding_ref WHERE m.read_ref = ? AND m.finding_ref = ?').get(readId, findingId) as
      | MarkRow
      | undefined) ?? null
  );
}

export function insertMark(db: Db, m: Omit<MarkRow, 'data_json' | 'schema_version'>): void {
  db.prepare(
    `INSERT INTO read_marks (read_ref, finding_ref, ord, origin, decision, reject_reason, reject_text, edited_json, mask_ref, decided_at)
     VALUES (@read_ref, @finding_ref, @ord, @origin, @decision, @reject_reason, @reject_text, @edited_json, @mask_ref, @decided_at)`,
  ).run(m);
}

export function updateMark(
  db: Db,
  readId: string,
  findingId: string,
  f: Partial<Pick<MarkRow, 'decision' | 'reject_reason' | 'reject_text' | 'edited_json' | 'mask_ref' | 'decided_at'>>,
): void {
  const keys = Object.keys(f) as (keyof typeof f)[];
  db.prepare(`UPDATE read_marks SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE read_ref = @read AND finding_ref = @finding`).run({ ...f, read: readId, finding: findingId });
}

export function nextMarkOrd(db: Db, readId: string): number {
  return ((db.prepare('SELECT MAX(ord) AS m FROM read_marks WHERE read_ref = ?').get(readId) as { m: number | null }).m ?? -1) + 1;
}

/** A reader-added (or SR-imported) nodule: a finding row of source 'reader', not tied to a CAD run. */
export function insertReaderFinding(db: Db, volumeId: string, f: Finding): void {
  insertFindings(db, volumeId, [{ ...f, source: 'reader', runId: null }]);
}

/** The finding of a mark row, read through the stored-finding schema. */
export function findingOfMark(m: MarkRow): Finding {
  return parseStoredFinding(m.finding_ref, m.schema_version, m.data_json);
}

export function insertVersion(db: Db, readId: string, version: number, kind: 'signed' | 'addendum', reason: string | null, snapshot: unknown, at: string): void {
  db.prepare('INSERT INTO read_versions (read_ref, version, kind, reason, snapshot_json, signed_at) VALUES (?, ?, ?, ?, ?, ?)').run(readId, version, kind, reason, JSON.stringify(snapshot), at);
}

export function versionsOfRead(db: Db, readId: string): { version: number; kind: 'signed' | 'addendum'; reason: string | null; snapshot_json: string; signed_at: string }[] {
  return db.prepare('SELECT version, kind, reason, snapshot_json, signed_at FROM read_versions WHERE read_ref = ? ORDER BY version').all(readId) as {
    version: number;
    kind: 'signed' | 'addendum';
    reason: string | null;
    snapshot_json: string;
    signed_at: string;
  }[];
}

/** The latest completed CAD run of a volume and its findings. */
export function latestDoneRun(db: Db, volumeId: string): { id: string; findings: Finding[] } | null {
  const run = db.prepare("SELECT id FROM cad_runs WHERE volume_ref = ? AND state = 'done' ORDER BY finished_at DESC, rowid DESC LIMIT 1").get(volumeId) as { id: string } | undefined;
  if (!run) return null;
  return { id: run.id, findings: findingsOfRun(db, run.id) };
}

/** The first volume of a series (the one reads attach to). */
export function volumeOfSeries(db: Db, seriesInstanceUID: string): string | null {
  const r = db.prepare('SELECT v.id FROM volumes v JOIN series s ON s.id = v.series_ref WHERE s.series_uid = ? ORDER BY v.created_at LIMIT 1').get(seriesInstanceUID) as { id: string } | undefined;
  return r?.id ?? null;
}

/** Series whose CAD marks are withheld: a local second-reader read in review before "first read done". */
export function cadBlinded(db: Db, seriesInstanceUID: string): boolean {
  return !!db
    .prepare("SELECT 1 FROM reads WHERE series_uid = ? AND origin = 'local' AND mode = 'second-reader' AND first_read_done_at IS NULL AND state = 'in-review'")
    .get(seriesInstanceUID);
}

/** Patient facts a reader-added nodule's Brock needs (DICOM birth date, sex, study date). */
export function patientOfSeries(
  db: Db,
  seriesInstanceUID: string,
): { birth_date: string | null; sex: string | null; study_date: string | null; patient_age: string | null } | null {
  return (
    (db
      .prepare(
        'SELECT p.birth_date, p.sex, st.study_date, st.patient_age FROM series s JOIN studies st ON st.id = s.study_ref JOIN patients p ON p.id = st.patient_ref WHERE s.series_uid = ? LIMIT 1',
      )
      .get(seriesInstanceUID) as { birth_date: string | null; sex: string | null; study_date: string | null; patient_age: string | null } | undefined) ?? null
  );
}

/** The reason of the latest "start addendum" of a read, from its audit row. */
export function lastAddendumReason(db: Db, readId: string): string | null {
  const r = db
    .prepare("SELECT json_extract(detail_json, '$.reason') AS reason FROM audit WHERE action = 'reads.startAddendum' AND json_extract(detail_json, '$.readId') = ? ORDER BY id DESC LIMIT 1")
    .get(readId) as { reason: string | null } | undefined;
  return r?.reason ?? null;
}

/** Worklist facts of a series: its local read (state, latest signed conclusion) and its latest CAD run's findings count at minScore. */
export function seriesReviewFacts(db: Db, seriesInstanceUID: string, minScore: number): { read: ReadRow | null; signedSnapshot: string | null; cadCount: number | null } {
  const read = localReadOfSeries(db, seriesInstanceUID);
  const snap = read ? (db.prepare('SELECT snapshot_json FROM read_versions WHERE read_ref = ? ORDER BY version DESC LIMIT 1').get(read.id) as { snapshot_json: string } | undefined) : undefined;
  const run = db
    .prepare(
      `SELECT r.id FROM cad_runs r JOIN volumes v ON v.id = r.volume_ref JOIN series s ON s.id = v.series_ref
       WHERE s.series_uid = ? AND r.state = 'done' ORDER BY r.finished_at DESC, r.rowid DESC LIMIT 1`,
    )
    .get(seriesInstanceUID) as { id: string } | undefined;
  const cadCount = run
    ? (db.prepare("SELECT COUNT(*) AS n FROM findings WHERE run_ref = ? AND COALESCE(json_extract(data_json, '$.score'), 1) >= ?").get(run.id, minScore) as { n: number }).n
    : null;
  return { read, signedSnapshot: snap?.snapshot_json ?? null, cadCount };
}

/** The reader's edits (partial findings) of the series' local read, by finding id. */
export function readEditsOfSeries(db: Db, seriesInstanceUID: string): Map<string, Partial<Finding>> {
  const rows = db
    .prepare("SELECT m.finding_ref, m.edited_json FROM read_marks m JOIN reads r ON r.id = m.read_ref WHERE r.series_uid = ? AND r.origin = 'local' AND m.edited_json IS NOT NULL")
    .all(seriesInstanceUID) as { finding_ref: string; edited_json: string }[];
  return new Map(rows.map((r) => [r.finding_ref, JSON.parse(r.edited_json) as Partial<Finding>]));
}
