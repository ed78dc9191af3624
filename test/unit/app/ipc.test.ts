// IPC wiring: every API method gets a handler, foreign callers are refused, payloads are validated, real services answer.
import type { IpcMainInvokeEvent } from 'electron';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelFor, registerIpcHandlers, senderRefusal, type IpcMainLike } from '../../../src-main/app/ipc';
import { methodNames } from '../../../src-main/shared/api';
import type { Result } from '../../../src-main/shared/errors';
import { tempServices } from './helpers';

type Listener = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown;

/** There is no Electron binary, so ipcMain itself cannot exist here: a recording stand-in is the honest substitute. */
function recordingIpcMain(): IpcMainLike & { handlers: Map<string, Listener> } {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle(channel, listener) {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler(channel) {
      handlers.delete(channel);
    },
  };
}

/** The parts of an IpcMainInvokeEvent that describeSender reads. */
function eventFrom(webContentsId: number, url: string | null, inIframe = false): IpcMainInvokeEvent {
  const top = { url: 'pulmo://app/index.html', parent: null };
  const frame = url === null ? null : { url, parent: inIframe ? top : null };
  return { sender: { id: webContentsId }, senderFrame: frame } as unknown as IpcMainInvokeEvent;
}

const OUR_WINDOW = 7;
const APP_PAGE = 'pulmo://app/index.html#/series/1.2.3';

describe('registerIpcHandlers', () => {
  const env = tempServices();
  const ipc = recordingIpcMain();
  let unregister: () => void = () => {};
  beforeAll(() => {
    unregister = registerIpcHandlers(ipc, { handlers: env.services.handlers, trustedContents: new Set([OUR_WINDOW]) });
  });
  afterAll(() => env.cleanup());

  const call = (event: IpcMainInvokeEvent, method: string, ...args: unknown[]) => {
    const h = ipc.handlers.get(`pulmo:${method}`);
    if (!h) throw new Error(`no handler for ${method}`);
    return h(event, ...args) as Promise<Result<unknown>>;
  };

  it('registers exactly one pulmo:<method> channel per API method', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(methodNames.map((m) => channelFor(m)).sort());
    expect(methodNames.length).toBeGreaterThan(5);
  });

  it('answers a call from our window with the real service result', async () => {
    const info = await call(eventFrom(OUR_WINDOW, APP_PAGE), 'app.info', {});
    expect(info.ok).toBe(true);
    if (info.ok) expect((info.value as { dataDir: string }).dataDir).toBe(env.dir);
    const list = await call(eventFrom(OUR_WINDOW, APP_PAGE), 'cases.list', { limit: 10 });
    expect(list).toEqual({ ok: true, value: expect.objectContaining({ total: 0 }) });
  });

  it.each([
    ['a window we did not create', eventFrom(99, APP_PAGE), /not a Pulmo window/],
    ['a remote origin', eventFrom(OUR_WINDOW, 'https://evil.example/index.html'), /not the pulmo:\/\/app origin/],
    ['a file:// page', eventFrom(OUR_WINDOW, 'file:///tmp/index.html'), /not the pulmo:\/\/app origin/],
    ['another pulmo host', eventFrom(OUR_WINDOW, 'pulmo://volume/abc'), /not the pulmo:\/\/app origin/],
    ['an iframe inside our page', eventFrom(OUR_WINDOW, 'pulmo://app/index.html', true), /not the main frame/],
    ['a destroyed frame', eventFrom(OUR_WINDOW, null), /no longer exists/],
  ])('refuses %s', async (_what, event, reason) => {
    const r = await call(event, 'cases.list', {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.kind).toBe('unauthorized');
      expect(r.error.message).toMatch(reason);
    }
  });

  it('returns a validation error naming the bad field', async () => {
    const r = await call(eventFrom(OUR_WINDOW, APP_PAGE), 'cases.list', { limit: 'ten' });
    expect(r).toMatchObject({ ok: false, error: { kind: 'validation', field: 'limit' } });
    const uid = await call(eventFrom(OUR_WINDOW, APP_PAGE), 'cases.open', { seriesInstanceUID: 'DROP TABLE' });
    expect(uid).toMatchObject({ ok: false, error: { kind: 'validation', field: 'seriesInstanceUID' } });
    const extra = await call(eventFrom(OUR_WINDOW, APP_PAGE), 'app.info', { admin: true });
    expect(extra).toMatchObject({ ok: false, error: { kind: 'validation' } });
    if (!extra.ok) expect(extra.error.message).toMatch(/admin/);
  });

  it('refuses extra positional arguments', async () => {
    const r = await call(eventFrom(OUR_WINDOW, APP_PAGE), 'jobs.list', {}, { sneaky: 1 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('unregisters every handler', () => {
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('senderRefusal', () => {
  it('accepts only the main frame of a trusted window on pulmo://app', () => {
    const trusted = new Set([1]);
    expect(senderRefusal({ webContentsId: 1, frameUrl: 'pulmo://app/index.html', isMainFrame: true }, trusted)).toBeNull();
    expect(senderRefusal({ webContentsId: 1, frameUrl: 'pulmo://app.evil/index.html', isMainFrame: true }, trusted)).not.toBeNull();
    expect(senderRefusal({ webContentsId: 1, frameUrl: 'pulmo://app:8080/index.html', isMainFrame: true }, trusted)).not.toBeNull();
    expect(senderRefusal({ webContentsId: 1, frameUrl: 'pulmo://x@app/index.html', isMainFrame: true }, trusted)).not.toBeNull();
    expect(senderRefusal({ webContentsId: 2, frameUrl: 'pulmo://app/index.html', isMainFrame: true }, trusted)).not.toBeNull();
  });
});
