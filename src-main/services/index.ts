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

export interface Services {
  ctx: AppContext;
  jobs: JobRegistry;
  handlers: Handlers;
}

export function createServices(ctx: AppContext): Services {
  const jobs = new JobRegistry(ctx.events);
  const handlers: Handlers = {
    ...appHandlers(ctx),
    ...caseHandlers(ctx),
    ...importHandlers(ctx, jobs),
    ...jobHandlers(ctx, jobs),
    ...findingHandlers(ctx),
    ...cadHandlers(ctx, jobs),
    ...reviewHandlers(ctx),
  };
  return { ctx, jobs, handlers };
}
