// Every call is validated against the contract before any service code runs.
import { describe, expect, it } from 'vitest';
import { dispatch, type Handlers } from '../../../src-main/services/dispatch';
import { methodNames } from '../../../src-main/shared/api';
import { ApiError } from '../../../src-main/shared/errors';

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  const h = {} as Record<string, unknown>;
  for (const m of methodNames) h[m] = (input: unknown) => ({ echoed: input });
  return { ...(h as unknown as Handlers), ...overrides };
}

describe('dispatch', () => {
  it('rejects an unknown method', async () => {
    const r = await dispatch(handlers(), 'nope.nothing', {});
    expect(r).toEqual({ ok: false, error: { kind: 'not_found', message: 'Unknown API method "nope.nothing"' } });
  });
  it('names the offending field of a malformed payload', async () => {
    const r = await dispatch(handlers(), 'cases.list', { limit: 'ten' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('validation');
      expect(r.error.field).toBe('limit');
      expect(r.error.message).toContain('limit');
    }
  });
  it('rejects unknown keys and non-UID series ids', async () => {
    const extra = await dispatch(handlers(), 'app.info', { evil: true });
    expect(extra.ok).toBe(false);
    const bad = await dispatch(handlers(), 'cases.open', { seriesInstanceUID: '../../etc/passwd' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.field).toBe('seriesInstanceUID');
  });
  it('applies schema defaults before the handler sees the input', async () => {
    const r = await dispatch(handlers(), 'cases.list', {});
    expect(r).toEqual({ ok: true, value: { echoed: { sort: 'importedAt', order: 'desc', offset: 0, limit: 50 } } });
  });
  it('turns ApiError and file-system errors into typed results', async () => {
    const r1 = await dispatch(handlers({ 'jobs.list': () => { throw new ApiError('read_only', 'busy'); } }), 'jobs.list', {});
    expect(r1).toEqual({ ok: false, error: { kind: 'read_only', message: 'busy' } });
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const r2 = await dispatch(handlers({ 'jobs.list': () => { throw enospc; } }), 'jobs.list', {});
    expect(r2).toEqual({ ok: false, error: { kind: 'io', message: enospc.message } });
  });
});
