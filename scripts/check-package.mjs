#!/usr/bin/env node
// Validates electron-builder.yml where no Electron binary can be downloaded: packs the app with
// `electron-builder --dir --linux` against a local STAND-IN Electron (a folder holding a shell script named
// `electron`), then checks the unpacked layout: app.asar contents, native modules unpacked, only this platform's
// onnxruntime binaries, extra resources, and that every module the main bundles require is inside the package.
// This proves the packaging CONFIG, not a runnable package: the stand-in is no Electron, and native modules are not
// rebuilt for Electron's ABI (npmRebuild=false; a real `npm run dist` rebuilds them).
//
// Usage: node scripts/check-package.mjs [--out DIR] [--no-build] [--json] [-- extra electron-builder args]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const require = createRequire(import.meta.url);

function parseArgs(argv) {
  const dash = argv.indexOf('--');
  const own = dash >= 0 ? argv.slice(0, dash) : argv;
  const outIdx = own.indexOf('--out');
  return {
    out: path.resolve(outIdx >= 0 ? own[outIdx + 1] : path.join(root, 'release')),
    build: !own.includes('--no-build'),
    json: own.includes('--json'),
    extra: dash >= 0 ? argv.slice(dash + 1) : [],
  };
}

function loadAsar() {
  try {
    return require('@electron/asar');
  } catch {
    // not hoisted: take the copy electron-builder itself uses
    return createRequire(require.resolve('app-builder-lib/package.json'))('@electron/asar');
  }
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { status: r.status ?? 1, output: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

/** Builds whatever part of dist/ is missing (a fresh checkout); `npm run dist:check` has built both already. */
function ensureBuilt(build) {
  const mainOk = fs.existsSync(path.join(root, 'dist/main/app/main.js')) && fs.existsSync(path.join(root, 'dist/main/app/preload.js'));
  const rendererOk = fs.existsSync(path.join(root, 'dist/renderer/index.html'));
  if (mainOk && rendererOk) return;
  if (!build) throw new Error('dist/ is incomplete (need dist/main/app/{main,preload}.js and dist/renderer/index.html): run `npm run build`');
  const flag = !mainOk && !rendererOk ? [] : !mainOk ? ['--main-only'] : ['--renderer-only'];
  const r = run(process.execPath, ['scripts/build.mjs', ...flag]);
  if (r.status !== 0) throw new Error(`build failed:\n${r.output}`);
}

/** The stand-in: what electron-builder copies for --dir. It renames `electron` to the product executable. */
function makeStandIn(version) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-electron-standin-'));
  fs.writeFileSync(
    path.join(dir, 'electron'),
    '#!/bin/sh\necho "This is a stand-in made by scripts/check-package.mjs, not Electron: it proves the package layout only." >&2\nexit 1\n',
    { mode: 0o755 },
  );
  fs.writeFileSync(path.join(dir, 'version'), `${version}\n`);
  fs.mkdirSync(path.join(dir, 'resources'));
  return dir;
}

function listFiles(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? listFiles(p, base) : [path.relative(base, p)];
  });
}

function dirSize(dir) {
  return listFiles(dir).reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
}

