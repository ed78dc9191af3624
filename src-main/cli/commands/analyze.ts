import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../command';
import { commonOptions } from '../command';
import { createContext, type AppContext } from '../../services/context';
import { createServices, type Services } from '../../services';
import type { JobStatus } from '../../shared/types';
import { getRun } from '../../store/cadRuns';
import { findingsOfRun } from '../../store/findings';
import { seriesWithVolumeUnder } from '../../store/instances';
import { seriesUidOfVolume } from '../../store/volumes';

/** Resolves when the job ends; progress lines go to stderr. */
function waitForJob<K extends JobStatus['kind']>(services: Services, jobId: string, kind: K, onProgress: (s: JobStatus) => void): Promise<Extract<JobStatus, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const check = (s: JobStatus) => {
      if (s.jobId !== jobId) return;
      if (s.finishedAt) {
        off();
        if (s.kind !== kind) reject(new Error(`job ${jobId} is a ${s.kind} job, not ${kind}`));
        else resolve(s as Extract<JobStatus, { kind: K }>);
      } else onProgress(s);
    };
    const off = services.ctx.events.on((event, payload) => {
      if (event === 'job.progress') check(payload as JobStatus);
    });
    const now = services.jobs.get(jobId)?.status;
    if (now) check(now);
  });
}

async function importFolder(services: Services, dir: string, io: { err: (l: string) => void }): Promise<string> {
  let jobId: string;
  try {
    ({ jobId } = await services.handlers['import.start']({ paths: [dir] }));
  } catch (err) {
    throw new Error(`cannot import ${dir}: ${(err as Error).message}`);
  }
  const st = await waitForJob(services, jobId, 'import', (s) => io.err(`import: ${s.progress.phase} ${s.progress.filesScanned} files`));
  if (st.state !== 'done') throw new Error(`import of ${dir} ${st.state}: ${st.error?.message ?? ''}`);
  for (const e of st.errors) io.err(`import: ${e.file}: [${e.code}] ${e.reason}`);
  let uids = (st.summary?.series ?? []).filter((s) => s.volumeId).map((s) => s.seriesInstanceUID);
  if (!uids.length) uids = seriesWithVolumeUnderDir(services.ctx, dir); // imported before and unchanged
  if (!uids.length) throw new Error(`${dir}: no series with a volume was imported`);
  if (uids.length > 1) io.err(`import: ${uids.length} series found; analysing ${uids[0]} (name another with its SeriesInstanceUID)`);
  return uids[0];
}

/** Series whose instances live under `dir` and that have a volume. */
function seriesWithVolumeUnderDir(ctx: AppContext, dir: string): string[] {
  return seriesWithVolumeUnder(ctx.db, dir.endsWith(path.sep) ? dir : dir + path.sep);
}

function resolveTarget(ctx: AppContext, arg: string): { seriesInstanceUID: string; volumeId?: string } {
  const seriesUid = seriesUidOfVolume(ctx.db, arg);
  if (seriesUid) return { seriesInstanceUID: seriesUid, volumeId: arg };
  return { seriesInstanceUID: arg };
}

export const analyzeCommand: Command = {
  name: 'analyze',
  summary: 'run CAD (detection, measurement, Lung-RADS, Brock, cancer-type classification) on a series',
  usage: 'pulmo analyze <SeriesInstanceUID|volumeId|folder> [--json] [--models id,id] [--provider cpu|webgpu|cuda] [--data DIR]',
  options: { ...commonOptions, json: { type: 'boolean' }, models: { type: 'string' }, provider: { type: 'string' } },
  async run({ values, positionals }, io) {
    const [arg] = positionals;
    if (!arg) {
      io.err('pulmo analyze: give a SeriesInstanceUID, a volume id or a DICOM folder');
      return 2;
    }
    const ctx = createContext({ dataDir: values.data as string | undefined });
    const services = createServices(ctx);
    let jobId: string | null = null;
    const onSigint = () => {
      if (jobId) services.jobs.cancel(jobId);
    };
    process.once('SIGINT', onSigint);
    try {
      const target = fs.existsSync(arg) && fs.statSync(arg).isDirectory() ? { seriesInstanceUID: await importFolder(services, path.resolve(arg), io) } : resolveTarget(ctx, arg);
      const models = (values.models as string | undefined)?.split(',').map((s) => s.trim()).filter(Boolean);
      ({ jobId } = await services.handlers['cad.run']({ ...target, models, provider: values.provider as string | undefined }));
      let lastPhase = '';
      const st = await waitForJob(services, jobId, 'cad', (s) => {
        if (s.progress.phase !== lastPhase && !values.json) io.err(`cad: ${s.progress.phase}${s.progress.fraction !== null ? ` ${Math.round(s.progress.fraction * 100)}%` : ''}`);
        lastPhase = s.progress.phase;
      });
      const run = st.runId ? getRun(ctx.db, st.runId) : null;
      if (st.state !== 'done' || !run) {
        io.err(`pulmo analyze: CAD run ${st.state}: ${st.error?.message ?? 'no run stored'}`);
        return 1;
      }
      const findings = findingsOfRun(ctx.db, run.id);
      for (const f of run.providerFallback) io.err(`provider ${f.name} not used: ${f.reason}`);
      if (!run.models.some((m) => m.task === 'classification')) io.err('No cancer-type classification model is installed: classProbs are null. Install one with `pulmo models add <folder>`.');
      if (values.json) {
        io.out(
          JSON.stringify(
            {
              runId: run.id,
              seriesInstanceUID: run.seriesInstanceUID,
              provider: run.provider,
              providerFallback: run.providerFallback,
              models: run.models.map((m) => ({ id: m.id, version: m.version, task: m.task })),
              timingsMs: run.timingsMs,
              findings: findings.map((f) => ({
                id: f.id,
                centerLPS: f.centerLPS,
                boxLPS: f.boxLPS,
                diameterMm: f.diameterMm,
                longAxisMm: f.longAxisMm,
                shortAxisMm: f.shortAxisMm,
                volumeMm3: f.volumeMm3,
                meanHU: f.meanHU,
                type: f.type,
                lungRads: f.lungRads,
                brock: f.brock,
                classProbs: f.classProbs,
                classModel: f.classModel ?? null,
                score: f.score,
              })),
            },
            null,
            2,
          ),
        );
      } else {
        io.out(`run ${run.id}: ${findings.length} finding(s), provider ${run.provider}, models ${run.models.map((m) => `${m.id}@${m.version}`).join(', ')}, ${run.timingsMs.total ?? '?'} ms`);
        for (const f of findings) {
          const c = f.centerLPS.map((v) => v.toFixed(1)).join(', ');
          const cls = f.classProbs ? ` benign ${f.classProbs.benign.toFixed(2)} AC ${f.classProbs.AC.toFixed(2)} SCC ${f.classProbs.SCC.toFixed(2)}` : '';
          io.out(`  ${f.label}: LPS (${c}) mm, ${f.diameterMm !== null ? `${f.diameterMm.toFixed(1)} mm` : 'not measured'}, ${f.type ?? '-'}, Lung-RADS ${f.lungRads ?? '-'}, score ${f.score?.toFixed(2) ?? '-'}${cls}`);
        }
      }
      return 0;
    } finally {
      process.off('SIGINT', onSigint);
      ctx.close();
    }
  },
};
