// Crash safety of CAD (issue 10, failures 13 and 16), beside test/integration/import/killDuringImport.test.ts:
// `pulmo analyze` killed with SIGKILL at seeded moments of a run, or starved of disk space mid-run, leaves a
// consistent index, no findings of the broken run, and a run that the next start closes as interrupted instead
// of 'running' for ever; a full disk is said as such, naming the folder and the space needed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../../src-main/services/context';
import { CAD_INTERRUPTED } from '../../../src-main/store/cadRuns';
import type { VolumeGeometry } from '../../../src-main/shared/geometry';
import { buildMain, pulmoBin } from '../../fixtures/dicom/build';
import { tempDir } from '../../fixtures/dicom/paths';
import { phantom, seedVolume, type Seeded } from '../../fixtures/models/seedVolume';
import { mulberry32 } from '../../fixtures/prng';

const geometry: VolumeGeometry = { dims: [160, 160, 90], spacing: [0.8, 0.8, 1.25], origin: [-64, -64, -60], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const spheres = [{ centerLPS: [10, 5, -10] as [number, number, number], radiusMm: 6, hu: 20 }];

function runs(dataDir: string): { id: string; state: string; error: string | null; pid: number | null; findings: number }[] {
  const db = new Database(path.join(dataDir, 'pulmo.sqlite'), { readonly: true, timeout: 5000 });
  try {
    return db.prepare('SELECT r.id, r.state, r.error, r.pid, (SELECT COUNT(*) FROM findings f WHERE f.run_ref = r.id) AS findings FROM cad_runs r ORDER BY r.started_at').all() as never;
  } finally {
    db.close();
  }
}

function checkConsistent(dataDir: string): void {
  const db = new Database(path.join(dataDir, 'pulmo.sqlite'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  } finally {
    db.close();
  }
}

/** Starts `pulmo analyze`; once its run row is 'running', calls `during` (after extraMs); resolves with the exit. */
function analyzeWith(dataDir: string, uid: string, extraMs: number, during: (child: ReturnType<typeof spawn>) => void) {
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [pulmoBin, 'analyze', uid, '--data', dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d.toString()));
    let fired = false;
    const poll = setInterval(() => {
      if (fired) return;
      try {
        if (runs(dataDir).some((r) => r.state === 'running' && r.pid === child.pid)) {
          fired = true;
          setTimeout(() => during(child), extraMs);
        }
      } catch {
        /* the database is busy: poll again */
      }
    }, 20);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      resolve({ code, signal, stderr });
    });
  });
}

describe('CAD killed or starved of disk', () => {
  const root = tempDir('kill-cad');
  beforeAll(() => buildMain());
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('closes runs killed with SIGKILL as interrupted, keeps the index consistent, and a re-run completes', async () => {
    const dataDir = path.join(root, 'data');
    let seeded: Seeded;
    {
      const ctx = createContext({ dataDir });
      seeded = seedVolume(ctx.db, ctx.volumesDir, phantom(geometry, spheres), { birthDate: '19500101', studyDate: '20200101', sex: 'F' });
      ctx.close();
    }
    const rand = mulberry32(1010);
    const killedRuns: string[] = [];
    for (let t = 0; t < 3; t++) {
      const r = await analyzeWith(dataDir, seeded.seriesInstanceUID, Math.floor(rand() * 400), (c) => c.kill('SIGKILL'));
      checkConsistent(dataDir);
      if (r.signal !== 'SIGKILL') continue;
      // What the API showed for ever before the fix: the killed run still 'running'.
      const open = runs(dataDir).filter((x) => x.state === 'running');
      expect(open).toHaveLength(1);
      killedRuns.push(open[0].id);
    }
    expect(killedRuns.length).toBeGreaterThan(0);
    createContext({ dataDir }).close(); // the start-up sweep (every later start does it too)
    const after = runs(dataDir);
    for (const id of killedRuns) expect(after.find((r) => r.id === id)).toMatchObject({ state: 'failed', error: CAD_INTERRUPTED, findings: 0 });
    const again = spawnSync(process.execPath, [pulmoBin, 'analyze', seeded.seriesInstanceUID, '--data', dataDir], { encoding: 'utf8', timeout: 300_000 });
    expect(again.status, again.stderr).toBe(0);
    expect(runs(dataDir).filter((r) => r.state === 'done')).toHaveLength(1);
    checkConsistent(dataDir);
  }, 600_000);

  // A real full disk: a small tmpfs, filled while the run computes (mounting needs root, as in CI).
  const mnt = path.join(root, 'small-disk');
  const canMount = ((): boolean => {
    if (process.getuid?.() !== 0) return false;
    fs.mkdirSync(mnt, { recursive: true });
    return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mnt]).status === 0;
  })();
  afterAll(() => {
    if (canMount) spawnSync('umount', ['-l', mnt]);
  });

  const fill = (file: string): void => {
    const fd = fs.openSync(file, 'w');
    try {
      for (;;) fs.writeSync(fd, Buffer.alloc(1 << 20));
    } catch {
      // ENOSPC: the disk is full now
    } finally {
      fs.closeSync(fd);
    }
  };

  it.skipIf(!canMount)('says "Disk full" with the folder when analyze starts on a full disk', () => {
    const dataDir = path.join(mnt, 'start');
    const ctx = createContext({ dataDir });
    const seeded = seedVolume(ctx.db, ctx.volumesDir, phantom(geometry, spheres), { birthDate: '19500101', studyDate: '20200101', sex: 'F' });
    ctx.close();
    const filler = path.join(mnt, 'filler');
    fill(filler);
    const r = spawnSync(process.execPath, [pulmoBin, 'analyze', seeded.seriesInstanceUID, '--data', dataDir], { encoding: 'utf8', timeout: 120_000 });
    fs.rmSync(filler);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`Disk full: ${dataDir} has 0\\.\\d MB free; .* needs about 64 MB there`));
    expect(r.stderr).not.toMatch(/disk I\/O error|database or disk is full/);
    expect(runs(dataDir).filter((x) => x.state === 'running')).toEqual([]);
    fs.rmSync(dataDir, { recursive: true });
  }, 120_000);

  it.skipIf(!canMount)('says "Disk full" when the disk fills during the run, and the run ends failed, not running', async () => {
    const dataDir = path.join(mnt, 'data');
    const ctx = createContext({ dataDir });
    // Big enough that the detector is still computing when the disk fills (milliseconds) after the run starts.
    const big: VolumeGeometry = { ...geometry, dims: [256, 256, 110] };
    const seeded = seedVolume(ctx.db, ctx.volumesDir, phantom(big, spheres), { birthDate: '19500101', studyDate: '20200101', sex: 'F' });
    ctx.close();
    const filler = path.join(mnt, 'filler');
    const r = await analyzeWith(dataDir, seeded.seriesInstanceUID, 0, () => fill(filler));
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`Disk full: ${mnt}/data has 0\\.\\d MB free; storing the CAD results needs about 64 MB there`));
    expect(r.stderr).not.toMatch(/disk I\/O error/);
    fs.rmSync(filler);
    createContext({ dataDir }).close();
    const [run] = runs(dataDir);
    expect(run).toMatchObject({ state: 'failed', findings: 0 });
    checkConsistent(dataDir);
  }, 300_000);
});
