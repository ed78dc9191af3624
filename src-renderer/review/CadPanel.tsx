// The CAD review panel in the viewer's side panel: run CAD, what the latest run was, the operating point, the
// exam-level Lung-RADS at that point, and the CAD findings with every number labelled by unit and model.
import { useCallback, useEffect, useState } from 'react';
import type { CadRunSummary, ExamLungRads, ModelList } from '../../src-main/shared/cadTypes';
import type { Finding, PatientInfo } from '../../src-main/shared/types';
import { api } from '../api/client';
import { CadFindingCard } from './CadFindingCard';
import { CadRunControls } from './CadRunControls';
import { CadRunInfo } from './CadRunInfo';
import { useReviewStore } from './reviewStore';
import type { CadFindings } from './useCadFindings';
import './review.css';

interface Props {
  seriesInstanceUID: string;
  review: CadFindings;
  onJump(f: Finding): void;
}

export function CadPanel({ seriesInstanceUID, review, onJump }: Props) {
  const [models, setModels] = useState<ModelList | null>(null);
  const [runs, setRuns] = useState<CadRunSummary[]>([]);
  const [exam, setExam] = useState<ExamLungRads | null>(null);
  const [patient, setPatient] = useState<PatientInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const threshold = useReviewStore((s) => s.threshold);
  const setThreshold = useReviewStore((s) => s.setThreshold);
  const { reload } = review;

  const refresh = useCallback(async () => {
    try {
      const [m, r] = await Promise.all([api().call('models.list', {}), api().call('cad.runs', { seriesInstanceUID })]);
      setModels(m);
      setRuns(r);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [seriesInstanceUID]);

  useEffect(() => {
    void refresh();
    api()
      .call('cases.open', { seriesInstanceUID })
      .then((d) => setPatient(d.patient))
      .catch(() => setPatient(null));
  }, [refresh, seriesInstanceUID]);

  const latestDone = runs.find((r) => r.state === 'done') ?? null;
  useEffect(() => {
    let stale = false;
    api()
      .call('cad.examLungRads', { seriesInstanceUID, minScore: threshold })
      .then((e) => !stale && setExam(e))
      .catch((err: Error) => !stale && setError(err.message));
    return () => {
      stale = true;
    };
  }, [seriesInstanceUID, threshold, latestDone?.id]);

  const cad = review.all.filter((f) => f.source === 'cad');
  const shown = review.visible.filter((f) => f.source === 'cad').sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  const lidc = patient?.patientId.startsWith('LIDC-IDRI');

  return (
    <section className="cad-panel" data-testid="cad-panel">
      <h3>CAD</h3>
      <p className="ruo small-text" data-testid="cad-ruo">
        Research use only — not a medical device. CAD marks are a second-reader aid; confirm every finding.
      </p>
      {lidc && (
        <p className="muted small-text" data-testid="sample-attribution">
          Sample data: LIDC-IDRI, CC BY 3.0 — see About
        </p>
      )}
      <CadRunControls
        seriesInstanceUID={seriesInstanceUID}
        models={models}
        onFinished={() => {
          void refresh();
          void reload().catch((err: Error) => setError(err.message));
        }}
      />
      {error && <div className="error small-text">{error}</div>}
      <CadRunInfo run={latestDone} lastAttempt={runs[0] ?? null} />
      {models && !models.classificationAvailable && (
        <div className="notice small-text" data-testid="no-classifier-notice">
          <b>No classification model installed.</b> {models.installHint} <a href="#/models">Models page</a>
        </div>
      )}
      {latestDone && (
        <>
          <label className="threshold" data-testid="cad-threshold-label">
            Operating point: score ≥ <b data-testid="cad-threshold-value">{threshold.toFixed(2)}</b>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={threshold}
              onChange={(e) => setThreshold(Number(e.target.value))}
              data-testid="cad-threshold"
            />
          </label>
          <div className="muted small-text" data-testid="cad-shown-count">
            Showing {shown.length} of {cad.length} CAD findings (score by {latestDone.models.find((m) => m.task === 'detection')?.id ?? 'detector'})
          </div>
          <div className="exam-lungrads" data-testid="exam-lungrads" data-category={exam?.category ?? ''}>
            Exam Lung-RADS (CAD findings shown): <b>{exam?.category ?? '—'}</b>
            {exam && <div className="muted small-text">{exam.reason}</div>}
          </div>
          <ul className="cad-findings">
            {shown.map((f) => (
              <CadFindingCard key={f.id} finding={f} onJump={onJump} onChanged={review.replace} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
