import type { Command } from '../command';
import { commonOptions } from '../command';
import { createContext } from '../../services/context';
import { JobRegistry } from '../../services/jobs';
import { runImport } from '../../services/import/runImport';
import { WorkerEngine } from '../../services/import/engine';
import type { JobStatus } from '../../shared/types';

const MB = 1024 * 1024;

function bar(p: JobStatus['progress']): string {
  const f = p.fraction ?? 0;
  const width = 24;
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(f * 100)).padStart(3)}% ${p.phase.padEnd(8)} ${p.filesScanned}${p.filesTotal !== null ? `/${p.filesTotal}` : ''} files, ${p.seriesFound} series, ${(p.bytesRead / MB).toFixed(1)} MB`;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'import DICOM files or folders (recursively, DICOMDIR too) into the case index and build CT volumes',
  usage: 'pulmo import <path...> [--json] [--timings] [--data DIR]',
  options: { ...commonOptions, json: { type: 'boolean' }, timings: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length === 0) {
      io.err(`Usage: ${this.usage}`);
      return 2;
    }
    const ctx = createContext({ dataDir: values.data as string | undefined });
    if (ctx.readOnly) {
      io.err(`pulmo import: ${ctx.readOnlyReason}`);
      ctx.close();
      return 1;
    }
    const tty = process.stderr.isTTY === true;
    let lastLine = '';
    const t0 = performance.now();
    const phaseStart: Record<string, number> = {};
    const off = ctx.events.on((event, payload) => {
      if (event !== 'job.progress') return;
      phaseStart[(payload as JobStatus).progress.phase] ??= performance.now();
      const line = bar((payload as JobStatus).progress);
      if (tty) io.err(`\x1b[1A\x1b[2K${line}`);
      else if (line.slice(0, 40) !== lastLine.slice(0, 40)) io.err(line);
      lastLine = line;
    });
    if (tty) io.err('');
    const job = new JobRegistry(ctx.events).create('import');
    const stop = (): void => job.controller.abort();
    process.once('SIGINT', stop);
    try {
      const summary = await runImport(ctx, job, positionals, new WorkerEngine());
      off();
      if (values.timings) {
        // For test/bench/import.bench.mjs: phase 1 = scan + headers + grouping; phase 2 = volumes + index writes.
        const end = performance.now();
        const p2 = phaseStart.volumes ?? end;
        io.err(
          `timings: ${JSON.stringify({ headersMs: Math.round(p2 - t0), volumesMs: Math.round(end - p2), totalMs: Math.round(end - t0), bytesRead: job.status.progress.bytesRead, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) })}`,
        );
      }
      if (values.json) io.out(JSON.stringify(summary, null, 2));
      else {
        io.out(`${summary.filesScanned} files scanned, ${summary.instancesImported} instances imported, ${summary.series.length} series`);
        for (const s of summary.series) {
          io.out(`  ${s.modality.padEnd(3)} ${s.seriesInstanceUID}  ${s.dims ? `${s.dims.join('x')} @ ${s.spacing!.map((v) => +v.toFixed(4)).join('x')} mm  volume ${s.volumeId}` : 'no volume'}`);
          for (const w of s.warnings) io.out(`      ${w.code}: ${w.message}`);
        }
        for (const e of summary.errors) io.out(`  skipped ${e.file}: ${e.reason}`);
      }
      if (job.status.state === 'cancelled') {
        io.err('pulmo import: cancelled; series committed so far stay in the index, run the import again to complete it');
        return 130;
      }
      return 0;
    } catch (e) {
      off();
      io.err(`pulmo import: ${(e as Error).message}`);
      return 1;
    } finally {
      process.removeListener('SIGINT', stop);
      ctx.close();
    }
  },
};
