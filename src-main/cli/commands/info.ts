import type { Command } from '../command';
import { commonOptions } from '../command';
import { createContext } from '../../services/context';
import { appInfo } from '../../services/appService';

export const infoCommand: Command = {
  name: 'info',
  summary: 'version, data folder, database and the ONNX execution providers found',
  usage: 'pulmo info [--data DIR] [--json]',
  options: { ...commonOptions, json: { type: 'boolean' } },
  async run({ values }, io) {
    const ctx = createContext({ dataDir: values.data as string | undefined });
    try {
      const info = await appInfo(ctx);
      if (values.json) {
        io.out(JSON.stringify(info, null, 2));
      } else {
        io.out(`Pulmo ${info.version}  (${info.platform})`);
        io.out(`data folder:  ${info.dataDir}`);
        io.out(`database:     ${info.dbPath}${info.readOnly ? '  [READ-ONLY]' : ''}`);
        if (info.readOnlyReason) io.out(`              ${info.readOnlyReason}`);
        io.out('ONNX execution providers:');
        for (const p of info.executionProviders) io.out(`  ${p.name.padEnd(10)} ${p.status}${p.detail ? `  (${p.detail})` : ''}`);
        io.out(info.intendedUse);
      }
      return 0;
    } finally {
      ctx.close();
    }
  },
};
