// CAD runs end to end on a seeded series: real SQLite file, real onnxruntime-node, models built in code whose
// outputs are known, the real measurement functions. Findings, run rows, failure and cancel paths.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { createServices, type Services } from '../../../src-main/services';
import { ModelRegistry } from '../../../src-main/cad/registry';
import { inProcessExecutor, runCad, type CadEnv } from '../../../src-main/services/cad/runCad';
import { classicalDeps } from '../../../src-main/cad/cadDeps';
import { releaseSessions } from '../../../src-main/cad/session';
import { getRun, listRuns } from '../../../src-main/store/cadRuns';
import { findingsOfRun } from '../../../src-main/store/findings';
import type { VolumeGeometry } from '../../../src-main/shared/geometry';
import type { JobStatus, CadJobStatus } from '../../../src-main/shared/types';
import { classifierBytes, classifierManifest, detectorBytes, detectorManifest, expectedProbs, writeModelDir } from '../../fixtures/models/buildModels';
import { phantom, seedVolume, type Seeded, type Sphere } from '../../fixtures/models/seedVolume';
import { makeChestPhantom } from '../../fixtures/phantom/chestPhantom';
import { CAD_DEFAULT_OPERATING_POINT, CAD_SCORE_FLOOR } from '../../../src-main/shared/cadTypes';

