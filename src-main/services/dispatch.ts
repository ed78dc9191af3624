// Validates a call against the API contract and runs it; both transports go through here so they cannot drift.
import { schemas, type MethodName, type Output, type ParsedInput } from '../shared/api';
import { ApiError, type Result } from '../shared/errors';

export type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<Output<M>> | Output<M> };

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(schemas, name);
}

export async function dispatch(handlers: Handlers, method: string, rawArgs: unknown): Promise<Result<unknown>> {
  if (!isMethodName(method)) {
    return { ok: false, error: { kind: 'not_found', message: `Unknown API method "${method}"` } };
  }
  const parsed = schemas[method].safeParse(rawArgs ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.length ? issue.path.join('.') : issue.code === 'unrecognized_keys' ? (issue as { keys?: string[] }).keys?.join(',') ?? '' : '';
    return {
      ok: false,
      error: { kind: 'validation', message: `Invalid argument${field ? ` "${field}"` : ''} for ${method}: ${issue.message}`, field },
    };
  }
  try {
    const handler = handlers[method] as (input: unknown) => Promise<unknown> | unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    if (err instanceof ApiError) return { ok: false, error: err.toBody() };
    const e = err as NodeJS.ErrnoException;
    if (e && (e.code === 'ENOSPC' || e.code === 'EACCES' || e.code === 'ENOENT' || e.code === 'EROFS')) {
      return { ok: false, error: { kind: 'io', message: e.message } };
    }
    return { ok: false, error: { kind: 'internal', message: e?.message ?? String(err) } };
  }
}
