// The menu's actions against real services: folder import, the sample case (imported, then shown), About.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMenuActions, waitForJob, type MenuActionDeps } from '../../../src-main/app/menuActions';
import type { MenuAction } from '../../../src-main/app/menu';
import { tempServices } from './helpers';

const env = tempServices();
afterAll(() => env.cleanup());

function setup(pick: string[]) {
  const log = { errors: [] as string[], routes: [] as string[], notified: [] as MenuAction[], picked: 0 };
  const deps: MenuActionDeps = {
    services: env.services,
    pickFolders: async () => {
      log.picked++;
      return pick;
    },
    showError: (title, message) => log.errors.push(`${title}: ${message}`),
    showRoute: (hash) => log.routes.push(hash),
    notifyRenderer: (a) => log.notified.push(a),
  };
  return { actions: createMenuActions(deps), log };
}

describe('menu actions', () => {
  it('About tells the renderer', () => {
    const { actions, log } = setup([]);
    actions.about();
    expect(log.notified).toEqual(['about']);
  });

  it('Import Folder… does nothing when the picker is cancelled', async () => {
    const { actions, log } = setup([]);
    actions.importFolder();
    await actions.done;
    expect(log.picked).toBe(1);
    expect(env.services.jobs.list()).toEqual([]);
  });

  it('Import Folder… starts an import job for the chosen folders', async () => {
    const empty = path.join(env.dir, 'empty-folder');
    fs.mkdirSync(empty);
    const { actions, log } = setup([empty]);
    actions.importFolder();
    await actions.done;
    expect(log.errors).toEqual([]);
    const [job] = env.services.jobs.list();
    expect(job.kind).toBe('import');
    const final = await waitForJob(env.services, job.jobId);
    expect(final.finishedAt).toBeTruthy();
  });

  it('Open Sample Case imports the sample, then shows its series', async () => {
    const { actions, log } = setup([]);
    actions.openSample();
    await actions.done;
    expect(log.errors).toEqual([]);
    expect(log.routes).toHaveLength(1);
    const uid = /^#\/series\/([0-9.]+)$/.exec(log.routes[0])?.[1];
    expect(uid).toBeTruthy();
    // The series is in the index with a volume by the time the route is shown.
    const row = env.services.ctx.db.prepare('SELECT COUNT(*) AS n FROM series s JOIN volumes v ON v.series_ref = s.id WHERE s.series_uid = ?').get(uid) as { n: number };
    expect(row.n).toBe(1);
  }, 120_000);

  it('waitForJob refuses an unknown job', async () => {
    await expect(waitForJob(env.services, 'nope')).rejects.toThrow(/No job nope/);
  });
});
