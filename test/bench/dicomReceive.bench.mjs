// DICOM receive benchmark (not a test): a synthetic 300-slice 512x512 CT series sent over loopback by dcmtk's
// storescu to (a) Pulmo's listener (`pulmo dicom listen`: spooled to disk, then imported as one job) and (b)
// dcmtk's storescp writing files. Same sender, same series, same machine: the receive rates compare the
// receivers. Pulmo's time to the worklist (receive + import) is printed too.
// Size: PULMO_BENCH_SLICES (default 300), PULMO_BENCH_SIZE (default 512). Needs `node scripts/build.mjs --main-only`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const slices = Number(process.env.PULMO_BENCH_SLICES ?? 300);
const size = Number(process.env.PULMO_BENCH_SIZE ?? 512);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-bench-net-'));
const src = path.join(work, 'dicom');
fs.mkdirSync(src);

function el(group, element, vr, value) {
  let v = Buffer.isBuffer(value) ? value : typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(Uint16Array.from(value).buffer);
  if (v.length % 2) v = Buffer.concat([v, Buffer.from(vr === 'UI' ? '\0' : ' ')]);
  const long = vr === 'OB' || vr === 'OW';
  const h = Buffer.alloc(long ? 12 : 8);
  h.writeUInt16LE(group, 0);
  h.writeUInt16LE(element, 2);
  h.write(vr, 4, 'latin1');
  if (long) h.writeUInt32LE(v.length, 8);
  else h.writeUInt16LE(v.length, 6);
  return Buffer.concat([h, v]);
}
const uid = (n) => `2.25.${Date.now()}${process.pid}${n}`.slice(0, 64);
const study = uid(1), series = uid(2);
const pixels = Buffer.alloc(size * size * 2);
for (let k = 0; k < slices; k++) {
  for (let j = 0; j < size; j++)
    for (let i = 0; i < size; i++) pixels.writeUInt16LE(Math.hypot(i - size / 2, j - size / 2) < size * 0.4 ? 1064 + ((i + j + k) % 30) : 24, 2 * (i + size * j));
  const sop = uid(`9${k}`);
  const meta = Buffer.concat([el(2, 1, 'OB', Buffer.from([0, 1])), el(2, 2, 'UI', '1.2.840.10008.5.1.4.1.1.2'), el(2, 3, 'UI', sop), el(2, 0x10, 'UI', '1.2.840.10008.1.2.1')]);
  const gl = el(2, 0, 'UL', Buffer.from(Uint32Array.of(meta.length).buffer));
  const ds = Buffer.concat([
    el(8, 0x16, 'UI', '1.2.840.10008.5.1.4.1.1.2'), el(8, 0x18, 'UI', sop), el(8, 0x60, 'CS', 'CT'), el(0x10, 0x10, 'PN', 'Bench^Net'), el(0x10, 0x20, 'LO', 'BENCHNET'),
    el(0x20, 0x0d, 'UI', study), el(0x20, 0x0e, 'UI', series), el(0x20, 0x13, 'IS', String(k + 1)),
    el(0x20, 0x32, 'DS', `-180\\-180\\${(-300 + 0.625 * k).toFixed(3)}`), el(0x20, 0x37, 'DS', '1\\0\\0\\0\\1\\0'),
    el(0x28, 2, 'US', [1]), el(0x28, 4, 'CS', 'MONOCHROME2'), el(0x28, 0x10, 'US', [size]), el(0x28, 0x11, 'US', [size]), el(0x28, 0x30, 'DS', '0.703125\\0.703125'),
    el(0x28, 0x100, 'US', [16]), el(0x28, 0x101, 'US', [16]), el(0x28, 0x102, 'US', [15]), el(0x28, 0x103, 'US', [0]), el(0x28, 0x1052, 'DS', '-1024'), el(0x28, 0x1053, 'DS', '1'),
    el(0x7fe0, 0x10, 'OW', pixels),
  ]);
  const pre = Buffer.alloc(132);
  pre.write('DICM', 128);
  fs.writeFileSync(path.join(src, `s${String(k).padStart(4, '0')}.dcm`), Buffer.concat([pre, gl, meta, ds]));
}
const mb = fs.readdirSync(src).reduce((n, f) => n + fs.statSync(path.join(src, f)).size, 0) / 1048576;
console.log(`series: ${slices} slices ${size}x${size}, ${mb.toFixed(0)} MB, explicit VR little endian; sender: dcmtk storescu over 127.0.0.1`);

const freePort = () => new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
/** Starts a receiver, waits until it accepts connections. */
async function startReceiver(cmd, args, port, lines) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [child.stdout, child.stderr]) readline.createInterface({ input: stream }).on('line', (l) => lines.push(l));
  for (let i = 0; i < 200; i++) {
    const ok = await new Promise((resolve) => { const c = net.connect(port, '127.0.0.1', () => { c.destroy(); resolve(true); }); c.on('error', () => resolve(false)); });
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${cmd} did not start: ${lines.join('\n')}`);
}
function send(aec, port) {
  const t0 = performance.now();
  const r = spawnSync('storescu', ['-aet', 'BENCH', '-aec', aec, '127.0.0.1', String(port), '+sd', src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`storescu to ${aec} failed: ${r.stderr}`);
  return performance.now() - t0;
}
const rate = (ms) => `${Math.round(ms)} ms (${(mb / (ms / 1000)).toFixed(0)} MB/s, ${(slices / (ms / 1000)).toFixed(0)} instances/s)`;

// (a) Pulmo
const pPort = await freePort();
const pLines = [];
const pulmo = await startReceiver(process.execPath, [path.join(root, 'bin', 'pulmo.js'), 'dicom', 'listen', '--port', String(pPort), '--allow', 'BENCH', '--data', path.join(work, 'data')], pPort, pLines);
const tp0 = performance.now();
const pulmoMs = send('PULMO', pPort);
while (!pLines.some((l) => /^reception .* instances imported/.test(l))) await new Promise((r) => setTimeout(r, 20));
const toWorklist = performance.now() - tp0;
pulmo.kill('SIGINT');
console.log(`Pulmo listener  receive: ${rate(pulmoMs)}; received + imported (in the worklist): ${Math.round(toWorklist)} ms`);
console.log(`  ${pLines.find((l) => l.startsWith('reception'))}`);

// (b) dcmtk storescp
const dPort = await freePort();
const out = path.join(work, 'storescp');
fs.mkdirSync(out);
const scp = await startReceiver('storescp', ['-aet', 'STORESCP', '-od', out, String(dPort)], dPort, []);
const dcmtkMs = send('STORESCP', dPort);
scp.kill('SIGTERM');
console.log(`dcmtk storescp  receive: ${rate(dcmtkMs)}`);
console.log(`Pulmo / storescp receive time ratio: ${(pulmoMs / dcmtkMs).toFixed(2)}`);
fs.rmSync(work, { recursive: true, force: true });
