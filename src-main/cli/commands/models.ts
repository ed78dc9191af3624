import type { Command } from '../command';
import { commonOptions } from '../command';
import { createContext } from '../../services/context';
import { createServices } from '../../services';

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list the installed CAD models, or add one (a folder with manifest.json and model.onnx)',
  usage: 'pulmo models list [--json] | pulmo models add <dir> [--json]  [--data DIR]',
  options: { ...commonOptions, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const [sub, dir] = positionals;
    if (sub !== 'list' && sub !== 'add') {
      io.err(`pulmo models: expected "list" or "add <dir>", got ${sub ? `"${sub}"` : 'nothing'}`);
      return 2;
    }
    if (sub === 'add' && !dir) {
      io.err('pulmo models add: give the model folder (it holds manifest.json and the .onnx file)');
      return 2;
    }
    const ctx = createContext({ dataDir: values.data as string | undefined });
    try {
      const { handlers } = createServices(ctx);
      if (sub === 'add') {
        const m = await handlers['models.add']({ dir: dir! });
        if (values.json) io.out(JSON.stringify(m, null, 2));
        else io.out(`installed ${m.id} ${m.version} (${m.task}) into ${ctx.modelsDir}`);
        return 0;
      }
      const list = await handlers['models.list']({});
      if (values.json) {
        io.out(JSON.stringify(list, null, 2));
        return 0;
      }
      for (const m of list.models) {
        io.out(`${m.id.padEnd(28)} ${m.version.padEnd(10)} ${m.task.padEnd(15)} ${m.builtin ? 'built-in' : 'installed'}  ${m.name}`);
        io.out(`${''.padEnd(28)} intended use: ${m.intendedUse}`);
      }
      for (const r of list.rejected) io.err(`not loaded: ${r.dir}: ${r.reason}`);
      if (!list.classificationAvailable) io.err(list.installHint);
      return 0;
    } finally {
      ctx.close();
    }
  },
};
