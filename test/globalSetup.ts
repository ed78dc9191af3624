// Builds dist/ (CLI, workers, Electron main, renderer) once before any test file runs, so tests that spawn the
// CLI, load workers or drive the renderer never race a rebuild. PULMO_TEST_NO_BUILD=1 skips it (dist is current).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default function setup(): void {
  if (process.env.PULMO_TEST_NO_BUILD === '1') return;
  const root = path.resolve(__dirname, '..');
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
}
