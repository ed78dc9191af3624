// Benchmark (issue 12): the whole CAD pipeline on a complete real chest CT, LIDC-IDRI-0002 (261 slices × 1.25 mm,
// JPEG-LS) — wall time per stage, peak RSS, candidates and false marks at the default operating point.
// Usage: node test/bench/cadLidc.mjs [--provider webgpu] [--patient LIDC-IDRI-0002] [--cache /tmp/dir]
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundleDir = path.join(repoRoot, 'node_modules', '.cache', 'pulmo-cad-lidc-bench');
await build({
  absWorkingDir: repoRoot, entryPoints: { cadLidcBench: 'test/bench/cadLidcBench.ts' }, outdir: bundleDir,
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', packages: 'external', logLevel: 'warning',
});
const require = createRequire(import.meta.url);
await require(path.join(bundleDir, 'cadLidcBench.js')).main();
