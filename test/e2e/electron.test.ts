// End to end through the real Electron shell (Playwright's _electron), where an Electron binary exists. Here and in
// CI it does not (ELECTRON_SKIP_BINARY_DOWNLOAD), so the suite skips; the shell's parts are tested in
// test/unit/app and the renderer in Chromium over HTTP (test/e2e/shell.test.ts).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { methodNames } from '../../src-main/shared/api';

const root = path.resolve(__dirname, '..', '..');

/**
 * The Electron executable if one is installed, else null. Mirrors electron/index.js (path.txt, dist/,
 * ELECTRON_OVERRIDE_DIST_PATH) without requiring it: requiring it with no binary starts a download.
 * PULMO_ELECTRON may name an executable directly.
 */
function electronBinary(): string | null {
  if (process.env.PULMO_ELECTRON) return fs.existsSync(process.env.PULMO_ELECTRON) ? process.env.PULMO_ELECTRON : null;
  let pkgDir: string;
  try {
    pkgDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const candidate = override ? path.join(override, rel ?? 'electron') : rel ? path.join(pkgDir, 'dist', rel) : null;
  return candidate && fs.existsSync(candidate) ? candidate : null;
}

const binary = electronBinary();

if (!binary) {
  describe('Electron shell', () => {
    it.skip('no Electron binary (ELECTRON_SKIP_BINARY_DOWNLOAD): skipped; install Electron to run the shell end to end', () => {});
  });
} else {
  describe('Electron shell', () => {
    let app: ElectronApplication;
    let page: Page;
    let dataDir: string;

    beforeAll(async () => {
      for (const f of ['dist/main/app/main.js', 'dist/main/app/preload.js', 'dist/renderer/index.html']) {
        if (!fs.existsSync(path.join(root, f))) throw new Error(`Run \`npm run build\` before the e2e tests (${f} missing)`);
      }
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-e2e-electron-'));
      // Chromium refuses to run as root with its OS sandbox; the window's own sandbox/contextIsolation still apply.
      const rootUser = typeof process.getuid === 'function' && process.getuid() === 0;
      app = await _electron.launch({
        executablePath: binary,
        args: [...(rootUser ? ['--no-sandbox'] : []), root],
        env: { ...(process.env as Record<string, string>), PULMO_DATA: dataDir },
        timeout: 60_000,
      });
      page = await app.firstWindow();
    });

    afterAll(async () => {
      await app?.close();
      if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    });

    it('loads the renderer from pulmo://app and shows the worklist', async () => {
      await page.getByTestId('worklist').waitFor();
      expect(page.url()).toMatch(/^pulmo:\/\/app\/index\.html/);
    });

    it('opens the about panel with values from the main side', async () => {
      await page.getByTestId('open-about').click();
      await page.getByTestId('about-panel').waitFor();
      expect(await page.getByTestId('about-data-dir').textContent()).toBe(dataDir);
      await page.keyboard.press('Escape');
    });

    // Page functions run in the renderer; the main tsconfig has no DOM types, hence globalThis casts.
    type RendererGlobal = { pulmo: Record<string, (a: object) => Promise<unknown>>; require?: unknown; process?: unknown; open(u: string): unknown; location: { href: string } };

    it('exposes only the API on window.pulmo, and no Node', async () => {
      const seen = await page.evaluate(() => {
        const w = globalThis as unknown as { pulmo: object; require?: unknown; process?: unknown };
        return { keys: Object.keys(w.pulmo).sort(), require: typeof w.require, process: typeof w.process };
      });
      expect(seen.keys).toEqual([...methodNames, 'onEvent', 'pathForFile'].sort());
      expect(seen.require).toBe('undefined');
      expect(seen.process).toBe('undefined');
      const info = await page.evaluate(() => (globalThis as unknown as RendererGlobal).pulmo['app.info']({}));
      expect(info).toMatchObject({ ok: true, value: { dataDir } });
    });

    it('refuses pop-ups and navigation away, and serves volumes only when they exist', async () => {
      expect(await page.evaluate(() => (globalThis as unknown as RendererGlobal).open('https://example.com/') === null)).toBe(true);
      await page.evaluate(() => {
        (globalThis as unknown as RendererGlobal).location.href = 'https://example.com/';
      });
      await page.waitForTimeout(500);
      expect(page.url()).toMatch(/^pulmo:\/\/app\//);
      const status = await page.evaluate(async () => (await fetch('pulmo://volume/no_such_volume')).status);
      expect(status).toBe(404);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
    });
  });
}
