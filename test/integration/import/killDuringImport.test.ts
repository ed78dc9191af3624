// Crash safety: `pulmo import` killed with SIGKILL at seeded random moments leaves a consistent index
// (integrity_check ok, no FK violations, no series without instances, no volume row without its cache file,
// every committed series complete), and running the import again completes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildMain, pulmoBin } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries } from '../../fixtures/dicom/ctSeries';

const SERIES = 10;
const SLICES = 24;
const TRIALS = 6;

/** mulberry32: a small seeded PRNG so failures reproduce. */
function prng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkConsistent(dataDir: string): { series: number; instances: number } {
  const db = new Database(path.join(dataDir, 'pulmo.sqlite'));
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM series s WHERE NOT EXISTS (SELECT 1 FROM instances i WHERE i.series_ref = s.id)').get()).toEqual({ n: 0 });
    // Each series is committed whole: all of its slices or none.
    for (const r of db.prepare('SELECT s.series_uid, COUNT(i.id) AS n FROM series s JOIN instances i ON i.series_ref = s.id GROUP BY s.id').all() as { n: number }[]) {
      expect(r.n).toBe(SLICES);
    }
    for (const v of db.prepare('SELECT cache_path, byte_length FROM volumes').all() as { cache_path: string; byte_length: number }[]) {
      const f = path.join(dataDir, 'volumes', v.cache_path);
      expect(fs.existsSync(f)).toBe(true);
      expect(fs.statSync(f).size).toBe(v.byte_length);
    }
    return {
      series: (db.prepare('SELECT COUNT(*) AS n FROM series').get() as { n: number }).n,
      instances: (db.prepare('SELECT COUNT(*) AS n FROM instances').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

function importKilledAfter(src: string, dataDir: string, ms: number): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [pulmoBin, 'import', src, '--data', dataDir], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    });
  });
}

describe('kill during import', () => {
  const root = tempDir('kill');
  const src = path.join(root, 'src');
  const dataDir = path.join(root, 'data');
  beforeAll(() => {
    buildMain();
    for (let s = 0; s < SERIES; s++) {
      writeCtSeries({ dir: path.join(src, `s${s}`), rows: 128, columns: 128, slices: SLICES, pixelSpacing: [0.8, 0.8], sliceStep: 1.5, origin: [0, 0, 10 * s] });
    }
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it(`stays consistent over ${TRIALS} seeded SIGKILLs and completes on a re-run`, async () => {
    const rand = prng(20240611);
    let killed = 0;
    let before = 0;
    for (let t = 0; t < TRIALS; t++) {
      const delay = 150 + Math.floor(rand() * 1200);
      const signal = await importKilledAfter(src, dataDir, delay);
      if (signal === 'SIGKILL') killed++;
      if (!fs.existsSync(path.join(dataDir, 'pulmo.sqlite'))) continue;
      const now = checkConsistent(dataDir);
      expect(now.series).toBeGreaterThanOrEqual(before); // progress is never lost
      before = now.series;
    }
    expect(killed).toBeGreaterThan(0);
    const done = spawnSync(process.execPath, [pulmoBin, 'import', src, '--data', dataDir, '--json'], { encoding: 'utf8' });
    expect(done.status).toBe(0);
    const final = checkConsistent(dataDir);
    expect(final).toEqual({ series: SERIES, instances: SERIES * SLICES });
    const db = new Database(path.join(dataDir, 'pulmo.sqlite'), { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM volumes').get()).toEqual({ n: SERIES });
    db.close();
    // Temporary files of the killed processes are swept by the next import.
    expect(fs.readdirSync(path.join(dataDir, 'volumes')).filter((f) => f.includes('.tmp-'))).toEqual([]);
  }, 120_000);
});
