// cad.* and models.*: CAD runs as jobs (progress, cancel), their history, and the model registry.
import path from 'node:path';
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import type { JobRegistry } from './jobs';
import { resourcesDir } from './paths';
import { ApiError } from '../shared/errors';
import type { ModelList } from '../shared/cadTypes';
import { seriesExists } from '../store/series';
import { listRuns } from '../store/cadRuns';
import { ManifestError } from '../cad/manifest';
import { ModelRegistry, classicalSummary, summarize } from '../cad/registry';
import { lookupCadSeries, runCad, type CadExecutor } from './cad/runCad';
import { defaultExecutor } from './cad/cadExecutor';
import { assertWritable } from './guards';

export const MODEL_INSTALL_HINT =
  'No cancer-type classification model is installed, so no benign/AC/SCC estimate is shown. Install one with ' +
  '`pulmo models add <folder>` (a folder holding manifest.json and model.onnx) or the Models page of the app (top bar → Models → Install).';

export function modelRegistry(ctx: AppContext): ModelRegistry {
  return new ModelRegistry(path.join(resourcesDir(), 'models'), ctx.modelsDir);
}

export function listModels(registry: ModelRegistry): ModelList {
  const { models, rejected } = registry.list();
  const classificationAvailable = models.some((m) => m.manifest.task === 'classification');
  return {
    models: [classicalSummary(), ...models.map(summarize)],
    rejected,
    classificationAvailable,
    installHint: classificationAvailable ? '' : MODEL_INSTALL_HINT,
  };
}

export function cadHandlers(
  ctx: AppContext,
  jobs: JobRegistry,
  execute: CadExecutor = defaultExecutor(),
): Pick<Handlers, 'cad.run' | 'cad.runs' | 'models.list' | 'models.add'> {
  const registry = modelRegistry(ctx);
  return {
    'cad.run': (req) => {
      assertWritable(ctx);
      const series = lookupCadSeries(ctx.db, req.seriesInstanceUID, req.volumeId);
      const job = jobs.create('cad');
      job.progress({ phase: 'starting', fraction: 0 }, true);
      runCad({ db: ctx.db, volumesDir: ctx.volumesDir, registry, execute }, { ...req, series }, {
        signal: job.signal,
        onProgress: (fraction, stage) => job.progress({ phase: stage, fraction }),
        onRunCreated: (runId) => (job.status.runId = runId),
      }).then(
        (r) => job.finish({ runId: r.runId }),
        (err: unknown) => job.fail(err),
      );
      return { jobId: job.id };
    },
    'cad.runs': ({ seriesInstanceUID }) => {
      if (!seriesExists(ctx.db, seriesInstanceUID)) throw new ApiError('not_found', `No series ${seriesInstanceUID} in the case index`, 'seriesInstanceUID');
      return listRuns(ctx.db, seriesInstanceUID);
    },
    'models.list': () => listModels(registry),
    'models.add': async ({ dir }) => {
      try {
        return summarize(await registry.add(dir));
      } catch (err) {
        if (err instanceof ManifestError) throw new ApiError('validation', err.message, err.field || undefined);
        throw new ApiError('validation', (err as Error).message);
      }
    },
  };
}
