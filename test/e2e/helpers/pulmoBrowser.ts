// e2e harness: checks dist/ is built (test/globalSetup.ts builds it once), starts `pulmo serve --data D` as a child process, reads the URL it
// prints first on stdout, and drives Debian's Chromium through playwright-core with software WebGL2 (SwiftShader).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';

import { repoRoot, sharedData } from '../../fixtures/dicom/paths';

export { repoRoot, sharedData };
export const screenshotDir = path.join(repoRoot, 'test-output', 'screenshots');

/** Flags: no sandbox (containers), no background traffic, and WebGL2 on SwiftShader without a GPU. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
];

/** dist/ is built once by test/globalSetup.ts before any test file runs; rebuilding here would race other files. */
export function ensureBuilt(): void {
  for (const f of [path.join(repoRoot, 'dist', 'main', 'cli.js'), path.join(repoRoot, 'dist', 'renderer', 'index.html')]) {
    if (!fs.existsSync(f)) throw new Error(`${f} is missing: the vitest globalSetup builds it (was PULMO_TEST_NO_BUILD=1 set without a build?)`);
  }
}

export interface PulmoServer {
  url: string;
  origin: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function startServe(dataDir: string): Promise<PulmoServer> {
  ensureBuilt();
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'pulmo.js'), 'serve', '--data', dataDir], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`pulmo serve printed no URL in 20 s; stderr:\n${stderr}`)), 20_000);
    rl.once('line', (line) => {
      clearTimeout(timer);
      resolve(line.trim());
    });
    child.once('exit', (code) => reject(new Error(`pulmo serve exited with ${code}; stderr:\n${stderr}`)));
  });
  return {
    // testHooks=1: the viewer puts its frames, scene and a crosshair setter on window for the tests to read.
    url: `${url}${url.includes('?') ? '&' : '?'}testHooks=1`,
    origin: new URL(url).origin,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
}

/** Collects console errors and page errors, so a test can show them when something fails. */
export function watchConsole(page: Page): string[] {
  const logs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') logs.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => logs.push(`pageerror: ${e.stack ?? e.message}`));
  return logs;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Ends an e2e file: prints any page errors seen, closes the browser, stops the server, removes the temp folder. */
export async function teardown(opts: { browser?: Browser; server?: PulmoServer; logs?: string[]; dir?: string }): Promise<void> {
  const errors = opts.logs?.filter((l) => l.startsWith('pageerror')) ?? [];
  if (errors.length) console.error(`page errors:\n${errors.join('\n')}`);
  await opts.browser?.close();
  await opts.server?.stop();
  if (opts.dir) fs.rmSync(opts.dir, { recursive: true, force: true });
}
