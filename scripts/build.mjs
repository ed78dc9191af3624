// Builds the main-process bundles (esbuild, CommonJS for Node/Electron) and the renderer (Vite).
// `--main-only` / `--renderer-only` build one side.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { build as viteBuild } from 'vite';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const exists = (p) => fs.existsSync(path.join(root, p));
const only = process.argv.includes('--main-only') ? 'main' : process.argv.includes('--renderer-only') ? 'renderer' : 'all';

const entries = { cli: 'src-main/cli/index.ts' };
if (exists('src-main/app/main.ts')) entries['app/main'] = 'src-main/app/main.ts';
const workersDir = path.join(root, 'src-main/workers');
for (const f of fs.existsSync(workersDir) ? fs.readdirSync(workersDir) : []) {
  if (f.endsWith('.ts') && !f.endsWith('.test.ts')) entries[`workers/${f.slice(0, -3)}`] = `src-main/workers/${f}`;
}
const common = { absWorkingDir: root, outdir: 'dist/main', bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };

if (only !== 'renderer') {
  const t0 = Date.now();
  // node_modules stay external: electron-builder ships them (native ones unpacked from asar).
  await build({ ...common, entryPoints: entries, sourcemap: true, packages: 'external', external: ['electron'] });
  // The preload runs sandboxed: it may only require 'electron', so it is one self-contained, minified file.
  if (exists('src-main/app/preload.ts')) {
    await build({ ...common, entryPoints: { 'app/preload': 'src-main/app/preload.ts' }, external: ['electron'], minify: true });
    entries['app/preload'] = 'src-main/app/preload.ts';
  }
  console.log(`main: ${Object.keys(entries).join(', ')} (${Date.now() - t0} ms)`);
}

if (only !== 'main') {
  const t1 = Date.now();
  await viteBuild({ configFile: path.join(root, 'vite.config.mjs'), logLevel: 'warn' });
  console.log(`renderer: dist/renderer (${Date.now() - t1} ms)`);
}
