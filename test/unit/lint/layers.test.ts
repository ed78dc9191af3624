// The layer map and the no-cycle rule are lint rules: prove each fires on a violating file and stays quiet on an
// allowed one, and that docs/ARCHITECTURE.md states the same map the rule enforces.
import { ESLint } from 'eslint';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LAYERS } from '../../../scripts/lint/layers.mjs';

const root = path.resolve(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function ruleMessages(file: string, code: string, rule: string): Promise<string[]> {
  const [res] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return res.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('pulmo/layers', () => {
  const layers = Object.keys(LAYERS);
  it('refuses every import the map does not allow, from every layer', async () => {
    for (const from of layers) {
      const forbidden = layers.filter((to) => to !== from && !LAYERS[from].includes(to));
      for (const to of forbidden) {
        const msgs = await ruleMessages(`src-main/${from}/probe.ts`, `import { x } from '../${to}/probe';\nexport const y = x;\n`, 'pulmo/layers');
        expect(msgs, `${from} -> ${to}`).toEqual([expect.stringContaining(`src-main/${from} may not import src-main/${to}`)]);
      }
    }
  });
  it('allows every import the map allows', async () => {
    for (const from of layers) {
      for (const to of LAYERS[from]) {
        const msgs = await ruleMessages(`src-main/${from}/probe.ts`, `import { x } from '../${to}/probe';\nexport const y = x;\n`, 'pulmo/layers');
        expect(msgs, `${from} -> ${to}`).toEqual([]);
      }
    }
  });
  it('resolves paths: a services/cad module importing ../../cad is services -> cad, and ./x stays inside', async () => {
    expect(await ruleMessages('src-main/store/sub/probe.ts', "import { x } from '../../dicom/types';\nexport const y = x;\n", 'pulmo/layers')).toEqual([
      expect.stringContaining('src-main/store may not import src-main/dicom'),
    ]);
    expect(await ruleMessages('src-main/store/sub/probe.ts', "import { x } from '../db';\nexport const y = x;\n", 'pulmo/layers')).toEqual([]);
  });
  it('names a folder missing from the map', async () => {
    const msgs = await ruleMessages('src-main/newthing/probe.ts', "import { x } from '../shared/probe';\nexport const y = x;\n", 'pulmo/layers');
    expect(msgs.join('\n')).toMatch(/src-main\/newthing is not in the layer map/);
  });
  it('docs/ARCHITECTURE.md states the same layer map', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'ARCHITECTURE.md'), 'utf8');
    for (const [from, allowed] of Object.entries(LAYERS)) {
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${from}/\``));
      expect(row, `a row for ${from}/ in the layer table`).toBeDefined();
      const cell = row!.split('|')[2].trim();
      const listed = cell === '—' ? [] : cell.split(',').map((s) => s.trim().replace(/`|\//g, ''));
      expect(listed.sort(), `${from}/ row`).toEqual([...allowed].sort());
    }
  });
});

describe('pulmo/no-cycles', () => {
  const dir = fs.mkdtempSync(path.join(root, 'src-main', 'cad', 'cycle-probe-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  it('reports both ends of a cycle, type-only imports included, and nothing once it is broken', async () => {
    const a = path.join(dir, 'a.ts');
    const b = path.join(dir, 'b.ts');
    fs.writeFileSync(a, "import type { B } from './b';\nexport interface A { b: B }\n");
    fs.writeFileSync(b, "import type { A } from './a';\nexport interface B { a: A }\n");
    const results = await new ESLint({ cwd: root }).lintFiles([a, b]);
    const msgs = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'pulmo/no-cycles').map((m) => `${path.basename(r.filePath)}: ${m.message}`));
    expect(msgs).toHaveLength(2);
    expect(msgs.join('\n')).toMatch(/Import cycle: .*a\.ts -> .*b\.ts/);
    fs.writeFileSync(b, 'export interface B { n: number }\n');
    const after = await new ESLint({ cwd: root }).lintFiles([a, b]);
    expect(after.flatMap((r) => r.messages.filter((m) => m.ruleId === 'pulmo/no-cycles'))).toEqual([]);
  }, 60_000);
});
