// Reader review of CAD output: Brock inputs entered by the reader (recomputed, stored, audited) and the exam-level
// Lung-RADS category of the latest completed CAD run at the run's own stored operating point.
import { writeAudit } from '../store/audit';
import { countFindings, findingInContext, findingsOfRun, updateFinding, type FindingInContext } from '../store/findings';
import { getRun, latestDoneRunId } from '../store/cadRuns';
import { seriesExists } from '../store/series';
import { assertWritable } from './guards';
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import { ApiError } from '../shared/errors';
import type { BrockInputs, Finding } from '../shared/types';
import { CAD_DEFAULT_OPERATING_POINT, type ExamLungRads } from '../shared/cadTypes';
import { brockFromInputs, patientFacts } from '../cad/brockInputs';
import { examCategory, findingsAtOperatingPoint } from '../cad/examCategory';

/** A run's stored operating point; runs recorded before it was stored used the app's fixed default. */
function operatingPointOf(ctx: AppContext, runId: string): number {
  const v = getRun(ctx.db, runId)?.params.operatingPoint;
  return typeof v === 'number' ? v : CAD_DEFAULT_OPERATING_POINT;
}

function loadFinding(ctx: AppContext, findingId: string): FindingInContext {
  const row = findingInContext(ctx.db, findingId);
  if (!row) throw new ApiError('not_found', `No finding ${findingId}`, 'findingId');
  return row;
}

/** Nodules the Brock count defaults to: the findings of the run at its operating point, or of the source on the volume. */
function defaultCount(ctx: AppContext, row: FindingInContext): number {
  if (row.runId) return Math.max(1, findingsAtOperatingPoint(findingsOfRun(ctx.db, row.runId), operatingPointOf(ctx, row.runId)).length);
  return Math.max(1, countFindings(ctx.db, { volumeId: row.volumeId, source: row.source }));
}

type BrockRequest = Parameters<Handlers['findings.setBrockInputs']>[0];

export function setBrockInputs(ctx: AppContext, req: BrockRequest): Finding {
  assertWritable(ctx);
  const row = loadFinding(ctx, req.findingId);
  const f = row.finding;
  if (f.diameterMm === null || !(f.diameterMm > 0) || f.type === null) {
    throw new ApiError('validation', `Finding ${f.label} has no measured diameter and type, which Brock needs`, 'findingId');
  }
  const prior = f.brockInputs ?? null;
  const upperLobe = req.upperLobe ?? prior?.upperLobe ?? null;
  if (upperLobe === null) throw new ApiError('validation', `The lobe of ${f.label} is not known: say whether it is in an upper lobe`, 'upperLobe');
  // Age and sex from DICOM (PatientAge, else birth date vs study date; PatientSex). The reader may enter one only
  // where DICOM has none — never over what the images say — and the audit row records it.
  const dicom = patientFacts({ patientAge: row.patientAge, birthDate: row.patient.birthDate, studyDate: row.studyDate, sex: row.patient.sex });
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
    updateFinding(ctx.db, updated);
    writeAudit(ctx.db, 'findings.setBrockInputs', { findingId: f.id, seriesInstanceUID: f.seriesInstanceUID, before: { brock: f.brock, brockInputs: prior }, after: { brock: updated.brock, brockInputs: inputs } }, inputs.enteredAt ?? undefined);
  })();
  return updated;
}

/**
 * Exam Lung-RADS of the latest completed CAD run from the findings that count before review: those at the run's
 * own stored operating point. A display filter never enters (a request's minScore is ignored).
 */
export function examLungRads(ctx: AppContext, seriesInstanceUID: string): ExamLungRads {
  const runId = latestDoneRunId(ctx.db, seriesInstanceUID);
  if (!runId) return { runId: null, category: null, reason: 'No completed CAD run for this series', minScore: CAD_DEFAULT_OPERATING_POINT, noduleCount: 0 };
  const op = operatingPointOf(ctx, runId);
  const e = examCategory(findingsAtOperatingPoint(findingsOfRun(ctx.db, runId), op));
  return { runId, category: e.category, reason: e.reason, minScore: op, noduleCount: e.noduleCount };
}

export function reviewHandlers(ctx: AppContext): Pick<Handlers, 'findings.setBrockInputs' | 'cad.examLungRads'> {
  return {
    'findings.setBrockInputs': (req) => setBrockInputs(ctx, req),
    'cad.examLungRads': ({ seriesInstanceUID }) => {
      if (!seriesExists(ctx.db, seriesInstanceUID)) {
        throw new ApiError('not_found', `No series ${seriesInstanceUID} in the case index`, 'seriesInstanceUID');
      }
      return examLungRads(ctx, seriesInstanceUID);
    },
  };
}
