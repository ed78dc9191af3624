// Import from a path on this machine, or open the bundled sample; shows the running job and its rejected files.
import { useEffect, useState } from 'react';
import type { ImportJobStatus } from '../../src-main/shared/types';
import { api, localPathsOf } from '../api/client';
import { RejectedFiles } from './RejectedFiles';

export function ImportBar({ onImported }: { onImported: () => void }) {
  const [path, setPath] = useState('');
  const [job, setJob] = useState<ImportJobStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  useEffect(
    () =>
      api().on('job.progress', (s) => {
        if (s.kind !== 'import') return;
        setJob(s);
        if (s.finishedAt) onImported();
      }),
    [onImported],
  );

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
      const r = what === 'sample' ? await api().call('sample.open', {}) : await api().call('import.start', { paths: what });
      if (r.jobId) {
        const s = await api().call('jobs.get', { jobId: r.jobId });
        if (s.kind === 'import') setJob(s);
      }
      else onImported();
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
          <button type="button" className="ghost" onClick={() => void api().call('jobs.cancel', { jobId: job.jobId })}>
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
                : `Import ${job.state}${job.error ? `: ${job.error.message}` : ''}`}
          </span>
          {job.progress.fraction != null && !job.finishedAt && <progress value={job.progress.fraction} max={1} />}
          <RejectedFiles errors={job.errors} open={job.errors.length <= 5} />
        </div>
      )}
    </section>
  );
}
