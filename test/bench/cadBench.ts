// Full CAD on a synthetic chest CT (default 512×512×300): wall time per stage and peak RSS, on the CPU and, with
// --provider <gpu>, on that provider where it loads, comparing the detection heatmaps (relative L2) and findings.
// Bundled and started by test/bench/cad.mjs. Measures and prints; never passes or fails on a time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../../src-main/services/context';
import { ModelRegistry } from '../../src-main/cad/registry';
import { inProcessExecutor, runCad, type CadEnv } from '../../src-main/services/cad/runCad';
import { classicalDeps } from '../../src-main/cad/cadDeps';
import { getSession, releaseSessions } from '../../src-main/cad/session';
import { probeProvider } from '../../src-main/cad/providers';
import { parseManifest, normalizer, type DetectionManifest } from '../../src-main/cad/manifest';
import { resampleVolume, OUTSIDE_HU } from '../../src-main/cad/resample';
import { slidingWindow } from '../../src-main/cad/slidingWindow';
import { runPatches, patchZYX } from '../../src-main/cad/onnxDetector';
import type { Vec3 } from '../../src-main/shared/geometry';
import type { Finding } from '../../src-main/shared/types';
import { makeChestPhantom } from '../fixtures/phantom/chestPhantom';
import { seedVolume } from '../fixtures/models/seedVolume';
import { classifierBytes, classifierManifest, detectorBytes, detectorManifest, writeModelDir } from '../fixtures/models/buildModels';

const rssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024);
const fmt = (t: Record<string, number>) => Object.entries(t).map(([k, v]) => `${k} ${Math.round(v)} ms`).join(', ');

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : def;
}

export async function main(): Promise<void> {
  const dims = arg('dims', '512,512,300').split(',').map(Number) as Vec3;
  const spacing = arg('spacing', '0.7,0.7,1.0').split(',').map(Number) as Vec3;
  const provider = arg('provider', 'cpu');
  const patch = Number(arg('patch', '64'));
  console.log(`CAD benchmark: synthetic chest CT ${dims.join('×')} at ${spacing.join('×')} mm, ${os.cpus().length} CPU cores; provider requested: ${provider}`);

  let t = performance.now();
  const ph = makeChestPhantom({ dims, spacing, seed: 11 });
  console.log(`phantom: ${Math.round(performance.now() - t)} ms, ${ph.nodules.length} nodules inserted; peak RSS ${rssMiB()} MiB`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-cad-bench-'));
  const ctx = createContext({ dataDir: path.join(tmp, 'data') });
  try {
    const seeded = seedVolume(ctx.db, ctx.volumesDir, ph.volume, { birthDate: '19550101', studyDate: '20240101', sex: 'F' });
    const registry = new ModelRegistry(path.join(tmp, 'none'), ctx.modelsDir);
    const det = detectorBytes({ patch });
    const detManifest = detectorManifest(det, { input: { name: 'ct', layout: 'NCDHW', size: [patch, patch, patch], spacingMm: [1, 1, 1], windowHU: [-1200, 600], normalizeTo: [0, 1] }, sliding: { overlap: 0.25, batch: 2 } });
    await registry.add(writeModelDir(tmp, 'det', det, detManifest));
    const cls = classifierBytes();
    await registry.add(writeModelDir(tmp, 'cls', cls, classifierManifest(cls)));
    const env: CadEnv = { db: ctx.db, volumesDir: ctx.volumesDir, registry, execute: inProcessExecutor(classicalDeps) };

    const report = (label: string, r: { provider: string; timingsMs: Record<string, number>; findings: Finding[] }, wall: number) => {
      console.log(`\n[${label}] provider ${r.provider}: ${r.findings.length} findings, wall ${Math.round(wall)} ms, peak RSS ${rssMiB()} MiB`);
      console.log(`  stages: ${fmt(r.timingsMs)}`);
      const hits = ph.nodules.filter((n) => r.findings.some((f) => Math.hypot(...f.centerLPS.map((v, a) => v - n.centerLPS[a])) < Math.max(3, n.diameterMm / 2)));
      console.log(`  inserted nodules hit: ${hits.length}/${ph.nodules.length} (${hits.map((h) => h.name).join(', ')})`);
    };

    t = performance.now();
    const a = await runCad(env, { seriesInstanceUID: seeded.seriesInstanceUID, models: ['pulmo-classical', 'test-mean-classifier'], provider: 'cpu' });
    report('classical detector + ONNX classifier', a, performance.now() - t);

    t = performance.now();
    const b = await runCad(env, { seriesInstanceUID: seeded.seriesInstanceUID, models: ['test-heatmap', 'test-mean-classifier'], provider: 'cpu' });
    report(`ONNX heatmap detector (${patch}³ patches, 9³ conv) + classifier`, b, performance.now() - t);
    console.log('  (the test heatmap model is a Gaussian blob filter, not a trained detector: it measures the engine, its findings mean little)');

    if (provider !== 'cpu') {
      const probe = await probeProvider(provider);
      if (!probe.ok) {
        console.log(`\n[${provider}] not available here: ${probe.reason} — the app falls back to the CPU (shown above).`);
      } else {
        const shift = (x: Finding[], y: Finding[]) =>
          x.map((f) => Math.min(...y.map((g) => Math.hypot(...g.centerLPS.map((v, k) => v - f.centerLPS[k]))))).reduce((p, q) => Math.max(p, q), 0);
        t = performance.now();
        const ag = await runCad(env, { seriesInstanceUID: seeded.seriesInstanceUID, models: ['pulmo-classical', 'test-mean-classifier'], provider });
        report(`classical detector (smoothing on ${provider}) + classifier`, ag, performance.now() - t);
        console.log(`  vs cpu: findings ${a.findings.length} → ${ag.findings.length}; largest centre shift ${shift(a.findings, ag.findings).toFixed(3)} mm`);
        t = performance.now();
        const c = await runCad(env, { seriesInstanceUID: seeded.seriesInstanceUID, models: ['test-heatmap', 'test-mean-classifier'], provider });
        report(`ONNX heatmap detector + classifier on ${provider}`, c, performance.now() - t);
        // Same heatmap on both providers, compared voxel by voxel.
        const m = parseManifest(detManifest) as DetectionManifest;
        const grid = resampleVolume(ph.volume, m.input.spacingMm, normalizer(m));
        const heat = async (p: string) => {
          const s = await getSession(`${m.id}@${m.version}`, path.join(ctx.modelsDir, m.id, 'model.onnx'), p);
          const t0 = performance.now();
          const h = await slidingWindow(grid.data, grid.geometry.dims, (x, n) => runPatches(s, m, x, n), { patchZYX: patchZYX(m), overlap: m.sliding.overlap, batch: m.sliding.batch, padValue: normalizer(m)(OUTSIDE_HU) });
          return { h, ms: performance.now() - t0 };
        };
        const cpu = await heat('cpu');
        const gpu = await heat(provider);
        let num = 0;
        let den = 0;
        for (let n = 0; n < cpu.h.length; n++) {
          num += (gpu.h[n] - cpu.h[n]) ** 2;
          den += cpu.h[n] ** 2;
        }
        console.log(`\nheatmap inference: cpu ${Math.round(cpu.ms)} ms, ${provider} ${Math.round(gpu.ms)} ms; relative L2 difference ${(Math.sqrt(num / den)).toExponential(2)}`);
        console.log(`findings: cpu ${b.findings.length}, ${provider} ${c.findings.length}; largest centre shift ${shift(b.findings, c.findings).toFixed(3)} mm`);
      }
    }
  } finally {
    await releaseSessions();
    ctx.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
