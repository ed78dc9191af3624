// One CAD run end to end: pick the models, choose the execution provider (recording why others were passed
// over), record the run, load the volume, compute, and store the findings in ONE transaction with the 'done'
// state. A failure or cancel leaves the run row with its error and no findings.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../store/db';
import { getSeries, type SeriesDetail } from '../../store/cases';
import { readVolumeCache } from '../../store/volumeCache';
import { completeRun, createRun, endRun, latestDoneRunOfVolume } from '../../store/cadRuns';
import { diskFullError } from '../../store/diskSpace';
import { findingsOfRun } from '../../store/findings';
import { carryReaderBrockInputs, patientFacts } from '../../cad/brockInputs';
import type { Finding } from '../../shared/types';
import type { CadRunSummary } from '../../shared/cadTypes';
import type { HuVolume } from '../../shared/geometry';
import { ApiError } from '../../shared/errors';
import { isCancellation, throwIfCancelled } from '../../shared/cancellation';
import { chooseProvider } from '../../cad/providers';
import { type ModelRegistry, verifyChecksum } from '../../cad/registry';
import { BROCK_ASSUMPTIONS, type CadDeps, type ClassifierSpec, type ComputeInput, type ComputeOutput, type DetectorSpec, type MalignancySpec, type ProgressFn, computeCad } from '../../cad/computeCad';
import { planModels } from './planModels';

export interface CadRequest {
  seriesInstanceUID: string;
  /** The series as the caller already looked it up (lookupCadSeries); looked up here when absent. */
  series?: CadSeries;
  volumeId?: string;
  models?: string[];
  provider?: string;
}

export interface CadResult {
  runId: string;
  provider: string;
  providerFallback: CadRunSummary['providerFallback'];
  models: CadRunSummary['models'];
  timingsMs: Record<string, number>;
  findings: Finding[];
}

/** Runs computeCad somewhere (in-process, or in the CAD worker). */
export type CadExecutor = ((
  volume: { volumesDir: string; cachePath: string; geometry: HuVolume['geometry'] },
  input: ComputeInput,
  opts: { signal?: AbortSignal; onProgress?: ProgressFn },
) => Promise<ComputeOutput>) & { where?: 'worker thread' | 'main thread' };

export function inProcessExecutor(deps: CadDeps): CadExecutor {
  const run: CadExecutor = async (v, input, opts) => computeCad(readVolumeCache(v.volumesDir, v.cachePath, v.geometry), input, deps, opts);
  run.where = 'main thread';
  return run;
}

export interface CadEnv {
  db: Db;
  volumesDir: string;
  registry: ModelRegistry;
  execute: CadExecutor;
}

const checked = new Map<string, string>(); // model path → size:mtime of the file whose checksum was verified

/** The file may have changed since it was installed: re-hash when its size or mtime differ from the last check. */
function verifyOnce(spec: { manifest: ClassifierSpec['manifest'] | MalignancySpec['manifest'] | DetectionManifestLike; modelPath: string }): void {
  const st = fs.statSync(spec.modelPath);
  const stamp = `${st.size}:${st.mtimeMs}:${spec.manifest.sha256}`;
  if (checked.get(spec.modelPath) === stamp) return;
  verifyChecksum(path.dirname(spec.modelPath), spec.manifest);
  checked.set(spec.modelPath, stamp);
}
type DetectionManifestLike = Extract<DetectorSpec, { kind: 'onnx' }>['manifest'];

/** A series CAD can run on: it has a cached volume. */
export type CadSeries = SeriesDetail & { volume: NonNullable<SeriesDetail['volume']>; cachePath: string };

/** The one lookup of a run's series; a clear not_found when it is missing or has no volume. */
export function lookupCadSeries(db: Db, seriesInstanceUID: string, volumeId?: string): CadSeries {
  const series = getSeries(db, seriesInstanceUID, volumeId);
  if (!series) throw new ApiError('not_found', `No series ${seriesInstanceUID}${volumeId ? ` with volume ${volumeId}` : ''} in the case index`, 'seriesInstanceUID');
  if (!series.volume || !series.cachePath) throw new ApiError('not_found', `Series ${seriesInstanceUID} has no volume to analyse (import it first)`, 'seriesInstanceUID');
  return series as CadSeries;
}

