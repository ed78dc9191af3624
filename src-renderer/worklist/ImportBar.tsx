// Import from a path on this machine, or open the bundled sample; shows the running job and its rejected files.
// The job shown always ends: a status never replaces a newer one (a fast job's last event can arrive before the
// `jobs.get` answer that started the bar), and a running job is polled too, in case events were missed.
import { useEffect, useRef, useState } from 'react';
import type { ImportJobStatus, JobStatus } from '../../src-main/shared/types';
import { api, localPathsOf } from '../api/client';
import { RejectedFiles } from './RejectedFiles';

/** The status to show: `next`, unless it is an older view of the job already shown as finished. */
export function newerJobStatus(prev: ImportJobStatus | null, next: ImportJobStatus): ImportJobStatus {
  if (prev && prev.jobId === next.jobId && prev.finishedAt && !next.finishedAt) return prev;
  return next;
}

const POLL_MS = 1000;

export function ImportBar({ onImported }: { onImported: () => void }) {
  const [path, setPath] = useState('');
  const [job, setJobState] = useState<ImportJobStatus | null>(null);
  const ended = useRef(new Set<string>());
  const setJob = (status: JobStatus) => {
    if (status.kind !== 'import') return;
    const next = status;
    setJobState((prev) => newerJobStatus(prev, next));
    // onImported once per job, whichever source (event or poll) saw it finish first.
    if (next.finishedAt && !ended.current.has(next.jobId)) {
      ended.current.add(next.jobId);
      onImported();
    }
  };
  const setJobRef = useRef(setJob);
  setJobRef.current = setJob;
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(
    () =>
      api().on('job.progress', (s) => {
        if (s.kind !== 'import') return;
        setJobRef.current(s);
      }),
    [],
  );

  // While a job shows as running, ask for its status every second: it ends even if its last event was missed.
  const runningId = job && !job.finishedAt ? job.jobId : null;
  useEffect(() => {
    if (!runningId) return;
    const t = window.setInterval(() => {
      api()
        .call('jobs.get', { jobId: runningId })
        .then((s) => setJobRef.current(s))
        .catch(() => {});
    }, POLL_MS);
    return () => window.clearInterval(t);
  }, [runningId]);

  // Drop folders anywhere on the worklist to import them.
  useEffect(() => {
    const over = (e: DragEvent) => {
      if (!e.dataTransfer?.types.includes('Files')) return;
      e.preventDefault();
      setDragging(true);
    };
    const leave = (e: DragEvent) => {
      if (e.relatedTarget === null) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      e.preventDefault();
      setDragging(false);
      const paths = e.dataTransfer ? localPathsOf(e.dataTransfer.files) : null;
      if (paths === null) setError('A browser cannot tell Pulmo where dropped files live: type the folder path instead, or use `pulmo import <folder>`.');
      else if (paths.length) void start(paths);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  });

  async function start(what: 'sample' | string[]) {
    setError(null);
    try {
      if (what === 'sample') {
        const r = await api().call('sample.open', {});
        // Already imported: open it.
        if (!r.jobId) {
          window.location.hash = `#/series/${r.seriesInstanceUID}`;
          return;
        }
        setJob(await api().call('jobs.get', { jobId: r.jobId }));
        return;
      }
      const r = await api().call('import.start', { paths: what });
      setJob(await api().call('jobs.get', { jobId: r.jobId }));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const running = job && !job.finishedAt;
  return (
    <section className="import-bar" data-testid="import-bar">
      {dragging && <div className="drop-hint">Drop DICOM folders or files to import</div>}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void start([path.trim()]);
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
          <button
            type="button"
            className="ghost"
            data-testid="import-cancel"
            onClick={() =>
              void api()
                .call('jobs.cancel', { jobId: job.jobId })
                .then(() => api().call('jobs.get', { jobId: job.jobId }))
                .then(setJob)
                .catch((err: Error) => setError(err.message))
            }
          >
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
          <RejectedFiles errors={job.errors} open={job.errors.length <= 5} />
        </div>
      )}
    </section>
  );
}
