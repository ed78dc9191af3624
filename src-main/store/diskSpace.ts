// A full disk, said as such: SQLite reports it as "disk I/O error" or "database or disk is full", Node as
// ENOSPC. The reader needs the folder and how much space to free, not the errno.
import fs from 'node:fs';

const MB = 2 ** 20;
/** Free space below this counts as full whatever the error said (SQLite needs room for its WAL and journal). */
export const MIN_FREE_BYTES = 64 * MB;

export function freeBytes(dir: string): number | null {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return null;
  }
}

function looksLikeStorage(e: unknown): boolean {
  const code = String((e as { code?: unknown })?.code ?? '');
  const msg = e instanceof Error ? e.message : String(e);
  return code === 'ENOSPC' || code === 'EDQUOT' || code.startsWith('SQLITE_FULL') || code.startsWith('SQLITE_IOERR') || /disk is full|disk I\/O error|no space left/i.test(msg);
}

/**
 * When `e` is a write failure and `dir` is (nearly) full, an Error saying so, naming the folder, what is free and
 * the space the step needs (`neededBytes`, at least MIN_FREE_BYTES); else null (the original error stands).
 */
export function diskFullError(e: unknown, dir: string, neededBytes = 0, what = 'this step'): Error | null {
  if (!looksLikeStorage(e) || (e instanceof Error && e.message.startsWith('Disk full:'))) return null;
  const free = freeBytes(dir);
  const need = Math.max(neededBytes, MIN_FREE_BYTES);
  const code = String((e as { code?: unknown })?.code ?? '');
  if (free !== null && free >= need && code !== 'ENOSPC') return null; // a real I/O error, not a full disk
  const freeText = free === null ? 'an unknown amount' : `${(free / MB).toFixed(1)} MB`;
  const err = new Error(`Disk full: ${dir} has ${freeText} free; ${what} needs about ${(need / MB).toFixed(0)} MB there. Free some space and try again.`);
  (err as NodeJS.ErrnoException).code = 'ENOSPC';
  return err;
}
