// The window lockdown, checked as values: web preferences, navigation/popup/permission policy, CSP.
import { describe, expect, it } from 'vitest';
import {
  electronCsp,
  navigationAllowed,
  permissionCheckHandler,
  permissionRequestHandler,
  secureWebPreferences,
  windowOpenHandler,
  windowOptions,
  withCsp,
} from '../../../src-main/app/security';

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer', () => {
    const p = secureWebPreferences({ preloadPath: '/app/dist/main/app/preload.js', isPackaged: true });
    expect(p).toMatchObject({
      preload: '/app/dist/main/app/preload.js',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      devTools: false,
    });
  });
  it('allows devtools only in development', () => {
    expect(secureWebPreferences({ preloadPath: 'p', isPackaged: false }).devTools).toBe(true);
  });
  it('window options: dark background, hidden until ready, the same preferences', () => {
    const o = windowOptions({ preloadPath: 'p', isPackaged: true, icon: '/i.png' });
    expect(o.backgroundColor).toMatch(/^#[0-9a-f]{6}$/);
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(o.backgroundColor!.slice(i, i + 2), 16));
    expect(0.2126 * r + 0.7152 * g + 0.0722 * b).toBeLessThan(40); // dark: a reading room screen
    expect(o.show).toBe(false);
    expect(o.icon).toBe('/i.png');
    expect(o.webPreferences).toEqual(secureWebPreferences({ preloadPath: 'p', isPackaged: true }));
  });
});

describe('navigation, popups and permissions', () => {
  it('allows in-app route changes only', () => {
    expect(navigationAllowed('pulmo://app/index.html#/series/1.2.3')).toBe(true);
    for (const url of ['https://example.com/', 'http://127.0.0.1:8080/', 'file:///etc/passwd', 'pulmo://volume/v1', 'javascript:alert(1)', 'not a url', 'pulmo://app.evil.com/index.html']) {
      expect(navigationAllowed(url), url).toBe(false);
    }
  });
  it('denies window.open', () => {
    expect(windowOpenHandler()).toEqual({ action: 'deny' });
  });
  it('denies every permission request and check', () => {
    for (const perm of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fileSystem']) {
      let granted: boolean | undefined;
      permissionRequestHandler(null, perm, (g) => (granted = g));
      expect(granted, perm).toBe(false);
    }
    expect(permissionCheckHandler()).toBe(false);
  });
});

describe('CSP', () => {
  it('allows only self, plus fetching volumes from pulmo://volume; no eval, no inline script', () => {
    const csp = electronCsp();
    const directives = Object.fromEntries(csp.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['script-src']).toEqual(["'self'"]);
    expect(directives['connect-src']).toEqual(["'self'", 'pulmo://volume']);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|https?:/);
  });
  it('withCsp replaces any CSP a response brings and keeps the other headers', () => {
    const out = withCsp({ 'content-security-policy': ["default-src *"], 'Content-Type': 'text/html', 'X-A': ['1', '2'] });
    expect(out['Content-Security-Policy']).toEqual([electronCsp()]);
    expect(out['content-security-policy']).toBeUndefined();
    expect(out['Content-Type']).toEqual(['text/html']);
    expect(out['X-A']).toEqual(['1', '2']);
    expect(withCsp(undefined)).toEqual({ 'Content-Security-Policy': [electronCsp()] });
  });
});
