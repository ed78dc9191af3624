// Reader review of CAD output: Brock inputs entered by the reader (recomputed, stored, audited) and the exam-level
// Lung-RADS category of the latest completed CAD run at the run's own stored operating point.
import { writeAudit } from '../store/audit';
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import { ApiError } from '../shared/errors';
import type { BrockInputs, Finding } from '../shared/types';
import type { ExamLungRads } from '../shared/cadTypes';
import { OPERATING_POINT } from '../cad/computeCad';
import { brockFromInputs, patientFacts } from '../cad/brockInputs';
import { examCategory, findingsAtOperatingPoint } from '../cad/examCategory';

interface FindingRow {
  data_json: string;
  volume_ref: string;
  run_ref: string | null;
  source: string;
  birth_date: string | null;
  sex: string | null;
  study_date: string | null;
  patient_age: string | null;
}

/** A run's stored operating point; runs recorded before it was stored used the app's fixed default. */
function operatingPointOf(paramsJson: string | null): number {
  const v = paramsJson ? (JSON.parse(paramsJson) as { operatingPoint?: unknown }).operatingPoint : undefined;
  return typeof v === 'number' ? v : OPERATING_POINT;
}


function loadFinding(ctx: AppContext, findingId: string): FindingRow {
  const row = ctx.db
    .prepare(
      `SELECT f.data_json, f.volume_ref, f.run_ref, f.source, p.birth_date, p.sex, st.study_date, st.patient_age
       FROM findings f JOIN volumes v ON v.id = f.volume_ref JOIN series s ON s.id = v.series_ref
       JOIN studies st ON st.id = s.study_ref JOIN patients p ON p.id = st.patient_ref WHERE f.id = ?`,
    )
    .get(findingId) as FindingRow | undefined;
  if (!row) throw new ApiError('not_found', `No finding ${findingId}`, 'findingId');
  return row;
}

/** Nodules the Brock count defaults to: the findings of the run at its operating point, or of the source on the volume. */
function defaultCount(ctx: AppContext, row: FindingRow): number {
  if (row.run_ref) {
    const run = ctx.db.prepare('SELECT params_json FROM cad_runs WHERE id = ?').get(row.run_ref) as { params_json: string | null } | undefined;
    const all = (ctx.db.prepare('SELECT data_json FROM findings WHERE run_ref = ?').all(row.run_ref) as { data_json: string }[]).map((r) => JSON.parse(r.data_json) as Finding);
    return Math.max(1, findingsAtOperatingPoint(all, operatingPointOf(run?.params_json ?? null)).length);
  }
  const r = ctx.db.prepare('SELECT COUNT(*) AS n FROM findings WHERE volume_ref = ? AND source = ?').get(row.volume_ref, row.source);
  return Math.max(1, (r as { n: number }).n);
}

type BrockRequest = Parameters<Handlers['findings.setBrockInputs']>[0];

