// Retrieve jobs started from the Query page: phase, instances so far, a progress bar, Cancel, and the outcome.
import type { JobStatus } from '../../src-main/shared/types';
import { api } from '../api/client';

export function RetrieveJobs({ jobs }: { jobs: JobStatus[] }) {
  if (jobs.length === 0) return null;
  return (
    <section className="retrieve-jobs" data-testid="retrieve-jobs">
      <h3>Retrievals</h3>
      {jobs.map((j) => {
        const p = j.progress;
        const pct = Math.round((j.finishedAt ? 1 : (p.fraction ?? 0)) * 100);
        const summary = j.kind === 'retrieve' ? j.summary : null;
        return (
          <div key={j.jobId} className="retrieve-job" data-testid="retrieve-job" data-state={j.state}>
            <span className="mono">{p.message ?? j.jobId}</span>
            <progress max={100} value={pct} />
            <span>
              {j.state === 'done'
                ? summary
                  ? `done: ${summary.instancesImported} instances imported into ${summary.series.length} series`
                  : 'done'
                : j.state === 'failed' || j.state === 'cancelled'
                  ? `${j.state}: ${j.error?.message ?? ''}`
                  : `${p.phase} ${p.filesScanned}${p.filesTotal !== null ? ` / ${p.filesTotal}` : ''}`}
            </span>
            {!j.finishedAt && (
              <button className="ghost" onClick={() => void api().call('jobs.cancel', { jobId: j.jobId })} data-testid="retrieve-cancel">
                Cancel
              </button>
            )}
            {j.errors.length > 0 && <span className="error">{j.errors.length} problems: {j.errors[0].reason}</span>}
          </div>
        );
      })}
    </section>
  );
}
