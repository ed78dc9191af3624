// Checks every state-changing handler makes first.
import type { AppContext } from './context';
import { ApiError } from '../shared/errors';

/** A database written by a newer Pulmo is open read-only: refuse changes with the reason. */
export function assertWritable(ctx: AppContext): void {
  if (ctx.readOnly) throw new ApiError('read_only', ctx.readOnlyReason ?? 'The case database is read-only');
}
