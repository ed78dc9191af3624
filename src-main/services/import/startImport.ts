// Starts an import job in the background: returns the JobHandle at once; the job runs in a worker engine.
import { errorMessage } from '../../shared/errorCodes';
import type { AppContext } from '../context';
import type { JobHandle, JobRegistry } from '../jobs';
import { ApiError } from '../../shared/errors';
import { WorkerEngine, type ImportEngine } from './engine';
import { runImport } from './runImport';
import { assertWritable } from '../guards';

export type EngineFactory = () => ImportEngine;

export function startImport(ctx: AppContext, jobs: JobRegistry, paths: string[], makeEngine: EngineFactory = () => new WorkerEngine()): JobHandle {
  assertWritable(ctx);
  let engine: ImportEngine;
  try {
    engine = makeEngine();
  } catch (e) {
    throw new ApiError('internal', errorMessage(e));
  }
  const job = jobs.create('import');
  // Failures are recorded on the job (state 'failed', error message); nothing to await here.
  runImport(ctx, job, paths, engine).catch(() => undefined);
  return job;
}
