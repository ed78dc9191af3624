// jobs.*: every kind of long job (import, CAD) through one set of methods.
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import type { JobRegistry } from './jobs';
import { ApiError } from '../shared/errors';
import { listImportJobs } from '../store/importJobs';

export function jobHandlers(ctx: AppContext, jobs: JobRegistry): Pick<Handlers, 'jobs.get' | 'jobs.list' | 'jobs.cancel'> {
  return {
    'jobs.get': ({ jobId }) => {
      const job = jobs.get(jobId);
      if (!job) throw new ApiError('not_found', `No job ${jobId}`, 'jobId');
      return structuredClone(job.status);
    },
    // This process's jobs (live), then the import history of the database (CLI imports, earlier sessions).
    'jobs.list': () => {
      const live = jobs.list();
      const seen = new Set(live.map((j) => j.jobId));
      return [...live, ...listImportJobs(ctx.db, 20).filter((j) => !seen.has(j.jobId))].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    },
    'jobs.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
  };
}