export function setBrockInputs(ctx: AppContext, req: BrockRequest): Finding {
  if (ctx.readOnly) throw new ApiError('read_only', ctx.readOnlyReason ?? 'The database is read-only');
  const row = loadFinding(ctx, req.findingId);
  const f = JSON.parse(row.data_json) as Finding;
  if (f.diameterMm === null || !(f.diameterMm > 0) || f.type === null) {
    throw new ApiError('validation', `Finding ${f.label} has no measured diameter and type, which Brock needs`, 'findingId');
  }
  const prior = f.brockInputs ?? null;
  const upperLobe = req.upperLobe ?? prior?.upperLobe ?? null;
  if (upperLobe === null) throw new ApiError('validation', `The lobe of ${f.label} is not known: say whether it is in an upper lobe`, 'upperLobe');
  // Age and sex from DICOM (PatientAge, else birth date vs study date; PatientSex). The reader may enter one only
  // where DICOM has none — never over what the images say — and the audit row records it.
  const dicom = patientFacts({ patientAge: row.patient_age, birthDate: row.birth_date, studyDate: row.study_date, sex: row.sex });
  if (req.ageYears !== undefined && dicom.ageYears !== null) throw new ApiError('validation', `The age is known from DICOM (${dicom.ageYears} years) and cannot be overridden`, 'ageYears');
  if (req.sex !== undefined && dicom.sex !== null) throw new ApiError('validation', `The sex is known from DICOM (${dicom.sex}) and cannot be overridden`, 'sex');
  const readerAge = dicom.ageYears === null ? (req.ageYears ?? (prior?.origin.ageYears === 'reader' ? prior.ageYears : null)) : null;
  const readerSex = dicom.sex === null ? (req.sex ?? (prior?.origin.sex === 'reader' ? prior.sex : null)) : null;
  const inputs: BrockInputs = {
    ageYears: dicom.ageYears ?? readerAge,
    sex: dicom.sex ?? readerSex,
    familyHistory: req.familyHistory,
    emphysema: req.emphysema,
    spiculation: req.spiculation,
    upperLobe,
    noduleCount: req.noduleCount ?? prior?.noduleCount ?? defaultCount(ctx, row),
    origin: {
      familyHistory: 'reader',
      emphysema: 'reader',
      spiculation: 'reader',
      upperLobe: req.upperLobe !== undefined ? 'reader' : (prior?.origin.upperLobe ?? 'cad'),
      noduleCount: req.noduleCount !== undefined ? 'reader' : (prior?.origin.noduleCount ?? 'cad'),
      ageYears: dicom.ageYears !== null ? 'dicom' : readerAge !== null ? 'reader' : 'dicom',
      sex: dicom.sex !== null ? 'dicom' : readerSex !== null ? 'reader' : 'dicom',
    },
    enteredAt: new Date().toISOString(),
  };
  const updated: Finding = { ...f, brockInputs: inputs, brock: brockFromInputs(inputs, f.diameterMm, f.type) };
  ctx.db.transaction(() => {
    ctx.db.prepare('UPDATE findings SET data_json = ? WHERE id = ?').run(JSON.stringify(updated), f.id);
    writeAudit(ctx.db, 'findings.setBrockInputs', { findingId: f.id, seriesInstanceUID: f.seriesInstanceUID, before: { brock: f.brock, brockInputs: prior }, after: { brock: updated.brock, brockInputs: inputs } }, inputs.enteredAt ?? undefined);
  })();
  return updated;
}

/**
 * Exam Lung-RADS of the latest completed CAD run from the findings that count before review: those at the run's
 * own stored operating point. A display filter never enters (the request's minScore is ignored).
 */
export function examLungRads(ctx: AppContext, seriesInstanceUID: string): ExamLungRads {
  const run = ctx.db
    .prepare(
      `SELECT r.id, r.params_json FROM cad_runs r JOIN volumes v ON v.id = r.volume_ref JOIN series s ON s.id = v.series_ref
       WHERE s.series_uid = ? AND r.state = 'done' ORDER BY r.finished_at DESC, r.rowid DESC LIMIT 1`,
    )
    .get(seriesInstanceUID) as { id: string; params_json: string | null } | undefined;
  if (!run) return { runId: null, category: null, reason: 'No completed CAD run for this series', minScore: OPERATING_POINT, noduleCount: 0 };
  const op = operatingPointOf(run.params_json);
  const all = (ctx.db.prepare('SELECT data_json FROM findings WHERE run_ref = ? ORDER BY rowid').all(run.id) as { data_json: string }[]).map((r) => JSON.parse(r.data_json) as Finding);
  const e = examCategory(findingsAtOperatingPoint(all, op));
  return { runId: run.id, category: e.category, reason: e.reason, minScore: op, noduleCount: e.noduleCount };
}

export function reviewHandlers(ctx: AppContext): Pick<Handlers, 'findings.setBrockInputs' | 'cad.examLungRads'> {
  return {
    'findings.setBrockInputs': (req) => setBrockInputs(ctx, req),
    'cad.examLungRads': ({ seriesInstanceUID }) => {
      if (!ctx.db.prepare('SELECT 1 FROM series WHERE series_uid = ?').get(seriesInstanceUID)) {
        throw new ApiError('not_found', `No series ${seriesInstanceUID} in the case index`, 'seriesInstanceUID');
      }
      return examLungRads(ctx, seriesInstanceUID);
    },
  };
}
