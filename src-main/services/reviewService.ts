// Reader review of CAD output: Brock inputs entered by the reader (recomputed, stored, audited) and the exam-level
// Lung-RADS category of the latest completed CAD run at the reader's operating point.
import { writeAudit } from '../store/audit';
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import { ApiError } from '../shared/errors';
import type { BrockInputs, Finding } from '../shared/types';
import type { ExamLungRads } from '../shared/cadTypes';
import { ageAt, sexOf } from '../cad/computeCad';
import { brockFromInputs } from '../cad/brockInputs';
import { lungRadsExam, type LungRadsNoduleInput } from '../cad/lungRads';

interface FindingRow {
  data_json: string;
  volume_ref: string;
  run_ref: string | null;
  source: string;
  birth_date: string | null;
  sex: string | null;
  study_date: string | null;
}


function loadFinding(ctx: AppContext, findingId: string): FindingRow {
  const row = ctx.db
    .prepare(
      `SELECT f.data_json, f.volume_ref, f.run_ref, f.source, p.birth_date, p.sex, st.study_date
       FROM findings f JOIN volumes v ON v.id = f.volume_ref JOIN series s ON s.id = v.series_ref
       JOIN studies st ON st.id = s.study_ref JOIN patients p ON p.id = st.patient_ref WHERE f.id = ?`,
    )
    .get(findingId) as FindingRow | undefined;
  if (!row) throw new ApiError('not_found', `No finding ${findingId}`, 'findingId');
  return row;
}

/** Nodules the Brock count defaults to: the finding's run (CAD) or the findings of its source on the volume. */
function defaultCount(ctx: AppContext, row: FindingRow): number {
  const r = row.run_ref
    ? ctx.db.prepare('SELECT COUNT(*) AS n FROM findings WHERE run_ref = ?').get(row.run_ref)
    : ctx.db.prepare('SELECT COUNT(*) AS n FROM findings WHERE volume_ref = ? AND source = ?').get(row.volume_ref, row.source);
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
  const inputs: BrockInputs = {
    // Age and sex always from the DICOM patient/study: never entered here, never guessed.
    ageYears: ageAt(row.birth_date, row.study_date),
    sex: sexOf(row.sex),
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
    ctx.db.prepare('UPDATE findings SET data_json = ? WHERE id = ?').run(JSON.stringify(updated), f.id);
    writeAudit(ctx.db, 'findings.setBrockInputs', { findingId: f.id, seriesInstanceUID: f.seriesInstanceUID, before: { brock: f.brock, brockInputs: prior }, after: { brock: updated.brock, brockInputs: inputs } }, inputs.enteredAt ?? undefined);
  })();
  return updated;
}

export function examLungRads(ctx: AppContext, seriesInstanceUID: string, minScore: number): ExamLungRads {
  const run = ctx.db
    .prepare(
      `SELECT r.id FROM cad_runs r JOIN volumes v ON v.id = r.volume_ref JOIN series s ON s.id = v.series_ref
       WHERE s.series_uid = ? AND r.state = 'done' ORDER BY r.finished_at DESC, r.rowid DESC LIMIT 1`,
    )
    .get(seriesInstanceUID) as { id: string } | undefined;
  if (!run) return { runId: null, category: null, reason: 'No completed CAD run for this series', minScore, noduleCount: 0 };
  const findings = (ctx.db.prepare('SELECT data_json FROM findings WHERE run_ref = ? ORDER BY rowid').all(run.id) as { data_json: string }[])
    .map((r) => JSON.parse(r.data_json) as Finding)
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
      if (!ctx.db.prepare('SELECT 1 FROM series WHERE series_uid = ?').get(seriesInstanceUID)) {
        throw new ApiError('not_found', `No series ${seriesInstanceUID} in the case index`, 'seriesInstanceUID');
      }
      return examLungRads(ctx, seriesInstanceUID, minScore);
    },
  };
}
