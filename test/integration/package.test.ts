// Packaging config check: scripts/check-package.mjs packs the app with electron-builder against a stand-in
// Electron (no binary here) and asserts on the unpacked layout. Also proves the check fails on a bad config.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-package-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface CheckReport {
  ok: boolean;
  failures: string[];
  out: string;
  arch: string;
  electronVersion: string;
  asarBytes: number;
  requiredPackages: string[];
}

function checkPackage(out: string, extra: string[] = []): { status: number | null; output: string; report: CheckReport } {
  const r = spawnSync(process.execPath, ['scripts/check-package.mjs', '--out', out, '--json', ...(extra.length ? ['--', ...extra] : [])], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
    maxBuffer: 64 << 20,
  });
  const output = `${r.stdout}${r.stderr}`;
  const jsonLine = r.stdout.trim().split('\n').pop() ?? '';
  let report: CheckReport;
  try {
    report = JSON.parse(jsonLine);
  } catch {
    throw new Error(`check-package printed no JSON report (exit ${r.status}):\n${output}`);
  }
  return { status: r.status, output, report };
}

describe('electron-builder config (scripts/check-package.mjs)', () => {
  it('packs dist/ and production modules into app.asar, native code unpacked, only this platform', () => {
    const out = path.join(tmp, 'good');
    const { status, output, report } = checkPackage(out);
    expect(report.failures, output).toEqual([]);
    expect(status).toBe(0);
    expect(output).toMatch(/proves the packaging configuration, not a runnable package/);
    const pkgElectron = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
    expect(report.electronVersion).toBe(pkgElectron);
    // Independent look at the result, not only the script's word for it.
    const resources = path.join(report.out, 'resources');
    expect(fs.statSync(path.join(resources, 'app.asar')).size).toBe(report.asarBytes);
    const ortBin = path.join(resources, 'app.asar.unpacked/node_modules/onnxruntime-node/bin/napi-v6');
    expect(fs.readdirSync(ortBin)).toEqual(['linux']);
    expect(fs.readdirSync(path.join(ortBin, 'linux'))).toEqual([report.arch]);
    expect(fs.existsSync(path.join(resources, 'app.asar.unpacked/node_modules/better-sqlite3/build/Release/better_sqlite3.node'))).toBe(true);
    expect(report.requiredPackages).toEqual(expect.arrayContaining(['better-sqlite3', 'electron']));
  }, 300_000);

  it('fails, naming the problems, when the files list lets sources and every platform in', () => {
    const out = path.join(tmp, 'bad');
    const { status, report } = checkPackage(out, ['-c.files=**/*']);
    fs.rmSync(out, { recursive: true, force: true }); // ~200 MB of every platform's onnxruntime
    expect(status).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.failures.join('\n')).toMatch(/sources, tests or maps in app\.asar: \d+ entries \(.*\/src-main.*\/test/);
    expect(report.failures.join('\n')).toMatch(/other platforms' onnxruntime binaries are packaged: .*darwin/);
  }, 300_000);
});
