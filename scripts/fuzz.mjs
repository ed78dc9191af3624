// `npm run fuzz -- --count N --seed S`: builds dist/main, bundles the fuzz harness of test/integration/fuzz
// (TypeScript) with esbuild and runs it; every mutated file is imported by the real `pulmo import`.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { buildSync } from 'esbuild';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const b = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), '--main-only'], { cwd: root, stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);
// Three folders below the root, like the harness sources, so their __dirname-relative paths hold in the bundle.
const out = path.join(root, 'dist', 'fuzz', 'bin', 'fuzz.cjs');
buildSync({ entryPoints: [path.join(root, 'test', 'integration', 'fuzz', 'cli.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: out, external: ['better-sqlite3'], logLevel: 'warning' });
const r = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exitCode = r.status ?? 1;
