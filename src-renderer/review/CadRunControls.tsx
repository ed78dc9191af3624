// "Run CAD": execution provider (the ones app.info found available; automatic by default) and models, then the
// job's progress with cancel. Calls onFinished when the job ends, whatever its outcome.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ModelInfo, ModelList } from '../../src-main/shared/cadTypes';
import type { JobStatus } from '../../src-main/shared/types';
import { api } from '../api/client';
import { useAppInfo } from '../state/appInfo';

interface Props {
  seriesInstanceUID: string;
  models: ModelList | null;
  onFinished(job: JobStatus): void;
}

const NO_CLASSIFIER = '';

interface ModelSelectProps {
  label: string;
  models: ModelInfo[];
  value: string;
  onChange(id: string): void;
  disabled: boolean;
  testId: string;
  children?: ReactNode; // extra options after the models
}

function ModelSelect({ label, models, value, onChange, disabled, testId, children }: ModelSelectProps) {
  return (
    <div className="cad-row">
      <label>
        {label}{' '}
        <select value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} data-testid={testId}>
          {models.map((m) => (
            <option key={m.id} value={m.id}>
              {m.id} {m.version}
            </option>
          ))}
          {children}
        </select>
      </label>
    </div>
  );
}

export function CadRunControls({ seriesInstanceUID, models, onFinished }: Props) {
  const info = useAppInfo((s) => s.info);
  const providers = (info?.executionProviders ?? []).filter((p) => p.status === 'available');
  const detectors = models?.models.filter((m) => m.task === 'detection') ?? [];
  const classifiers = models?.models.filter((m) => m.task === 'classification') ?? [];
  const [provider, setProvider] = useState('auto');
  const [detector, setDetector] = useState<string | null>(null);
  const [classifier, setClassifier] = useState<string | null>(null);
  const [job, setJob] = useState<JobStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const jobId = useRef<string | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  const det = detector ?? detectors[0]?.id ?? '';
  const cls = classifier ?? classifiers[0]?.id ?? NO_CLASSIFIER;

  useEffect(() => {
    const seen = (s: JobStatus) => {
      if (s.jobId !== jobId.current) return;
      setJob(s);
      if (s.finishedAt) {
        jobId.current = null;
        finished.current(s);
      }
    };
    return api().on('job.progress', seen);
  }, []);

  async function run() {
    setError(null);
    try {
      const r = await api().call('cad.run', {
        seriesInstanceUID,
        provider: provider === 'auto' ? undefined : provider,
        models: det ? [det, ...(cls ? [cls] : [])] : undefined,
      });
      jobId.current = r.jobId;
      // The job may have ended before its events reached us: read its state once.
      const s = await api().call('jobs.get', { jobId: r.jobId });
      if (jobId.current === r.jobId) {
        setJob(s);
        if (s.finishedAt) {
          jobId.current = null;
          finished.current(s);
        }
      }
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const running = !!job && !job.finishedAt;
  const frac = job?.progress.fraction;
  return (
    <div className="cad-run" data-testid="cad-run-controls">
      <div className="cad-row">
        <label>
          Provider{' '}
          <select value={provider} onChange={(e) => setProvider(e.target.value)} disabled={running} data-testid="cad-provider">
            <option value="auto">Automatic</option>
            {providers.map((p) => (
              <option key={p.name} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ModelSelect label="Detector" models={detectors} value={det} onChange={setDetector} disabled={running} testId="cad-detector" />
      <ModelSelect label="Classifier" models={classifiers} value={cls} onChange={setClassifier} disabled={running} testId="cad-classifier">
        <option value={NO_CLASSIFIER}>{classifiers.length ? 'none' : 'none installed'}</option>
      </ModelSelect>
      <div className="cad-row">
        <button onClick={() => void run()} disabled={running || !models} data-testid="cad-run">
          Run CAD
        </button>
        {running && (
          <button className="small" onClick={() => void api().call('jobs.cancel', { jobId: job.jobId })} data-testid="cad-cancel">
            Cancel
          </button>
        )}
      </div>
      {job && (
        <div className="cad-job" data-testid="cad-job" data-state={job.state}>
          {running && <progress max={1} value={frac ?? undefined} />}
          <span className="muted small-text">
            {running ? `${job.progress.phase}${frac != null ? ` · ${Math.round(frac * 100)} %` : ''}` : `Last job: ${job.state}`}
            {job.error ? ` — ${job.error.message}` : ''}
          </span>
        </div>
      )}
      {error && <div className="error small-text" data-testid="cad-run-error">{error}</div>}
    </div>
  );
}
