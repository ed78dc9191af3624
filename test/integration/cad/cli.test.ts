// `pulmo models` and `pulmo analyze` as a user runs them: the built CLI (CAD in its worker thread), a real data
// folder with a seeded series, models built in code.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../../src-main/services/context';
import type { VolumeGeometry } from '../../../src-main/shared/geometry';
import { classifierBytes, classifierManifest, detectorBytes, detectorManifest, expectedProbs, writeModelDir } from '../../fixtures/models/buildModels';
import { phantom, seedVolume, type Seeded, type Sphere } from '../../fixtures/models/seedVolume';
import { ModelRegistry } from '../../../src-main/cad/registry';
import { runCad } from '../../../src-main/services/cad/runCad';
import { workerExecutor } from '../../../src-main/services/cad/cadExecutor';

const run = promisify(execFile);
const repo = path.resolve(__dirname, '..', '..', '..');
const cli = path.join(repo, 'bin', 'pulmo.js');
const geometry: VolumeGeometry = { dims: [48, 48, 30], spacing: [0.8, 0.8, 1.25], origin: [-19, 5, -40], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const sphere: Sphere = { centerLPS: [0.6, 22.9, -22.3], radiusMm: 6, hu: 20 };

let tmp: string;
let data: string;
let seeded: Seeded;

async function pulmo(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [cli, ...args, '--data', data], { timeout: 120_000 });
    return { code: 0, ...r };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(repo, 'dist', 'main', 'workers', 'cadWorker.js'))) {
    await run(process.execPath, [path.join(repo, 'scripts', 'build.mjs'), '--main-only'], { cwd: repo });
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-cli-cad-'));
  data = path.join(tmp, 'data');
  const ctx = createContext({ dataDir: data });
  seeded = seedVolume(ctx.db, ctx.volumesDir, phantom(geometry, [sphere]), { birthDate: '19480101', studyDate: '20200601', sex: 'M' });
  ctx.close();
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('pulmo models / analyze', () => {
  it('adds models, rejects a bad one with the field named, and lists them', async () => {
    const d = detectorBytes();
    const c = classifierBytes();
    expect((await pulmo('models', 'add', writeModelDir(tmp, 'det', d, detectorManifest(d)))).code).toBe(0);
    expect((await pulmo('models', 'add', writeModelDir(tmp, 'cls', c, classifierManifest(c)))).code).toBe(0);
    const bad = await pulmo('models', 'add', writeModelDir(tmp, 'bad', c, classifierManifest(c, { sha256: '0'.repeat(64) })));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/"sha256" is 0{64} but model.onnx hashes to/);
    const list = JSON.parse((await pulmo('models', 'list', '--json')).stdout);
    expect(list.models.map((m: { id: string; version: string }) => `${m.id}@${m.version}`)).toEqual(['pulmo-classical@1.0.0', 'test-heatmap@1.2.0', 'test-mean-classifier@0.3.1']);
    expect(list.classificationAvailable).toBe(true);
  });

  it('analyze --json prints the run: provider actually used, models, timings and findings in LPS mm', async () => {
    const r = await pulmo('analyze', seeded.seriesInstanceUID, '--json', '--models', 'test-heatmap,test-mean-classifier', '--provider', 'webgpu');
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.models).toEqual([
      { id: 'test-heatmap', version: '1.2.0', task: 'detection' },
      { id: 'test-mean-classifier', version: '0.3.1', task: 'classification' },
    ]);
    if (out.provider === 'cpu') expect(r.stderr).toMatch(/provider webgpu not used: .*adapter/i);
    expect(out.timingsMs.total).toBeGreaterThan(0);
    expect(out.findings.length).toBe(1);
    const f = out.findings[0];
    f.centerLPS.forEach((v: number, a: number) => expect(Math.abs(v - sphere.centerLPS[a])).toBeLessThan(geometry.spacing[a]));
    const p = expectedProbs((sphere.hu + 1200) / 1800);
    expect(f.classProbs.benign).toBeCloseTo(p.benign, 4);
    expect(f.classProbs.AC).toBeCloseTo(p.AC, 4);
    expect(f.classProbs.SCC).toBeCloseTo(p.SCC, 4);
    expect(f.boxLPS.min[0]).toBeLessThan(f.centerLPS[0]);
    expect(f.boxLPS.max[0]).toBeGreaterThan(f.centerLPS[0]);
    for (const k of ['diameterMm', 'longAxisMm', 'shortAxisMm', 'volumeMm3', 'meanHU', 'brock', 'score']) expect(typeof f[k], k).toBe('number');
    expect(f.type).toBe('solid');

    // The same volume by its volume id; the run history now has two runs.
    const again = await pulmo('analyze', seeded.volumeId, '--models', 'test-heatmap');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/1 finding\(s\), provider \w+, models test-heatmap@1\.2\.0/);
    const ctx = createContext({ dataDir: data });
    try {
      const runs = ctx.db.prepare('SELECT state, provider, params_json FROM cad_runs ORDER BY started_at').all() as { state: string; provider: string; params_json: string }[];
      expect(runs.map((x) => x.state)).toEqual(['done', 'done']);
      expect(JSON.parse(runs[0].params_json).executedIn).toBe('worker thread');
      expect(runs[0].provider).toBe(out.provider);
    } finally {
      ctx.close();
    }
  });

  it('cancel reaches the worker thread: run cancelled, no findings; the same worker then runs again', async () => {
    const ctx = createContext({ dataDir: data });
    try {
      const env = {
        db: ctx.db,
        volumesDir: ctx.volumesDir,
        registry: new ModelRegistry(path.join(tmp, 'no-builtins'), ctx.modelsDir),
        execute: workerExecutor(path.join(repo, 'dist', 'main', 'workers', 'cadWorker.js')),
      };
      const before = (ctx.db.prepare('SELECT COUNT(*) AS n FROM findings').get() as { n: number }).n;
      const ac = new AbortController();
      const req = { seriesInstanceUID: seeded.seriesInstanceUID, models: ['test-heatmap'] };
      await expect(runCad(env, req, { signal: ac.signal, onProgress: (_f, s) => s.startsWith('detect') && ac.abort() })).rejects.toThrow(/cancel/i);
      const last = ctx.db.prepare('SELECT state, params_json FROM cad_runs ORDER BY started_at DESC LIMIT 1').get() as { state: string; params_json: string };
      expect(last.state).toBe('cancelled');
      expect(JSON.parse(last.params_json).executedIn).toBe('worker thread');
      expect((ctx.db.prepare('SELECT COUNT(*) AS n FROM findings').get() as { n: number }).n).toBe(before);
      const ok = await runCad(env, req);
      expect(ok.findings.length).toBe(1);
    } finally {
      ctx.close();
    }
  });

  it('analyze of an unknown series fails with a clear message', async () => {
    const r = await pulmo('analyze', '1.2.3.4.5');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No series 1\.2\.3\.4\.5 in the case index/);
  });
});
