// main.ts wiring, run for real against a real case index with the `electron` module replaced by a recording
// stand-in (there is no Electron binary here). Checks what the shell hands to Electron: the privileged scheme,
// one IPC handler per API method answering our window only, the pulmo:// handler, a locked-down window on
// pulmo://app, the menu, and that quitting closes the database.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { methodNames } from '../../../src-main/shared/api';
import type { Result } from '../../../src-main/shared/errors';

type Fn = (...args: never[]) => unknown;

const fake = vi.hoisted(() => {
  const rec = {
    privileged: [] as Array<{ scheme: string; privileges: Record<string, boolean> }>,
    ipc: new Map<string, Fn>(),
    protocols: new Map<string, (req: Request) => Response>(),
    appEvents: new Map<string, Fn[]>(),
    windows: [] as Array<{ opts: { webPreferences: Record<string, unknown>; backgroundColor: string }; url: string; webContents: { id: number; sent: unknown[][] } }>,
    menu: null as unknown,
    permissionHandlerSet: false,
    cspHookSet: false,
  };
  let nextId = 1;
  class BrowserWindow {
    webContents: { id: number; sent: unknown[][]; send: (...a: unknown[]) => void };
    url = '';
    constructor(readonly opts: { webPreferences: Record<string, unknown>; backgroundColor: string }) {
      const sent: unknown[][] = [];
      this.webContents = { id: nextId++, sent, send: (...a: unknown[]) => sent.push(a) };
      rec.windows.push(this);
    }
    static getAllWindows() {
      return rec.windows;
    }
    on() {}
    once() {}
    loadURL(url: string) {
      this.url = url;
      return Promise.resolve();
    }
  }
  const on = (name: string, fn: Fn) => rec.appEvents.set(name, [...(rec.appEvents.get(name) ?? []), fn]);
  const module = {
    app: {
      isPackaged: false,
      requestSingleInstanceLock: () => true,
      on,
      whenReady: () => Promise.resolve(),
      getPath: () => {
        throw new Error('test runs with PULMO_DATA');
      },
      quit: () => {},
      exit: () => {},
      setAsDefaultProtocolClient: () => true,
    },
    protocol: {
      registerSchemesAsPrivileged: (s: typeof rec.privileged) => rec.privileged.push(...s),
      handle: (scheme: string, h: (req: Request) => Response) => rec.protocols.set(scheme, h),
    },
    ipcMain: { handle: (ch: string, fn: Fn) => rec.ipc.set(ch, fn), removeHandler: (ch: string) => rec.ipc.delete(ch) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: () => (rec.permissionHandlerSet = true),
        setPermissionCheckHandler: () => {},
        webRequest: { onHeadersReceived: () => (rec.cspHookSet = true) },
      },
    },
    Menu: { buildFromTemplate: (t: unknown) => t, setApplicationMenu: (m: unknown) => (rec.menu = m) },
    dialog: { showErrorBox: (title: string, msg: string) => { throw new Error(`${title}: ${msg}`); }, showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    BrowserWindow,
  };
  return { rec, module };
});

vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-main-wiring-'));

beforeAll(async () => {
  vi.stubEnv('PULMO_DATA', dataDir);
  await import('../../../src-main/app/main');
  await new Promise((r) => setTimeout(r, 50)); // whenReady().then(start)
});
afterAll(() => {
  vi.unstubAllEnvs();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('main.ts wiring', () => {
  const { rec } = fake;

  it('registers pulmo:// as a privileged scheme before ready', () => {
    expect(rec.privileged).toEqual([{ scheme: 'pulmo', privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }) }]);
  });

  it('opens one locked-down window on pulmo://app', () => {
    expect(rec.windows).toHaveLength(1);
    const [win] = rec.windows;
    expect(win.url).toBe('pulmo://app/index.html');
    expect(win.opts.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, devTools: true });
    expect(String(win.opts.webPreferences.preload)).toMatch(/app[\\/]preload\.js$/);
    expect(rec.permissionHandlerSet && rec.cspHookSet).toBe(true);
  });

  it('handles every API method over IPC, for our window only, against the real data folder', async () => {
    expect([...rec.ipc.keys()].sort()).toEqual(methodNames.map((m) => `pulmo:${m}`).sort());
    const call = rec.ipc.get('pulmo:app.info') as unknown as (e: unknown, a: unknown) => Promise<Result<{ dataDir: string }>>;
    const frame = { url: 'pulmo://app/index.html', parent: null };
    const ours = await call({ sender: { id: rec.windows[0].webContents.id }, senderFrame: frame }, {});
    expect(ours).toMatchObject({ ok: true, value: { dataDir } });
    expect(fs.existsSync(path.join(dataDir, 'pulmo.sqlite'))).toBe(true);
    const stranger = await call({ sender: { id: 999 }, senderFrame: frame }, {});
    expect(stranger).toMatchObject({ ok: false, error: { kind: 'unauthorized' } });
  });

  it('serves pulmo:// from the case index', async () => {
    const handler = rec.protocols.get('pulmo');
    expect(handler).toBeDefined();
    const res = handler!(new Request('pulmo://volume/not_imported'));
    expect(res.status).toBe(404);
  });

  it('sets a menu with File, View and Help; Help → About tells the renderer', () => {
    const menu = rec.menu as Array<{ label?: string; submenu?: Array<{ id?: string; click?: () => void }> }>;
    expect(menu.map((m) => m.label).filter(Boolean)).toEqual(expect.arrayContaining(['&File', '&View', '&Help']));
    const about = menu.flatMap((m) => m.submenu ?? []).find((i) => i.id === 'about');
    about!.click!();
    expect(rec.windows[0].webContents.sent).toContainEqual(['pulmo:event', 'menu', { action: 'about' }]);
  });

  it('closes the database on quit', () => {
    for (const fn of rec.appEvents.get('will-quit') ?? []) (fn as () => void)();
    const call = rec.ipc.get('pulmo:cases.list') as unknown as (e: unknown, a: unknown) => Promise<Result<unknown>>;
    return expect(call({ sender: { id: rec.windows[0].webContents.id }, senderFrame: { url: 'pulmo://app/', parent: null } }, {})).resolves.toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/not open|closed/i) },
    });
  });
});
