// `pulmo`: the headless command line (runs without Electron).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { commands } from './commands';
import type { CliIo } from './command';

function usage(io: CliIo): void {
  io.err('Usage: pulmo <command> [options]   (research use only)\n');
  for (const c of commands) io.err(`  ${c.usage}\n      ${c.summary}`);
  io.err('\nEvery command takes --data DIR (default: the per-user app data folder, or $PULMO_DATA).');
}

export async function main(argv: string[], io: CliIo = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    usage(io);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === 'version') {
    const { appVersion } = await import('../services/paths');
    io.out(appVersion());
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.err(`pulmo: unknown command "${name}"`);
    usage(io);
    return 2;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: cmd.options, allowPositionals: true, strict: true });
  } catch (err) {
    io.err(`pulmo ${name}: ${(err as Error).message}\nUsage: ${cmd.usage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(`Usage: ${cmd.usage}\n${cmd.summary}`);
    return 0;
  }
  try {
    return await cmd.run(parsed as Parameters<typeof cmd.run>[0], io);
  } catch (err) {
    // SQLite says "disk I/O error" for a full disk: say which folder is full and what it needs.
    const { defaultDataDir } = await import('../services/paths');
    const { diskFullError } = await import('../store/diskSpace');
    const dataDir = path.resolve((parsed.values.data as string | undefined) ?? defaultDataDir());
    io.err(`pulmo ${name}: ${(diskFullError(err, dataDir) ?? (err as Error)).message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`pulmo: ${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
