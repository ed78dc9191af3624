// The shape of a `pulmo` sub-command. Each command lives in commands/<name>.ts and declares its own options.
import type { ParseArgsConfig } from 'node:util';

export interface CliIo {
  out: (line: string) => void; // stdout: results (JSON with --json)
  err: (line: string) => void; // stderr: progress, messages
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Resolves to the process exit code. */
  run(args: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] }, io: CliIo): Promise<number>;
}

/** Options every command takes. */
export const commonOptions = {
  data: { type: 'string' as const },
  help: { type: 'boolean' as const, short: 'h' },
};
