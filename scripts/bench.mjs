// `npm run bench`: runs every benchmark in test/bench/ one after another (they compete for 2 cores otherwise)
// and prints their figures. Benchmarks measure and print; they never pass or fail on a time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = path.join(root, 'test', 'bench');
const only = process.argv.slice(2);
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();

console.log(`Pulmo benchmarks on ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.versions.node}, ${os.platform()}`);
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(dir, f)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`(${f} exited with ${r.status})`);
  }
}
process.exitCode = failed ? 1 : 0;
