// Reader review of CAD output: Brock inputs entered by the reader (recomputed, stored, audited) and the exam-level
// Lung-RADS category of the latest completed CAD run at the reader's operating point.
import { writeAudit } from '../store/audit';
import { countFindings, findingInContext, findingsOfRun, updateFinding, type FindingInContext } from '../store/findings';
import { latestDoneRunId } from '../store/cadRuns';
import { seriesExists } from '../store/series';
import { assertWritable } from './guards';
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import { ApiError } from '../shared/errors';
import type { BrockInputs, Finding } from '../shared/types';
import type { ExamLungRads } from '../shared/cadTypes';
import { ageAt, sexOf } from '../cad/computeCad';
import { brockFromInputs } from '../cad/brockInputs';
import { lungRadsExam, type LungRadsNoduleInput } from '../cad/lungRads';

function loadFinding(ctx: AppContext, findingId: string): FindingInContext {
  const row = findingInContext(ctx.db, findingId);
  if (!row) throw new ApiError('not_found', `No finding ${findingId}`, 'findingId');
  return row;
}

/** Nodules the Brock count defaults to: the finding's run (CAD) or the findings of its source on the volume. */
function defaultCount(ctx: AppContext, row: FindingInContext): number {
  return Math.max(1, countFindings(ctx.db, row.runId ? { runId: row.runId } : { volumeId: row.volumeId, source: row.source }));
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
  const inputs: BrockInputs = {
    // Age and sex always from the DICOM patient/study: never entered here, never guessed.
    ageYears: ageAt(row.patient.birthDate, row.studyDate),
    sex: sexOf(row.patient.sex),
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

export function examLungRads(ctx: AppContext, seriesInstanceUID: string, minScore: number): ExamLungRads {
  const runId = latestDoneRunId(ctx.db, seriesInstanceUID);
  if (!runId) return { runId: null, category: null, reason: 'No completed CAD run for this series', minScore, noduleCount: 0 };
  const run = { id: runId };
  const findings = findingsOfRun(ctx.db, run.id)
    .filter((f) => (f.score ?? 0) >= minScore);
  const nodules: LungRadsNoduleInput[] = [];
  for (const f of findings) {
    // A candidate the run could not measure has no size: it cannot be categorised, and says so.
    if (f.type === null || f.diameterMm === null) {
      return { runId: run.id, category: null, reason: `${f.label} has no measured size and type; categorise the exam by hand`, minScore, noduleCount: findings.length };
    }
    nodules.push({ type: f.type, diameterMm: f.diameterMm, solidComponentMm: f.solidComponentMm ?? null, status: 'baseline' });
  }
  try {
    const r = lungRadsExam(nodules);
    return { runId: run.id, category: r.category, reason: r.reason, minScore, noduleCount: findings.length };
  } catch (err) {
    return { runId: run.id, category: null, reason: (err as Error).message, minScore, noduleCount: findings.length };
  }
}

export function reviewHandlers(ctx: AppContext): Pick<Handlers, 'findings.setBrockInputs' | 'cad.examLungRads'> {
  return {
    'findings.setBrockInputs': (req) => setBrockInputs(ctx, req),
    'cad.examLungRads': ({ seriesInstanceUID, minScore }) => {
      if (!seriesExists(ctx.db, seriesInstanceUID)) {
        throw new ApiError('not_found', `No series ${seriesInstanceUID} in the case index`, 'seriesInstanceUID');
      }
      return examLungRads(ctx, seriesInstanceUID, minScore);
    },
  };
}
