// The CAD review panel in the viewer's side panel: run CAD, what the latest run was, the exam-level Lung-RADS
// at the run's own operating point, the display filter (which only hides marks), and the CAD findings with
// every number labelled by unit and model.
import { useEffect, useState } from 'react';
import type { Finding, PatientInfo } from '../../src-main/shared/types';
import { LUNG_RADS_SCOPE, type ExamLungRads } from '../../src-main/shared/cadTypes';
import { api } from '../api/client';
import { CadFindingCard } from './CadFindingCard';
import { CadRunControls } from './CadRunControls';
import { CadRunInfo } from './CadRunInfo';
import type { CadRuns } from './useCadRuns';
import './review.css';

interface Props {
  seriesInstanceUID: string;
  patient: PatientInfo;
  cad: CadRuns;
  /** Every current finding of the series (all sources, latest CAD run). */
  all: Finding[];
  /** The findings passing the display filter. */
  visible: Finding[];
  displayFilter: number;
  onDisplayFilter(minScore: number): void;
  /** A CAD run finished: the findings changed. */
  onFindingsChanged(): void;
  onFindingEdited(f: Finding): void;
  onJump(f: Finding): void;
}

export function CadPanel({ seriesInstanceUID, patient, cad, all, visible, displayFilter, onDisplayFilter, onFindingsChanged, onFindingEdited, onJump }: Props) {
  const [exam, setExam] = useState<ExamLungRads | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { latestDone, models, operatingPoint } = cad;

  // The exam category depends on the run (and the reader's Brock edits, e.g. spiculation), never on the filter.
  useEffect(() => {
    let stale = false;
    api()
      .call('cad.examLungRads', { seriesInstanceUID })
      .then((e) => !stale && setExam(e))
      .catch((err: Error) => !stale && setError(err.message));
    return () => {
      stale = true;
    };
  }, [seriesInstanceUID, latestDone?.id, all]);

  const cadAll = all.filter((f) => f.source === 'cad');
  const shown = visible.filter((f) => f.source === 'cad').sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
  const lidc = patient.patientId.startsWith('LIDC-IDRI');

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
          void cad.refresh();
          onFindingsChanged();
        }}
      />
      {(error || cad.error) && <div className="error small-text">{error ?? cad.error}</div>}
      <CadRunInfo run={latestDone} lastAttempt={cad.runs[0] ?? null} />
      {models && !models.classificationAvailable && (
        <details className="notice small-text" data-testid="no-classifier-notice">
          <summary>No classification model installed.</summary> {models.installHint} <a href="#/models">Models page</a>
        </details>
      )}
      {latestDone && (
        <>
          <div className="exam-lungrads" data-testid="exam-lungrads" data-category={exam?.category ?? ''}>
            Exam Lung-RADS: <b>{exam?.category ?? '—'}</b>
            {exam && (
              <div className="muted small-text" data-testid="exam-lungrads-basis">
                {exam.reason}. From the {exam.noduleCount} CAD finding{exam.noduleCount === 1 ? '' : 's'} at the run's operating point (score ≥{' '}
                {exam.minScore.toFixed(2)}), not the display filter.
              </div>
            )}
            <div className="muted small-text" data-testid="lungrads-scope">{LUNG_RADS_SCOPE}</div>
          </div>
          <label className="threshold" data-testid="cad-threshold-label" title="Hides CAD marks below this score in the lists and the images; the exam category and Brock do not change">
            Display filter (marks only): score ≥ <b data-testid="cad-threshold-value">{displayFilter.toFixed(2)}</b>
            <input
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={displayFilter}
              onChange={(e) => onDisplayFilter(Number(e.target.value))}
              onPointerUp={(e) => e.currentTarget.blur()}
              data-testid="cad-threshold"
            />
          </label>
          <div className="muted small-text" data-testid="cad-shown-count">
            Showing {shown.length} of {cadAll.length} CAD findings (score by {latestDone.models.find((m) => m.task === 'detection')?.id ?? 'detector'}; run operating
            point {operatingPoint.toFixed(2)})
          </div>
          <ul className="cad-findings">
            {shown.map((f) => (
              <CadFindingCard key={f.id} finding={f} onJump={onJump} onChanged={onFindingEdited} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
