// The one way a long job stops early: its AbortSignal is aborted (jobs.cancel), the code polling it throws
// CancelledError, and whoever ends the job recognises that with isCancellation. Workers carry the same
// cancellation across the thread boundary (a shared flag or a message) and rethrow it as CancelledError.

export class CancelledError extends Error {
  constructor(what = 'job') {
    super(`${what} cancelled`);
    this.name = 'CancelledError';
  }
}

/** Throws CancelledError when the signal is aborted. */
export function throwIfCancelled(signal: { readonly aborted: boolean } | undefined, what?: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}

/** True for CancelledError, and for the AbortError that AbortSignal.throwIfAborted raises. */
export function isCancellation(err: unknown): boolean {
  return err instanceof Error && (err.name === 'CancelledError' || err.name === 'AbortError');
}
