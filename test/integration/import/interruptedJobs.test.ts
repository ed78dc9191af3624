// An import job left 'running' by a process that no longer exists is closed as interrupted, with the reason;
// one whose process is alive (a CLI import beside the app) is left running.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/db';
import { INTERRUPTED, createImportJob, listImportJobs } from '../../../src-main/store/importJobs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-interrupted-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('interrupted import jobs', () => {
  it('closes jobs of dead processes and keeps those of live ones', () => {
    const { db } = openDatabase(path.join(dir, 'pulmo.sqlite'));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // has exited by now
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      createImportJob(db, 'deadjob', ['/cd'], '2026-01-01T00:00:00Z', dead);
      createImportJob(db, 'livejob', ['/usb'], '2026-01-01T00:00:01Z', sleeper.pid!);
      createImportJob(db, 'selfjob', ['/here'], '2026-01-01T00:00:02Z');
      const byId = Object.fromEntries(listImportJobs(db, 10).map((j) => [j.jobId, j]));
      expect(byId.deadjob.state).toBe('failed');
      expect(byId.deadjob.error).toEqual({ code: 'interrupted', message: INTERRUPTED });
      expect(byId.deadjob.finishedAt).not.toBeNull();
      expect(byId.livejob.state).toBe('running');
      expect(byId.selfjob.state).toBe('running');
      // persisted, not just reported
      expect(db.prepare("SELECT state FROM import_jobs WHERE id = 'deadjob'").get()).toEqual({ state: 'failed' });
    } finally {
      sleeper.kill();
      db.close();
    }
  });
});
