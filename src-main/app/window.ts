// Creates the main window and applies the lockdown from security.ts to every webContents and the session.
import { BrowserWindow, type Session, type WebContents } from 'electron';
import { appUrl } from './origin';
import { navigationAllowed, permissionCheckHandler, permissionRequestHandler, windowOpenHandler, windowOptions, withCsp } from './security';

/** Applies to every webContents the app ever creates (windows, and anything a bug might open). */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!navigationAllowed(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(windowOpenHandler);
}

export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler(permissionRequestHandler);
  ses.setPermissionCheckHandler(permissionCheckHandler);
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders) }));
}

export interface MainWindowOptions {
  preloadPath: string;
  isPackaged: boolean;
  icon?: string;
  /** webContents ids allowed to call the API; the window adds itself and removes itself when closed. */
  trustedContents: Set<number>;
  /** Initial renderer route, e.g. `#/series/<uid>` from a deep link. */
  hash?: string;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow(windowOptions(opts));
  const id = win.webContents.id;
  opts.trustedContents.add(id);
  win.on('closed', () => opts.trustedContents.delete(id));
  win.once('ready-to-show', () => win.show());
  void win.loadURL(appUrl(opts.hash ?? ''));
  return win;
}
