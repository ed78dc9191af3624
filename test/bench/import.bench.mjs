// Import benchmark (not a test): writes a synthetic uncompressed CT series (512x512xN, explicit VR LE) to a
// temp folder, runs `pulmo import --timings` on it (headers-only phase, volume build + index write, MB/s,
// peak RSS), runs dcm2niix on the same folder, and prints the ratio.
// Size: PULMO_BENCH_SLICES (default 600), PULMO_BENCH_SIZE (default 512). Needs `node scripts/build.mjs --main-only`.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticCtSeries } from './lib/syntheticCt.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const slices = Number(process.env.PULMO_BENCH_SLICES ?? 600);
const size = Number(process.env.PULMO_BENCH_SIZE ?? 512);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-bench-'));
const src = path.join(work, 'dicom');
fs.mkdirSync(src);

const t0 = performance.now();
// Shuffled names: order must come from the geometry.
const totalBytes = writeSyntheticCtSeries(src, { slices, size, fileName: (k) => `f${((k * 7919) % slices).toString(36)}_${k}` });
const mb = totalBytes / 1048576;
console.log(`generated ${slices} slices ${size}x${size} (${mb.toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${src}`);

execFileSync('sync');
const r = spawnSync(process.execPath, [path.join(root, 'bin', 'pulmo.js'), 'import', src, '--json', '--timings', '--data', path.join(work, 'data')], { encoding: 'utf8', maxBuffer: 64 << 20 });
if (r.status !== 0) throw new Error(`pulmo import failed: ${r.stderr}`);
const timings = JSON.parse(/timings: (.*)/.exec(r.stderr)[1]);
const summary = JSON.parse(r.stdout);
console.log(`pulmo import: ${summary.instancesImported} instances, volume ${summary.series[0]?.dims?.join('x')}`);
console.log(`  phase 1 (scan + headers only): ${timings.headersMs} ms (${(slices / (timings.headersMs / 1000)).toFixed(0)} files/s)`);
console.log(`  phase 2 (volume build + cache + index write): ${timings.volumesMs} ms (${(mb / (timings.volumesMs / 1000)).toFixed(0)} MB/s)`);
console.log(`  total: ${timings.totalMs} ms (${(mb / (timings.totalMs / 1000)).toFixed(0)} MB/s), peak RSS ${timings.maxRssMB} MB`);

const out = path.join(work, 'nii');
fs.mkdirSync(out);
const t1 = performance.now();
execFileSync('dcm2niix', ['-z', 'n', '-o', out, src], { stdio: 'ignore' });
const d2n = performance.now() - t1;
console.log(`dcm2niix -z n: ${Math.round(d2n)} ms (${(mb / (d2n / 1000)).toFixed(0)} MB/s); pulmo/dcm2niix time ratio ${(timings.totalMs / d2n).toFixed(2)}`);
fs.rmSync(work, { recursive: true, force: true });