/** Package names (not relative paths, not builtins) that a CommonJS bundle requires. */
function requiredPackages(file) {
  const code = fs.readFileSync(file, 'utf8');
  const names = new Set();
  for (const m of code.matchAll(/\brequire\((["'])([^"'./][^"']*)\1\)/g)) {
    const spec = m[2];
    if (spec.startsWith('node:') || builtinModules.includes(spec.split('/')[0])) continue;
    names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  }
  return [...names];
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  ensureBuilt(opts.build);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
  const arch = process.arch === 'arm64' ? 'arm64' : 'x64';
  const standIn = makeStandIn(electronVersion);
  const unpackedDir = path.join(opts.out, arch === 'x64' ? 'linux-unpacked' : `linux-${arch}-unpacked`);
  fs.rmSync(unpackedDir, { recursive: true, force: true });

  const builder = require.resolve('electron-builder/cli.js');
  const args = [
    builder, '--dir', '--linux', `--${arch}`, '--publish', 'never',
    `-c.electronDist=${standIn}`,
    '-c.npmRebuild=false', // would rebuild better-sqlite3 against Electron headers: needs the network
    '-c.nodeGypRebuild=false',
    `-c.directories.output=${opts.out}`,
    ...opts.extra,
  ];
  // A dead proxy: should electron-builder try to download anything, it fails here instead of silently working online.
  const dead = 'http://127.0.0.1:9';
  const r = run(process.execPath, args, {
    ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
    HTTP_PROXY: dead, HTTPS_PROXY: dead, http_proxy: dead, https_proxy: dead, ELECTRON_GET_USE_PROXY: '1', NO_PROXY: '', no_proxy: '',
    CSC_IDENTITY_AUTO_DISCOVERY: 'false',
  });
  fs.rmSync(standIn, { recursive: true, force: true });
  const builderSeconds = (Date.now() - t0) / 1000;

  const failures = [];
  const check = (ok, what) => {
    if (!ok) failures.push(what);
    return ok;
  };
  check(r.status === 0, `electron-builder exited with ${r.status}${r.error ? ` (${r.error.message})` : ''}:\n${r.output.slice(-4000)}`);

  const resources = path.join(unpackedDir, 'resources');
  const asarFile = path.join(resources, 'app.asar');
  const unpacked = path.join(resources, 'app.asar.unpacked');
  const report = { out: unpackedDir, electronVersion, arch, builderSeconds, asarBytes: 0, unpackedBytes: 0, asarEntries: 0, extraResources: {}, requiredPackages: [] };

  if (check(fs.existsSync(asarFile), `missing ${asarFile}`)) {
    const asar = loadAsar();
    const entries = asar.listPackage(asarFile).map((p) => p.replaceAll('\\', '/'));
    const has = new Set(entries);
    report.asarEntries = entries.length;
    report.asarBytes = fs.statSync(asarFile).size;
    report.unpackedBytes = dirSize(unpacked);
    check(fs.existsSync(path.join(unpackedDir, pkg.name)), `the stand-in was not renamed to the product executable ${pkg.name}`);

    for (const f of ['/package.json', '/dist/main/app/main.js', '/dist/main/app/preload.js', '/dist/main/cli.js', '/dist/renderer/index.html', '/resources/icons/icon.png']) {
      check(has.has(f), `app.asar lacks ${f}`);
    }
    const packedPkg = JSON.parse(asar.extractFile(asarFile, 'package.json').toString('utf8'));
    check(has.has(`/${packedPkg.main}`), `package.json main (${packedPkg.main}) is not in app.asar`);
    const leaked = entries.filter((p) => /^\/(src-main|src-renderer|test|scripts|release)(\/|$)/.test(p) || (!p.includes('/node_modules/') && /\.(ts|map)$/.test(p)));
    const leakedWhere = [...new Set(leaked.map((p) => (p.endsWith('.map') ? '*.map' : `/${p.split('/')[1]}`)))].sort();
    check(leaked.length === 0, `sources, tests or maps in app.asar: ${leaked.length} entries (${leakedWhere.join(', ')})`);

    // Native code must be outside the archive, and only this platform's.
    const sqliteNode = 'node_modules/better-sqlite3/build/Release/better_sqlite3.node';
    check(fs.existsSync(path.join(unpacked, sqliteNode)), `missing unpacked ${sqliteNode}`);
    const ortDir = 'node_modules/onnxruntime-node/bin/napi-v6';
    for (const f of ['onnxruntime_binding.node', 'libonnxruntime.so.1']) {
      check(fs.existsSync(path.join(unpacked, ortDir, 'linux', arch, f)), `missing unpacked ${ortDir}/linux/${arch}/${f}`);
    }
    const ortFiles = [...listFiles(path.join(unpacked, ortDir)), ...entries.filter((p) => p.includes(`/${ortDir}/`)).map((p) => p.split(`/${ortDir}/`)[1])];
    const foreign = ortFiles.filter((f) => !f.startsWith(`linux/${arch}/`) && !f.startsWith(`linux${path.sep}${arch}${path.sep}`) && f !== 'linux' && f !== `linux/${arch}`);
    check(foreign.length === 0, `other platforms' onnxruntime binaries are packaged: ${[...new Set(foreign)].slice(0, 8).join(', ')}`);
    const codecWasm = listFiles(path.join(unpacked, 'node_modules/@cornerstonejs')).filter((f) => f.endsWith('.wasm'));
    check(codecWasm.length > 0, 'no unpacked @cornerstonejs codec .wasm files');

    // The sandboxed preload may require nothing but 'electron': anything else fails at window load.
    const preloadNeeds = requiredPackages(path.join(root, 'dist/main/app/preload.js'));
    const preloadBuiltins = [...fs.readFileSync(path.join(root, 'dist/main/app/preload.js'), 'utf8').matchAll(/\brequire\((["'])(node:[^"']+|[a-z_]+)\1\)/g)]
      .map((m) => m[2])
      .filter((n) => n !== 'electron');
    check(
      preloadNeeds.every((n) => n === 'electron') && preloadBuiltins.length === 0,
      `the preload requires more than 'electron': ${[...preloadNeeds.filter((n) => n !== 'electron'), ...preloadBuiltins].join(', ')}`,
    );

    // Everything the bundles require must ship: a devDependency would crash the packaged app at startup.
    const bundles = listFiles(path.join(root, 'dist/main')).filter((f) => f.endsWith('.js'));
    const needed = [...new Set(bundles.flatMap((f) => requiredPackages(path.join(root, 'dist/main', f))))].sort();
    report.requiredPackages = needed;
    for (const name of needed) {
      if (name === 'electron') continue; // provided by the runtime
      check(has.has(`/node_modules/${name}/package.json`), `dist/main requires "${name}" but app.asar has no node_modules/${name}`);
    }
  }

  // extraResources: everything in the repo's resources/{sample,models} must be next to app.asar.
  for (const name of ['sample', 'models']) {
    const src = path.join(root, 'resources', name);
    if (!fs.existsSync(src)) {
      report.extraResources[name] = 'not in the repository yet: nothing to check';
      continue;
    }
    const want = listFiles(src);
    const missing = want.filter((f) => !fs.existsSync(path.join(resources, 'resources', name, f)));
    check(missing.length === 0, `extraResources resources/${name}: ${missing.length} of ${want.length} files missing (${missing.slice(0, 5).join(', ')})`);
    report.extraResources[name] = `${want.length - missing.length}/${want.length} files packaged`;
  }

  const mb = (n) => `${(n / 1048576).toFixed(1)} MB`;
  const lines = [
    `check-package: electron-builder --dir --linux --${arch} against a stand-in Electron ${electronVersion} (${builderSeconds.toFixed(1)} s)`,
    `  ${unpackedDir}: app.asar ${mb(report.asarBytes)} (${report.asarEntries} entries), app.asar.unpacked ${mb(report.unpackedBytes)}`,
    `  main bundles require: ${report.requiredPackages.join(', ') || '(nothing)'}`,
    ...Object.entries(report.extraResources).map(([k, v]) => `  resources/${k}: ${v}`),
    'NOTE: this proves the packaging configuration, not a runnable package: the Electron here is a stand-in script and',
    '      native modules were not rebuilt for Electron (run `npm run dist` on a machine with Electron and network).',
  ];
  if (failures.length) lines.push(`FAILED (${failures.length}):`, ...failures.map((f) => `  - ${f}`));
  else lines.push('OK: layout checks passed');
  console.log(lines.join('\n'));
  if (opts.json) console.log(JSON.stringify({ ok: failures.length === 0, failures, ...report }));
  process.exitCode = failures.length ? 1 : 0;
}

try {
  main();
} catch (err) {
  console.error(`check-package: ${err.message}`);
  process.exitCode = 2;
}
