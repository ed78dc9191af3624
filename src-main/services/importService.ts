// import.start and sample.open; the jobs they start are served by jobService. The pipeline lives in services/import/.
import fs from 'node:fs';
import path from 'node:path';
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import type { JobRegistry } from './jobs';
import { ApiError } from '../shared/errors';
import { startImport } from './import/startImport';
import { sampleDir } from './appService';
import { readHeader } from '../dicom/readHeader';
import { volumeIdsOfSeries } from '../store/volumes';

/** The SeriesInstanceUID of the bundled sample, read from its first DICOM file. */
function sampleSeriesUID(dir: string): string {
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop()!;
    for (const ent of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, ent.name);
      if (ent.isDirectory()) stack.push(full);
      else if (ent.name.toLowerCase().endsWith('.dcm')) {
        const r = readHeader(full);
        if (r.kind === 'header') return r.header.seriesInstanceUID;
      }
    }
  }
  throw new ApiError('not_found', `No DICOM sample found in ${dir}`);
}

export function importHandlers(
  ctx: AppContext,
  jobs: JobRegistry,
): Pick<Handlers, 'import.start' | 'sample.open'> {
  let sampleJobId: string | null = null;
  return {
    'import.start': ({ paths }) => ({ jobId: startImport(ctx, jobs, paths).id }),
    'sample.open': () => {
      const dir = sampleDir();
      if (!fs.existsSync(dir)) throw new ApiError('not_found', `The sample case is not installed (${dir} is missing)`);
      const seriesInstanceUID = sampleSeriesUID(dir);
      if (volumeIdsOfSeries(ctx.db, seriesInstanceUID).length) return { jobId: null, seriesInstanceUID };
      // An import of the sample already running in this process: hand out that job rather than a second one.
      const running = sampleJobId ? jobs.get(sampleJobId) : undefined;
      if (running && !running.status.finishedAt) return { jobId: running.id, seriesInstanceUID };
      sampleJobId = startImport(ctx, jobs, [dir]).id;
      return { jobId: sampleJobId, seriesInstanceUID };
    },
  };
}
