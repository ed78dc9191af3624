// Crash safety: `pulmo import` killed with SIGKILL at seeded random moments leaves a consistent index
// (integrity_check ok, no FK violations, no series without instances, no volume row without its cache file,
// every committed series complete), and running the import again completes it. Each kill is triggered by the
// import's own progress (the n-th volume file renamed into place, then a few ms more), so it lands mid-import
// however fast the import runs: between a rename and its commit, or inside the next volume's build.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { buildMain, pulmoBin } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries } from '../../fixtures/dicom/ctSeries';
import { mulberry32 } from '../../fixtures/prng';

const SERIES = 30;
const SLICES = 24;
const TRIALS = 6;


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

const rawFiles = (volumesDir: string): number => (fs.existsSync(volumesDir) ? fs.readdirSync(volumesDir).filter((f) => f.endsWith('.raw')).length : 0);

/** Runs an import and SIGKILLs it `extraMs` after the `nth` new volume file appears (null: it finished first). */
function importKilledAt(src: string, dataDir: string, nth: number, extraMs: number): Promise<string | null> {
  const volumesDir = path.join(dataDir, 'volumes');
  const baseline = rawFiles(volumesDir);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [pulmoBin, 'import', src, '--data', dataDir], { stdio: 'ignore' });
    let timer: NodeJS.Timeout | null = null;
    const poll = setInterval(() => {
      if (timer || rawFiles(volumesDir) - baseline < nth) return;
      timer = setTimeout(() => child.kill('SIGKILL'), extraMs);
    }, 1);
    child.on('exit', (_code, signal) => {
      clearInterval(poll);
      if (timer) clearTimeout(timer);
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
    const rand = mulberry32(20240611);
    let killed = 0;
    let before = 0;
    for (let t = 0; t < TRIALS; t++) {
      const nth = Math.floor(rand() * (SERIES - before)); // 0: during phase 1 or the first build
      const extraMs = Math.floor(rand() * 8);
      const signal = await importKilledAt(src, dataDir, nth, extraMs);
      if (signal === 'SIGKILL') killed++;
      if (!fs.existsSync(path.join(dataDir, 'pulmo.sqlite'))) continue;
      const now = checkConsistent(dataDir);
      expect(now.series).toBeGreaterThanOrEqual(before); // progress is never lost
      before = now.series;
      if (signal !== 'SIGKILL' && before === SERIES) {
        // The import outran the kill (a fast or idle machine): start over so the next trials still kill mid-import.
        fs.rmSync(dataDir, { recursive: true, force: true });
        before = 0;
      }
    }
    expect(killed).toBeGreaterThanOrEqual(TRIALS / 2);
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
