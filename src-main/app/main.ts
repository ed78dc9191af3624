// The Electron main process: one instance, one locked-down window, the API over IPC, data over pulmo://.
// Thin on purpose: everything it wires (services, ipc, protocol, security, menu) is tested in plain Node.
import fs from 'node:fs';
import path from 'node:path';
import { BrowserWindow, Menu, app, dialog, ipcMain, protocol, session, type OpenDialogOptions } from 'electron';
import { createServices, type Services } from '../services';
import { createContext } from '../services/context';
import { appRoot, rendererDir } from '../services/paths';
import { EVENT_CHANNEL, registerIpcHandlers } from './ipc';
import { menuTemplate, type MenuAction } from './menu';
import { createMenuActions } from './menuActions';
import { SCHEME, appUrl, deepLinkHash } from './origin';
import { SCHEME_PRIVILEGES, createProtocolHandler } from './protocol';
import { createMainWindow, hardenSession, hardenWebContents } from './window';

// Must happen before 'ready'.
protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: SCHEME_PRIVILEGES }]);

const trustedContents = new Set<number>();
let services: Services | null = null;
let mainWindow: BrowserWindow | null = null;
/** A deep link that arrived before the window existed (macOS open-url at launch). */
let pendingHash: string | null = null;

function openWindow(hash?: string): BrowserWindow {
  const icon = path.join(appRoot(), 'resources', 'icons', 'icon.png');
  const win = createMainWindow({
    preloadPath: path.join(__dirname, 'preload.js'),
    isPackaged: app.isPackaged,
    icon: fs.existsSync(icon) ? icon : undefined,
    trustedContents,
    hash,
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  return win;
}

function sendMenuEvent(action: MenuAction): void {
  mainWindow?.webContents.send(EVENT_CHANNEL, 'menu', { action });
}

function showRoute(hash: string): void {
  if (!mainWindow) mainWindow = openWindow(hash);
  else {
    void mainWindow.loadURL(appUrl(hash));
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
}

function start(): void {
  // PULMO_DATA lets tests and power users point the app at another case index, as with the CLI.
  const dataDir = process.env.PULMO_DATA ? path.resolve(process.env.PULMO_DATA) : app.getPath('userData');
  const ctx = createContext({ dataDir });
  const s = createServices(ctx);
  services = s;
  void s.startNetwork(); // the DICOM listener, only if the user turned it on; failures show in its settings page

  protocol.handle(SCHEME, createProtocolHandler({ ctx, rendererDir: rendererDir() }));
  hardenSession(session.defaultSession);
  registerIpcHandlers(ipcMain, {
    handlers: s.handlers,
    trustedContents,
    onRefused: (method, reason) => console.warn(`pulmo: refused IPC ${method}: ${reason}`),
  });
  ctx.events.on((event, payload) => {
    for (const win of BrowserWindow.getAllWindows()) {
      if (trustedContents.has(win.webContents.id)) win.webContents.send(EVENT_CHANNEL, event, payload);
    }
  });

  const actions = createMenuActions({
    services: s,
    pickFolders: async () => {
      const opts: OpenDialogOptions = { title: 'Import DICOM folder', properties: ['openDirectory', 'multiSelections'] };
      const picked = mainWindow ? await dialog.showOpenDialog(mainWindow, opts) : await dialog.showOpenDialog(opts);
      return picked.canceled ? [] : picked.filePaths;
    },
    showError: (title, message) => dialog.showErrorBox(title, message),
    showRoute,
    notifyRenderer: sendMenuEvent,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate(actions, { isPackaged: app.isPackaged, platform: process.platform })));

  mainWindow = openWindow(pendingHash ?? deepLinkHash(process.argv) ?? undefined);
  pendingHash = null;
}

if (!app.requestSingleInstanceLock()) {
  // Another Pulmo owns the case index (SQLite, volume cache): hand it our command line and leave.
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('second-instance', (_event, argv) => {
    const hash = deepLinkHash(argv);
    if (hash !== null) showRoute(hash);
    else if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  // macOS delivers pulmo:// links as open-url, not on the command line.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    const hash = deepLinkHash([url]);
    if (hash === null) return;
    if (services) showRoute(hash);
    else pendingHash = hash;
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (services && BrowserWindow.getAllWindows().length === 0) mainWindow = openWindow();
  });
  app.on('will-quit', () => {
    if (!services) return;
    for (const job of services.jobs.list()) if (job.state === 'running') services.jobs.cancel(job.jobId);
    void services.listener.stop();
    services.ctx.close();
    services = null;
  });
  if (app.isPackaged) app.setAsDefaultProtocolClient(SCHEME);
  app
    .whenReady()
    .then(start)
    .catch((err: Error) => {
      // e.g. the data folder is not writable: say where and why instead of dying silently.
      dialog.showErrorBox('Pulmo could not start', err.message);
      app.exit(1);
    });
}
