// Past imports (this session's and earlier ones, CLI imports too) with their rejected files, so whoever imported
// a CD can see later what was left out and why.
import { useCallback, useEffect, useState } from 'react';
import type { ImportJobStatus } from '../../src-main/shared/types';
import { api } from '../api/client';
import { RejectedFiles } from './RejectedFiles';

function when(iso: string): string {
  return new Date(iso).toLocaleString();
}

export function ImportHistory() {
  const [jobs, setJobs] = useState<ImportJobStatus[]>([]);
  const refresh = useCallback(async () => {
    try {
      setJobs((await api().call('jobs.list', {})).filter((j): j is ImportJobStatus => j.kind === 'import' && j.finishedAt !== null));
    } catch {
      /* the worklist shows connection errors already */
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => api().on('job.progress', (s) => s.finishedAt && void refresh()), [refresh]);

  if (!jobs.length) return null;
  return (
    <details className="import-history" data-testid="import-history">
      <summary>Import history ({jobs.length})</summary>
      <ul>
        {jobs.map((j) => (
          <li key={j.jobId} data-testid="import-history-job" data-state={j.state}>
            <span className="muted">{when(j.startedAt)}</span> {j.state === 'done' ? '' : <b className="warn">{j.state} </b>}
            {j.summary ? `${j.summary.instancesImported} images imported, ${j.errors.length} rejected` : ''}
            {j.error ? <span className="error"> — {j.error.message}</span> : null}
            {j.progress.message ? <code className="muted"> {j.progress.message}</code> : null}
            <RejectedFiles errors={j.errors} />
          </li>
        ))}
      </ul>
    </details>
  );
}
