// e2e harness: builds Pulmo once per process, starts `pulmo serve --data D` as a child process, reads the URL it
// prints first on stdout, and drives Debian's Chromium through playwright-core with software WebGL2 (SwiftShader).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { chromium, type Browser, type Page } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const sharedData = path.resolve(repoRoot, '..', 'shared', 'data');
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

let built = false;
/**
 * Builds main and renderer once per test process unless PULMO_SKIP_BUILD=1 (CI builds once before the suite);
 * always rebuilds when an output vanished (another build emptied dist/renderer). While other work in progress
 * breaks the main bundle, an existing dist/main is reused with a warning.
 */
export function ensureBuilt(): void {
  const cli = path.join(repoRoot, 'dist', 'main', 'cli.js');
  const index = path.join(repoRoot, 'dist', 'renderer', 'index.html');
  const ready = fs.existsSync(cli) && fs.existsSync(index);
  if ((built || process.env.PULMO_SKIP_BUILD === '1') && ready) return;
  const run = (flag: string) => spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'build.mjs'), flag], { cwd: repoRoot, encoding: 'utf8' });
  const main = run('--main-only');
  if (main.status !== 0) {
    if (!fs.existsSync(cli)) throw new Error(`main build failed:\n${main.stdout}\n${main.stderr}`);
    console.warn(`main build failed; reusing the existing ${cli}:\n${main.stderr.split('\n').slice(0, 6).join('\n')}`);
  }
  const renderer = run('--renderer-only');
  if (renderer.status !== 0) throw new Error(`renderer build failed:\n${renderer.stdout}\n${renderer.stderr}`);
  built = true;
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
    url,
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
