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
import { writeSyntheticCtSeries } from './lib/syntheticCt.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const slices = Number(process.env.PULMO_BENCH_SLICES ?? 300);
const size = Number(process.env.PULMO_BENCH_SIZE ?? 512);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-bench-net-'));
const src = path.join(work, 'dicom');
fs.mkdirSync(src);

const mb = writeSyntheticCtSeries(src, { slices, size, patientName: 'Bench^Net', patientId: 'BENCHNET' }) / 1048576;
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