const geometry: VolumeGeometry = { dims: [64, 64, 36], spacing: [0.75, 0.75, 1.25], origin: [-24, -24, -300], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const spheres: Sphere[] = [
  { centerLPS: [-8.2, 6.1, -280.3], radiusMm: 6, hu: 60 },
  { centerLPS: [9.4, -7.7, -267.1], radiusMm: 6, hu: -150 },
];
const norm = (hu: number) => (hu + 1200) / 1800; // the fixtures' window [-1200, 600] → [0, 1]

let tmp: string;
let ctx: AppContext;
let env: CadEnv;
let seeded: Seeded;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-cad-'));
  ctx = createContext({ dataDir: path.join(tmp, 'data') });
  const registry = new ModelRegistry(path.join(tmp, 'no-builtins'), ctx.modelsDir);
  const d = detectorBytes();
  const c = classifierBytes();
  await registry.add(writeModelDir(tmp, 'det', d, detectorManifest(d)));
  await registry.add(writeModelDir(tmp, 'cls', c, classifierManifest(c)));
  const f = classifierBytes({ failAtRun: true });
  await registry.add(writeModelDir(tmp, 'cls-fail', f, classifierManifest(f, { id: 'test-failing-classifier' })));
  env = { db: ctx.db, volumesDir: ctx.volumesDir, registry, execute: inProcessExecutor(classicalDeps) };
  seeded = seedVolume(ctx.db, ctx.volumesDir, phantom(geometry, spheres), { birthDate: '19500315', studyDate: '20200101', sex: 'F' });
});
afterAll(async () => {
  await releaseSessions();
  ctx.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function countFindings(): number {
  return (ctx.db.prepare('SELECT COUNT(*) AS n FROM findings WHERE volume_ref = ?').get(seeded.volumeId) as { n: number }).n;
}

describe('runCad with ONNX detection + classification models', () => {
  it('stores one finding per sphere at its LPS centre with the model-computed probabilities', async () => {
    const stages = new Set<string>();
    const r = await runCad(env, { seriesInstanceUID: seeded.seriesInstanceUID, models: ['test-heatmap', 'test-mean-classifier'], provider: 'webgpu' }, {
      onProgress: (_f, s) => stages.add(s.split(':')[0]),
    });
    expect([...stages]).toEqual(expect.arrayContaining(['detect', 'characterise', 'findings']));
    const stored = findingsOfRun(ctx.db, r.runId);
    expect(stored).toEqual(r.findings);
    expect(stored.length).toBe(2);
    for (const s of spheres) {
      const f = stored.find((x) => Math.hypot(...x.centerLPS.map((v, a) => v - s.centerLPS[a])) < 3);
      expect(f, `finding near ${s.centerLPS}`).toBeDefined();
      // Within a voxel on every axis (0.75, 0.75, 1.25 mm).
      f!.centerLPS.forEach((v, a) => expect(Math.abs(v - s.centerLPS[a])).toBeLessThan(geometry.spacing[a]));
      const p = expectedProbs(norm(s.hu));
      expect(f!.classProbs!.benign).toBeCloseTo(p.benign, 4);
      expect(f!.classProbs!.AC).toBeCloseTo(p.AC, 4);
      expect(f!.classProbs!.SCC).toBeCloseTo(p.SCC, 4);
      expect(f!.classModel).toEqual({ id: 'test-mean-classifier', version: '0.3.1' });
      expect(f!).toMatchObject({ source: 'cad', modelId: 'test-heatmap', modelVersion: '1.2.0', runId: r.runId, seriesInstanceUID: seeded.seriesInstanceUID });
      expect(f!.score).toBeGreaterThan(0.5);
      expect(f!.diameterMm).toBeGreaterThan(9);
      expect(f!.diameterMm).toBeLessThan(15);
      expect(f!.lungRads).toMatch(/^[0-4][ABX]?$/);
      expect(f!.brock).toBeGreaterThan(0); // 69-year-old woman: age and sex known
      expect(f!.brock).toBeLessThan(1);
    }
    // The two nodules have different mean HU, so the model must have given them different probabilities.
    expect(stored[0].classProbs).not.toEqual(stored[1].classProbs);

    const run = getRun(ctx.db, r.runId)!;
    expect(run.state).toBe('done');
    expect(run.findingCount).toBe(2);
    expect(run.models).toEqual([
      { id: 'test-heatmap', version: '1.2.0', task: 'detection' },
      { id: 'test-mean-classifier', version: '0.3.1', task: 'classification' },
    ]);
    expect(run.provider).toBe(r.provider);
    if (run.provider === 'cpu') expect(run.providerFallback).toEqual([{ name: 'webgpu', reason: expect.stringMatching(/adapter/i) }]);
    expect(Object.keys(run.timingsMs)).toEqual(expect.arrayContaining(['detect', 'detect.inference', 'characterise', 'classify', 'total', 'store']));
    expect(run.params.brockAssumptions).toMatch(/taken as absent/);
    expect(run.params.executedIn).toBe('main thread');
  });

  it('a model that throws at run time fails the run cleanly: state failed, message kept, no findings stored', async () => {
    const before = countFindings();
    await expect(
      runCad(env, { seriesInstanceUID: seeded.seriesInstanceUID, models: ['test-heatmap', 'test-failing-classifier'] }),
    ).rejects.toThrow(/Reshape|reshape/);
    const runs = listRuns(ctx.db, seeded.seriesInstanceUID);
    const failed = runs.find((x) => x.models.some((m) => m.id === 'test-failing-classifier'))!;
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/reshape/i);
    expect(failed.findingCount).toBe(0);
    expect(countFindings()).toBe(before);
  });

  it('cancel during the run: state cancelled, no findings stored', async () => {
    const before = countFindings();
    const ac = new AbortController();
    await expect(
      runCad(env, { seriesInstanceUID: seeded.seriesInstanceUID, models: ['test-heatmap', 'test-mean-classifier'] }, {
        signal: ac.signal,
        onProgress: (_f, stage) => stage === 'characterise' && ac.abort(),
      }),
    ).rejects.toThrow(/cancel/i);
    const run = listRuns(ctx.db, seeded.seriesInstanceUID)[0];
    expect(run.state).toBe('cancelled');
    expect(countFindings()).toBe(before);
  });

  it('refuses a model whose file changed after it was installed, naming the checksum', async () => {
    const reg = new ModelRegistry(path.join(tmp, 'no-builtins'), path.join(tmp, 'tampered-models'));
    const d = detectorBytes();
    const m = await reg.add(writeModelDir(tmp, 'det2', d, detectorManifest(d, { id: 'test-heatmap-2' })));
    const tampered = Buffer.from(fs.readFileSync(m.modelPath));
    tampered[tampered.length - 5] ^= 0xff; // a flipped bit in the last weight
    fs.writeFileSync(m.modelPath, tampered);
    await expect(runCad({ ...env, registry: reg }, { seriesInstanceUID: seeded.seriesInstanceUID, models: ['test-heatmap-2'] })).rejects.toThrow(/"sha256" is [0-9a-f]{64} but model.onnx hashes to/);
    expect(listRuns(ctx.db, seeded.seriesInstanceUID)[0].state).toBe('failed');
  });
});

describe('runCad with the classical detector', () => {
  it('detects on a chest phantom, measures, classifies and records the built-in detector as the model', async () => {
    const chest = makeChestPhantom({ seed: 7 });
    const s = seedVolume(ctx.db, ctx.volumesDir, chest.volume, { birthDate: '19600101', studyDate: '20240101', sex: 'M' });
    const t0 = performance.now();
    const r = await runCad(env, { seriesInstanceUID: s.seriesInstanceUID, models: ['pulmo-classical', 'test-mean-classifier'] });
    const ms = performance.now() - t0;
    expect(r.models.map((m) => m.id)).toEqual(['pulmo-classical', 'test-mean-classifier']);
    const stored = findingsOfRun(ctx.db, r.runId);
    expect(stored.length).toBe(r.findings.length);
    const big = chest.nodules.find((n) => n.name === 'solid-12')!;
    const hit = stored.find((f) => Math.hypot(...f.centerLPS.map((v, a) => v - big.centerLPS[a])) < 2);
    expect(hit, `a finding at the 12 mm solid nodule (${stored.length} findings, ${Math.round(ms)} ms)`).toBeDefined();
    expect(hit!.modelId).toBe('pulmo-classical');
    expect(hit!.type).toBe('solid');
    expect(hit!.classProbs).not.toBeNull();
    expect(getRun(ctx.db, r.runId)!.params.detectorSmoothing).toBe(`onnx graph on ${r.provider}`);
    expect(Object.keys(getRun(ctx.db, r.runId)!.timingsMs)).toEqual(expect.arrayContaining(['detect', 'detect.lungMask', 'detect.hessian', 'characterise', 'classify']));
    // The run stores its operating point and what it decided; only candidates at or above the floor were reported,
    // each with the features its score came from.
    const params = getRun(ctx.db, r.runId)!.params as { operatingPoint: number; candidateCounts: Record<string, number>; setAsideOnAnatomy: unknown[] };
    expect(params.operatingPoint).toBe(CAD_DEFAULT_OPERATING_POINT);
    expect(params.candidateCounts.candidates - params.candidateCounts.belowFloor).toBe(stored.length);
    expect(Array.isArray(params.setAsideOnAnatomy)).toBe(true);
    for (const f of stored) expect(f.score!).toBeGreaterThanOrEqual(CAD_SCORE_FLOOR);
    expect(hit!.detectorFeatures).toMatchObject({ sphericity: expect.any(Number), shellAirFraction: expect.any(Number), mediastinumMm: expect.any(Number) });
  });
});

/** The CAD job's final status, polled from the registry (the job ends after its run row is written). */
function cadJobEnd(services: Services, jobId: string): Promise<CadJobStatus> {
  return new Promise<CadJobStatus>((resolve) => {
    const t = setInterval(() => {
      const st = services.jobs.get(jobId)!.status as CadJobStatus;
      if (st.finishedAt) {
        clearInterval(t);
        resolve(st);
      }
    }, 20);
  });
}

describe('CAD through the API (jobs, run history, models)', () => {
  it('jobs.cancel stops a CAD job: the job ends cancelled with a coded error and the run stores nothing', async () => {
    const ctx3 = createContext({ dataDir: path.join(tmp, 'data-cancel') });
    try {
      const s = seedVolume(ctx3.db, ctx3.volumesDir, phantom(geometry, spheres), {});
      const services = createServices(ctx3);
      const d = detectorBytes();
      await services.handlers['models.add']({ dir: writeModelDir(tmp, 'det-cancel', d, detectorManifest(d)) });
      const { jobId } = await services.handlers['cad.run']({ seriesInstanceUID: s.seriesInstanceUID, models: ['test-heatmap'] });
      expect(await services.handlers['jobs.cancel']({ jobId })).toEqual({ cancelled: true });
      const done = await cadJobEnd(services, jobId);
      expect(done.kind).toBe('cad');
      expect(done.state).toBe('cancelled');
      expect(done.error).toEqual({ code: 'cancelled', message: 'Cancelled by the user' });
      const runs = await services.handlers['cad.runs']({ seriesInstanceUID: s.seriesInstanceUID });
      expect(runs.every((r) => r.state === 'cancelled' && r.findingCount === 0)).toBe(true);
      expect(await services.handlers['jobs.cancel']({ jobId })).toEqual({ cancelled: false }); // already ended
    } finally {
      ctx3.close();
    }
  });

  it('cad.run is a job with progress that ends with a run id; cad.runs lists it; classifiers not requested → classProbs and malignancy null', async () => {
    const ctx2 = createContext({ dataDir: path.join(tmp, 'data2') });
    try {
      const s = seedVolume(ctx2.db, ctx2.volumesDir, phantom(geometry, spheres), {});
      const services = createServices(ctx2);
      const d = detectorBytes();
      await services.handlers['models.add']({ dir: writeModelDir(tmp, 'det3', d, detectorManifest(d)) });
      const list = await services.handlers['models.list']({});
      // The shipped models (resources/models) are listed before the user's.
      expect(list.classificationAvailable).toBe(true);
      expect(list.models.map((m) => `${m.task}:${m.id}`)).toEqual(['detection:pulmo-classical', 'classification:pulmo-cancer-type', 'malignancy:pulmo-malignancy', 'detection:test-heatmap']);
      const events: JobStatus[] = [];
      ctx2.events.on((e, p) => e === 'job.progress' && events.push(p as JobStatus));
      const { jobId } = await services.handlers['cad.run']({ seriesInstanceUID: s.seriesInstanceUID, models: ['test-heatmap'] });
      const done = await cadJobEnd(services, jobId);
      expect(done.state).toBe('done');
      expect(events.some((e) => e.state === 'running' && e.kind === 'cad')).toBe(true);
      const runs = await services.handlers['cad.runs']({ seriesInstanceUID: s.seriesInstanceUID });
      expect(runs.map((r) => [r.id, r.state, r.findingCount])).toEqual([[done.runId, 'done', 2]]);
      expect(runs[0].params.classification).toBe('not requested');
      expect(runs[0].models.map((m) => m.id)).toEqual(['test-heatmap']);
      const findings = await services.handlers['findings.list']({ seriesInstanceUID: s.seriesInstanceUID });
      expect(findings.length).toBe(2);
      for (const f of findings) {
        expect(f.classProbs).toBeNull();
        expect(f.classModel).toBeNull();
        expect(f.malignancy).toBeNull();
        expect(f.brock).toBeNull(); // no age or sex in this patient's record
      }
    } finally {
      ctx2.close();
    }
  });
});
