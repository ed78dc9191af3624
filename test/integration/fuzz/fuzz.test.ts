// Hostile input stays handled: >= 2,000 seeded mutants of the real LIDC-IDRI crops per CI run (PULMO_FUZZ_COUNT
// and PULMO_FUZZ_SEED change that; `npm run fuzz -- --count N --seed S` runs more and prints the figures).
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { buildMain } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { runFuzz } from './runFuzz';

const COUNT = Number(process.env.PULMO_FUZZ_COUNT ?? 2000);
const SEED = Number(process.env.PULMO_FUZZ_SEED ?? 20261202);

describe('fuzzed DICOM import', () => {
  const work = tempDir('fuzz');
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it(`survives ${COUNT} mutated files (seed ${SEED}): no crash, no hang, every rejection coded, intact files identical`, () => {
    buildMain();
    const f = runFuzz({ count: COUNT, seed: SEED, workDir: work });
    console.log(`fuzz figures: ${JSON.stringify(f)}`);
    expect(f.problems).toEqual([]);
    expect(f.mutantsTried).toBe(COUNT);
    expect(f.crashes).toBe(0);
    expect(f.hangs).toBe(0);
    expect(f.wrongHU).toBe(0);
    expect(f.rejectionsWithoutCode).toBe(0);
    expect(f.intactMismatches).toBe(0);
    expect(f.integrityFailures).toBe(0);
    // The harness must actually bite: most mutation kinds are rejected some of the time, and some mutants get in.
    expect(f.rejections).toBeGreaterThan(COUNT / 4);
    expect(Object.keys(f.byCode).length).toBeGreaterThanOrEqual(6);
  }, 1_800_000);
});
