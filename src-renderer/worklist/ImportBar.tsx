// Import from a path on this machine, or open the bundled sample; shows the running job and its rejected files.
import { useEffect, useState } from 'react';
import type { JobStatus } from '../../src-main/shared/types';
import { api } from '../api/client';

export function ImportBar({ onImported }: { onImported: () => void }) {
  const [path, setPath] = useState('');
  const [job, setJob] = useState<JobStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(
    () =>
      api().on('job.progress', (s) => {
        if (s.kind !== 'import') return;
        setJob(s);
        if (s.finishedAt) onImported();
      }),
    [onImported],
  );

  async function start(kind: 'path' | 'sample') {
    setError(null);
    try {
      const r = kind === 'sample' ? await api().call('sample.open', {}) : await api().call('import.start', { paths: [path] });
      if (r.jobId) setJob(await api().call('jobs.get', { jobId: r.jobId }));
      else onImported();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const running = job && !job.finishedAt;
  return (
    <section className="import-bar" data-testid="import-bar">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void start('path');
        }}
      >
        <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="Folder or file path on this computer" aria-label="Path to import" />
        <button type="submit" disabled={!path.trim() || !!running}>
          Import
        </button>
        <button type="button" onClick={() => void start('sample')} disabled={!!running} data-testid="open-sample">
          Open sample case
        </button>
        {running && job && (
          <button type="button" className="ghost" onClick={() => void api().call('import.cancel', { jobId: job.jobId })}>
            Cancel
          </button>
        )}
      </form>
      {error && <p className="error">{error}</p>}
      {job && (
        <div className="job" data-testid="import-job" data-state={job.state}>
          <span>
            {job.state === 'running' || job.state === 'queued'
              ? `Importing… ${job.progress.phase}: ${job.progress.filesScanned} files scanned, ${job.progress.seriesFound} series`
              : job.state === 'done'
                ? `${job.summary?.instancesImported ?? 0} images imported, ${job.errors.length} rejected`
                : `Import ${job.state}${job.error ? `: ${job.error}` : ''}`}
          </span>
          {job.progress.fraction != null && !job.finishedAt && <progress value={job.progress.fraction} max={1} />}
          {job.errors.length > 0 && (
            <details open={job.errors.length <= 5}>
              <summary>{job.errors.length} rejected files</summary>
              <ul className="job-errors" data-testid="import-errors">
                {job.errors.map((e, i) => (
                  <li key={i}>
                    <code>{e.file}</code>: {e.reason}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
