// Builds the main-process bundles (esbuild, CommonJS for Node/Electron) and the renderer (Vite).
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { build as viteBuild } from 'vite';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const exists = (p) => fs.existsSync(path.join(root, p));

const entries = { cli: 'src-main/cli/index.ts' };
if (exists('src-main/app/main.ts')) entries['app/main'] = 'src-main/app/main.ts';
if (exists('src-main/app/preload.ts')) entries['app/preload'] = 'src-main/app/preload.ts';
for (const f of fs.existsSync(path.join(root, 'src-main/workers')) ? fs.readdirSync(path.join(root, 'src-main/workers')) : []) {
  if (f.endsWith('.ts') && !f.endsWith('.test.ts')) entries[`workers/${f.slice(0, -3)}`] = `src-main/workers/${f}`;
}

const only = process.argv.includes('--main-only') ? 'main' : process.argv.includes('--renderer-only') ? 'renderer' : 'all';

const t0 = Date.now();
if (only !== 'renderer') {
await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: 'dist/main',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  packages: 'external', // node_modules stay external; electron-builder ships them (native ones unpacked from asar)
  external: ['electron'],
  logLevel: 'warning',
});
// The preload runs sandboxed: it may only require 'electron', so it must be one self-contained file.
if (entries['app/preload']) {
  await build({
    absWorkingDir: root,
    entryPoints: { 'app/preload': entries['app/preload'] },
    outdir: 'dist/main',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
}
console.log(`main: ${Object.keys(entries).join(', ')} (${Date.now() - t0} ms)`);
}

if (only !== 'main') {
  const t1 = Date.now();
  await viteBuild({ configFile: path.join(root, 'vite.config.mjs'), logLevel: 'warn' });
  console.log(`renderer: dist/renderer (${Date.now() - t1} ms)`);
}
