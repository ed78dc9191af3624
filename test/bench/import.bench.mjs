// Import benchmark (not a test): writes a synthetic uncompressed CT series (512x512xN, explicit VR LE) to a
// temp folder, runs `pulmo import --timings` on it (headers-only phase, volume build + index write, MB/s,
// peak RSS), runs dcm2niix on the same folder, and prints the ratio.
// Size: PULMO_BENCH_SLICES (default 600), PULMO_BENCH_SIZE (default 512). Needs `node scripts/build.mjs --main-only`.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const slices = Number(process.env.PULMO_BENCH_SLICES ?? 600);
const size = Number(process.env.PULMO_BENCH_SIZE ?? 512);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-bench-'));
const src = path.join(work, 'dicom');
fs.mkdirSync(src);

function el(group, element, vr, value) {
  const long = ['OB', 'OW', 'SQ', 'UT', 'UN'].includes(vr);
  let v = Buffer.isBuffer(value) ? value : typeof value === 'string' ? Buffer.from(value, 'latin1') : null;
  if (!v) {
    v = Buffer.alloc(2 * value.length);
    value.forEach((n, i) => v.writeUInt16LE(n, 2 * i));
  }
  if (v.length % 2) v = Buffer.concat([v, Buffer.from(vr === 'UI' ? '\0' : ' ')]);
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(element, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(v.length, 8);
  else h.writeUInt16LE(v.length, 6);
  return Buffer.concat([h, v]);
}

const uid = (n) => `2.25.${Date.now()}${process.pid}${n}`.slice(0, 64);
const study = uid(1), series = uid(2), frame = uid(3);
const pixels = Buffer.alloc(size * size * 2);
const t0 = performance.now();
for (let k = 0; k < slices; k++) {
  // A body-like disc of soft tissue in air, varying with k (stored = HU + 1024).
  for (let j = 0; j < size; j++)
    for (let i = 0; i < size; i++) {
      const r = Math.hypot(i - size / 2, j - size / 2);
      pixels.writeUInt16LE(r < size * 0.4 ? 1024 + 40 + ((i + j + k) % 30) : 24, 2 * (i + size * j));
    }
  const sop = uid(`9${k}`);
  const meta = Buffer.concat([el(2, 1, 'OB', Buffer.from([0, 1])), el(2, 2, 'UI', '1.2.840.10008.5.1.4.1.1.2'), el(2, 3, 'UI', sop), el(2, 0x10, 'UI', '1.2.840.10008.1.2.1')]);
  const ds = Buffer.concat([
    el(8, 0x16, 'UI', '1.2.840.10008.5.1.4.1.1.2'), el(8, 0x18, 'UI', sop), el(8, 0x60, 'CS', 'CT'),
    el(0x10, 0x10, 'PN', 'Bench^Patient'), el(0x10, 0x20, 'LO', 'BENCH'),
    el(0x18, 0x50, 'DS', '0.625'),
    el(0x20, 0x0d, 'UI', study), el(0x20, 0x0e, 'UI', series), el(0x20, 0x13, 'IS', String(k + 1)),
    el(0x20, 0x32, 'DS', `-180\\-180\\${(-300 + 0.625 * k).toFixed(3)}`), el(0x20, 0x37, 'DS', '1\\0\\0\\0\\1\\0'), el(0x20, 0x52, 'UI', frame),
    el(0x28, 2, 'US', [1]), el(0x28, 4, 'CS', 'MONOCHROME2'), el(0x28, 0x10, 'US', [size]), el(0x28, 0x11, 'US', [size]),
    el(0x28, 0x30, 'DS', '0.703125\\0.703125'), el(0x28, 0x100, 'US', [16]), el(0x28, 0x101, 'US', [16]), el(0x28, 0x102, 'US', [15]), el(0x28, 0x103, 'US', [0]),
    el(0x28, 0x1052, 'DS', '-1024'), el(0x28, 0x1053, 'DS', '1'),
    el(0x7fe0, 0x10, 'OW', pixels),
  ]);
  const pre = Buffer.alloc(132);
  pre.write('DICM', 128);
  const gl = Buffer.alloc(12);
  gl.writeUInt16LE(2, 0); gl.writeUInt16LE(0, 2); gl.write('UL', 4); gl.writeUInt16LE(4, 6); gl.writeUInt32LE(meta.length, 8);
  // Shuffled names: order must come from the geometry.
  fs.writeFileSync(path.join(src, `f${((k * 7919) % slices).toString(36)}_${k}`), Buffer.concat([pre, gl, meta, ds]));
}
const totalBytes = fs.readdirSync(src).reduce((n, f) => n + fs.statSync(path.join(src, f)).size, 0);
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