export async function runCad(env: CadEnv, req: CadRequest, opts: { signal?: AbortSignal; onProgress?: ProgressFn; onRunCreated?: (runId: string) => void } = {}): Promise<CadResult> {
  const series = req.series ?? lookupCadSeries(env.db, req.seriesInstanceUID, req.volumeId);
  const plan = planModels(env.registry, req.models);
  // Every run uses onnxruntime (the classical detector's smoothing is an ONNX graph too), so always choose.
  const choice = await chooseProvider(req.provider);
  const models = [
    { id: plan.detector.id, version: plan.detector.version, task: 'detection' },
    ...(plan.classifier ? [{ id: plan.classifier.id, version: plan.classifier.version, task: 'classification' }] : []),
    ...(plan.malignancy ? [{ id: plan.malignancy.id, version: plan.malignancy.version, task: 'malignancy' }] : []),
  ];
  const runId = crypto.randomUUID();
  const volumeId = series.volume.volumeId;
  const dataDir = path.dirname(env.volumesDir);
  const run = (): void => createRun(env.db, {
    id: runId,
    volumeId,
    models,
    provider: choice.provider,
    providerFallback: choice.skipped,
    params: {
      providerRequested: req.provider ?? null,
      brockAssumptions: BROCK_ASSUMPTIONS,
      executedIn: env.execute.where ?? 'unknown',
      ...(plan.detector.kind === 'classical' ? { detectorSmoothing: `onnx graph on ${choice.provider}` } : {}),
      modelsRequested: req.models ?? null,
      classification: plan.classifier ? plan.classifier.id : env.registry.list().models.some((m) => m.manifest.task === 'classification') ? 'not requested' : 'no classification model installed',
    },
  });
  try {
    run();
  } catch (err) {
    throw diskFullError(err, dataDir, 0, 'starting a CAD run') ?? err;
  }
  opts.onRunCreated?.(runId);
  const t0 = performance.now();
  let timingsMs: Record<string, number> = {};
  try {
    for (const spec of [plan.detector.kind === 'onnx' ? plan.detector : null, plan.classifier, plan.malignancy]) {
      if (spec) verifyOnce(spec);
    }
    const out = await env.execute(
      { volumesDir: env.volumesDir, cachePath: series.cachePath, geometry: series.volume.geometry },
      {
        runId,
        seriesInstanceUID: req.seriesInstanceUID,
        detector: plan.detector,
        classifier: plan.classifier,
        malignancy: plan.malignancy,
        provider: choice.provider,
        patient: patientFacts({ patientAge: series.patientAgeAtStudy, birthDate: series.patient.birthDate, studyDate: series.study.studyDate, sex: series.patient.sex }),
      },
      { signal: opts.signal, onProgress: opts.onProgress },
    );
    throwIfCancelled(opts.signal, 'CAD run');
    timingsMs = { ...out.timingsMs, total: Math.round((performance.now() - t0) * 10) / 10 };
    // The reader's Brock inputs on the previous run's findings move to the same nodules of this run; those
    // without a match are named in the run's record (never dropped silently).
    const prev = latestDoneRunOfVolume(env.db, volumeId);
    const carried = prev ? carryReaderBrockInputs(findingsOfRun(env.db, prev.id), out.findings) : { findings: out.findings, unmatched: [] };
    const readerInputs = prev
      ? { readerBrockInputs: { fromRun: prev.id, carried: carried.findings.filter((f) => f.brockInputs?.enteredAt).map((f) => f.label), notMatched: carried.unmatched.map((f) => `${f.label} at LPS (${f.centerLPS.map((v) => v.toFixed(1)).join(', ')}) mm`) } }
      : {};
    timingsMs = completeRun(env.db, runId, volumeId, carried.findings, timingsMs, {
      operatingPoint: out.operatingPoint,
      candidateCounts: out.counts,
      // The debug layer: what the detector set aside on anatomy, where and why (never in the reader's list).
      setAsideOnAnatomy: out.rejected.map((r) => ({ centerLPS: r.centerLPS.map((v) => Math.round(v * 10) / 10), score: Math.round(r.score * 1000) / 1000, reason: r.reason })),
      ...readerInputs,
    });
    return { runId, provider: choice.provider, providerFallback: choice.skipped, models, timingsMs, findings: carried.findings };
  } catch (err) {
    const cancelled = opts.signal?.aborted || isCancellation(err);
    timingsMs.total = Math.round((performance.now() - t0) * 10) / 10;
    const full = cancelled ? null : diskFullError(err, dataDir, 0, 'storing the CAD results');
    try {
      endRun(env.db, runId, cancelled ? 'cancelled' : 'failed', cancelled ? 'Cancelled by the user' : (full ?? (err as Error)).message, timingsMs);
    } catch {
      // The disk is full for this write too: the run stays 'running' until closeInterruptedCadRuns can write.
    }
    throw full ?? err;
  }
}
