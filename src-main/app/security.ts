// The window lockdown as pure values and functions: web preferences, navigation/popup/permission policy and the
// CSP header. window.ts applies them; tests check them without an Electron binary.
import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';
import { contentSecurityPolicy } from '../shared/csp';
import { VOLUME_ORIGIN, isAppUrl } from './origin';

export const BACKGROUND_COLOR = '#0f1115';

export function secureWebPreferences(opts: { preloadPath: string; isPackaged: boolean }): WebPreferences {
  return {
    preload: opts.preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
    devTools: !opts.isPackaged,
  };
}

export function windowOptions(opts: { preloadPath: string; isPackaged: boolean; icon?: string }): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Pulmo',
    backgroundColor: BACKGROUND_COLOR,
    show: false, // shown on ready-to-show, so no white flash
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: secureWebPreferences(opts),
  };
}

/** The renderer's CSP in Electron: the HTTP one plus the pulmo://volume origin voxel data is fetched from. */
export function electronCsp(): string {
  return contentSecurityPolicy([VOLUME_ORIGIN]);
}

/**
 * Whether a navigation of a window to `url` may go ahead. Only in-app URLs (route changes inside pulmo://app) are
 * allowed; everything else, external links included, is denied rather than opened.
 */
export function navigationAllowed(url: string): boolean {
  return isAppUrl(url);
}

/** window.open and target=_blank: always denied (the app has one window and no external content). */
export function windowOpenHandler(): { action: 'deny' } {
  return { action: 'deny' };
}

/** Camera, microphone, geolocation, notifications, clipboard-read…: the app needs none of them. */
export function permissionRequestHandler(_wc: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

export function permissionCheckHandler(): boolean {
  return false;
}

/** Adds the CSP to every response the renderer gets (belt and braces with the protocol handler's own header). */
export function withCsp(headers: Record<string, string[] | string> | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue; // ours replaces any other
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [electronCsp()];
  return out;
}
