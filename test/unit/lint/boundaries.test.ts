// The process boundaries are enforced by lint: prove each rule fires on a violating file.
import { ESLint } from 'eslint';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function messagesFor(file: string, code: string): Promise<string[]> {
  const [res] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return res.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('layer boundaries', () => {
  it('src-main/shared may not import node builtins', async () => {
    const msgs = await messagesFor('src-main/shared/probe.ts', "import fs from 'node:fs';\nexport const a = fs;\n");
    expect(msgs.join('\n')).toMatch(/no-restricted-imports.*shared must stay free of node/);
  });
  it('src-main/shared may not import electron or other main modules', async () => {
    const msgs = await messagesFor('src-main/shared/probe.ts', "import { app } from 'electron';\nimport { openDatabase } from '../store/db';\nexport const a = [app, openDatabase];\n");
    expect(msgs.filter((m) => m.startsWith('no-restricted-imports'))).toHaveLength(2);
  });
  it('the renderer may import src-main/shared but nothing else of src-main', async () => {
    const bad = await messagesFor('src-renderer/probe.ts', "import { openDatabase } from '../src-main/store/db';\nexport const a = openDatabase;\n");
    expect(bad.join('\n')).toMatch(/renderer may import only src-main\/shared/);
    const good = await messagesFor('src-renderer/probe.ts', "import { schemas } from '../src-main/shared/api';\nexport const a = schemas;\n");
    expect(good.filter((m) => m.startsWith('no-restricted-imports'))).toEqual([]);
  });
  it('electron is confined to src-main/app', async () => {
    const msgs = await messagesFor('src-main/store/probe.ts', "import { app } from 'electron';\nexport const a = app;\n");
    expect(msgs.join('\n')).toMatch(/only src-main\/app may import electron/);
  });
});
