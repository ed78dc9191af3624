// What the menu's items do, with Electron's dialogs and windows injected so the logic is tested in Node.
import type { Services } from '../services';
import { dispatch } from '../services/dispatch';
import type { JobStatus } from '../shared/types';
import type { MenuAction, MenuActions } from './menu';

export interface MenuActionDeps {
  services: Services;
  /** Shows the folder picker; resolves to the chosen folders ([] when cancelled). */
  pickFolders(): Promise<string[]>;
  showError(title: string, message: string): void;
  /** Shows a renderer route (e.g. `#/series/<uid>`) in the main window. */
  showRoute(hash: string): void;
  /** Sends `pulmo:event` 'menu' {action} to the renderer. */
  notifyRenderer(action: MenuAction): void;
}

/** Resolves with the job's final status: at once if it has finished, else on its last job.progress event. */
export function waitForJob(services: Services, jobId: string): Promise<JobStatus> {
  return new Promise((resolve, reject) => {
    const off = services.ctx.events.on((event, payload) => {
      const s = payload as JobStatus;
      if (event === 'job.progress' && s.jobId === jobId && s.finishedAt) {
        off();
        resolve(s);
      }
    });
    const now = services.jobs.get(jobId)?.status;
    if (!now) {
      off();
      reject(new Error(`No job ${jobId}`));
    } else if (now.finishedAt) {
      off();
      resolve(structuredClone(now));
    }
  });
}

export function createMenuActions(deps: MenuActionDeps): MenuActions & { done: Promise<void> } {
  const { services } = deps;
  let done: Promise<void> = Promise.resolve();
  const guard = (title: string, work: () => Promise<void>) => {
    done = work().catch((err: Error) => deps.showError(title, err.message));
  };
  return {
    get done() {
      return done; // the last action's promise, for callers (tests) that need to know it settled
    },
    importFolder: () =>
      guard('Import failed', async () => {
        const paths = await deps.pickFolders();
        if (paths.length === 0) return;
        // Progress reaches the renderer as job.progress events; only a refused start needs a dialog here.
        const r = await dispatch(services.handlers, 'import.start', { paths });
        if (!r.ok) deps.showError('Import could not start', r.error.message);
      }),
    openSample: () =>
      guard('Sample case failed', async () => {
        const r = await dispatch(services.handlers, 'sample.open', {});
        if (!r.ok) return deps.showError('Sample case unavailable', r.error.message);
        const { jobId, seriesInstanceUID } = r.value as { jobId: string | null; seriesInstanceUID: string };
        if (jobId) {
          // First use imports the sample: open the series once it is in the index, not before.
          const final = await waitForJob(services, jobId);
          if (final.state !== 'done') return deps.showError('Sample case import did not finish', final.error?.message ?? `The import ended ${final.state}`);
        }
        deps.showRoute(`#/series/${seriesInstanceUID}`);
      }),
    about: () => deps.notifyRenderer('about'),
  };
}
