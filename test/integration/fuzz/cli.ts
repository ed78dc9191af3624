// Entry of `npm run fuzz -- --count N --seed S [--batch B] [--keep]`: the same harness as the CI test, as many
// files as asked, printing the figures (bundled and run by scripts/fuzz.mjs).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runFuzz } from './runFuzz';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '2000' }, seed: { type: 'string', default: '20261202' }, batch: { type: 'string', default: '200' }, keep: { type: 'boolean', default: false } },
});
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-fuzz-'));
const f = runFuzz({ count: Number(values.count), seed: Number(values.seed), batchSize: Number(values.batch), workDir: work, log: (l) => console.error(l) });
console.log(`\nPulmo import fuzz, seed ${f.seed}: ${f.mutantsTried} mutated + ${f.intactFilesTried} intact files in ${f.batches} batches, ${(f.totalMs / 1000).toFixed(1)} s (slowest batch ${(f.maxBatchMs / 1000).toFixed(1)} s)`);
console.log(`crashes ${f.crashes}, hangs ${f.hangs}, wrong-HU ${f.wrongHU}, rejections without code ${f.rejectionsWithoutCode}, intact series changed ${f.intactMismatches}, database integrity failures ${f.integrityFailures}`);
console.log(`rejections ${f.rejections}:`, Object.entries(f.byCode).map(([k, v]) => `${k} ${v}`).join(', '));
console.log('mutations (rejected / tried):', Object.entries(f.byKind).map(([k, v]) => `${k} ${v.rejected}/${v.tried}`).join(', '));
for (const p of f.problems) console.log(`PROBLEM ${p}`);
if (!values.keep && f.problems.length === 0) fs.rmSync(work, { recursive: true, force: true });
else console.log(`work folder kept: ${work}`);
process.exitCode = f.problems.length ? 1 : 0;
