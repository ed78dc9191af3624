// The API's implementation, transport-agnostic: one handler per method of src-main/shared/api.ts.
import type { AppContext } from './context';
import type { Handlers } from './dispatch';
import { appHandlers } from './appService';
import { caseHandlers } from './caseService';
import { importHandlers } from './importService';
import { jobHandlers } from './jobService';
import { findingHandlers } from './findingService';
import { cadHandlers } from './cadService';
import { reviewHandlers } from './reviewService';
import { JobRegistry } from './jobs';
import { netHandlers } from './net/netService';
import { ListenerService } from './net/listenerService';

export interface Services {
  ctx: AppContext;
  jobs: JobRegistry;
  handlers: Handlers;
  /** Pulmo's DICOM listener: started by startNetwork() when the stored settings turn it on. */
  listener: ListenerService;
  /** Starts what the stored settings turn on (the DICOM listener); failures are reported in its status. */
  startNetwork(): Promise<void>;
  close(): Promise<void>;
}

export function createServices(ctx: AppContext): Services {
  const jobs = new JobRegistry(ctx.events);
  const listener = new ListenerService(ctx, jobs);
  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...caseHandlers(ctx),
    ...importHandlers(ctx, jobs),
    ...jobHandlers(ctx, jobs),
    ...findingHandlers(ctx),
    ...cadHandlers(ctx, jobs),
    ...reviewHandlers(ctx),
    ...netHandlers(ctx, jobs, listener),
  };
  return {
    ctx,
    jobs,
    handlers,
    listener,
    startNetwork: async () => {
      if (!ctx.readOnly) await listener.apply();
    },
    close: async () => {
      await listener.stop();
      await listener.idle();
    },
  };
}
