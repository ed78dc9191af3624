// Benchmark (issue 5): full CAD on a synthetic 512×512×300 chest CT — wall time per stage and peak RSS on the CPU,
// and with --provider webgpu (or cuda) where that provider loads, CPU vs GPU outputs compared (relative L2).
// Usage: node test/bench/cad.mjs [--provider webgpu] [--dims 512,512,300] [--spacing 0.7,0.7,1.0] [--patch 64]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundleDir = path.join(repoRoot, 'node_modules', '.cache', 'pulmo-cad-bench');
await build({
  absWorkingDir: repoRoot, entryPoints: { cadBench: 'test/bench/cadBench.ts' }, outdir: bundleDir,
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning',
});
const require = createRequire(import.meta.url);
await require(path.join(bundleDir, 'cadBench.js')).main();
