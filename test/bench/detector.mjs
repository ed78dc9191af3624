// Benchmark of the built-in detector on a full-size synthetic chest CT (default 512x512x300, 0.7 x 0.7 x 1.25 mm).
// Usage: node test/bench/detector.mjs [nx ny nz]. Bundles the TypeScript sources with esbuild on the fly.
import { build } from 'esbuild';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { pathToFileURL, fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-bench-'));
const entry = path.join(tmp, 'entry.ts');
fs.writeFileSync(
  entry,
  `export { makeChestPhantom } from ${JSON.stringify(path.join(root, 'test/fixtures/phantom/chestPhantom.ts'))};
   export { detectNodules } from ${JSON.stringify(path.join(root, 'src-main/cad/detector/detectNodules.ts'))};
   export { froc } from ${JSON.stringify(path.join(root, 'src-main/eval/froc.ts'))};`,
);
const out = path.join(tmp, 'bench.mjs');
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, logLevel: 'warning' });
const { makeChestPhantom, detectNodules, froc } = await import(pathToFileURL(out).href);
fs.rmSync(tmp, { recursive: true, force: true });

const dims = process.argv.length >= 5 ? process.argv.slice(2, 5).map(Number) : [512, 512, 300];
let t = performance.now();
const ph = makeChestPhantom({ dims, spacing: [0.7, 0.7, 1.25], seed: 5 });
console.log(`phantom ${dims.join('x')} generated in ${Math.round(performance.now() - t)} ms`);
t = performance.now();
const cpu0 = process.cpuUsage();
const res = await detectNodules(ph.volume);
const total = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
const r = froc([{ id: 'bench', nodules: ph.nodules.map((n) => ({ center: n.centerLPS, radiusMm: Math.max(3, n.diameterMm / 2) })), candidates: res.candidates.map((c) => ({ center: c.centerLPS, score: c.score })) }]);
for (const n of ph.nodules) {
  const rank = res.candidates.findIndex((c) => Math.hypot(c.centerLPS[0] - n.centerLPS[0], c.centerLPS[1] - n.centerLPS[1], c.centerLPS[2] - n.centerLPS[2]) <= Math.max(3, n.diameterMm / 2));
  console.log(`${n.name.padEnd(16)} rank ${rank >= 0 ? rank : 'missed'}${rank >= 0 ? ` score ${res.candidates[rank].score.toFixed(3)}` : ''}`);
}
console.log(JSON.stringify({ dims, workSpacingMm: res.workSpacingMm, totalMs: Math.round(total), cpuMs: Math.round((cpu.user + cpu.system) / 1000), loadAverage: os.loadavg()[0], timingsMs: res.timingsMs, candidates: res.candidates.length, sensitivityAt1FP: r.sensitivities[3], cpm: r.cpm, cpus: os.cpus().length }, null, 1));
