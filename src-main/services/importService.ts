// import.*, jobs.*, sample.open. (The import pipeline itself lands with the DICOM import work.)
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import type { JobRegistry } from './jobs';
import { ApiError } from '../shared/errors';

export function importHandlers(
  _ctx: AppContext,
  jobs: JobRegistry,
): Pick<Handlers, 'import.start' | 'import.cancel' | 'jobs.get' | 'jobs.list' | 'sample.open'> {
  return {
    'import.start': () => {
      throw new ApiError('unsupported', 'DICOM import is not available in this build yet');
    },
    'import.cancel': ({ jobId }) => ({ cancelled: jobs.cancel(jobId) }),
    'jobs.get': ({ jobId }) => {
      const job = jobs.get(jobId);
      if (!job) throw new ApiError('not_found', `No job ${jobId}`);
      return structuredClone(job.status);
    },
    'jobs.list': () => jobs.list(),
    'sample.open': () => {
      throw new ApiError('unsupported', 'The sample case needs DICOM import, which is not available in this build yet');
    },
  };
}
