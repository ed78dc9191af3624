// `pulmo report`: write a series' signed read as DICOM SR (TID 1500), DICOM SEG, PDF or CSV. The file is written
// to a temporary name and renamed, so a failed export leaves nothing half-written.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from '../command';
import { commonOptions } from '../command';
import { createContext } from '../../services/context';
import { exportReport, type ReportFormat } from '../../services/review/reportService';
import { ApiError } from '../../shared/errors';

const FORMATS: ReportFormat[] = ['sr', 'seg', 'pdf', 'csv'];

export function writeAtomically(out: string, bytes: Buffer): void {
  const tmp = path.join(path.dirname(out), `.${path.basename(out)}.${process.pid}.tmp`);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, out);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'export the signed read of a series as DICOM SR (TID 1500), DICOM SEG, PDF or CSV (optionally de-identified)',
  usage: 'pulmo report <SeriesInstanceUID> --format sr|seg|pdf|csv --out FILE [--include-unreviewed] [--deidentify] [--json] [--data DIR]',
  options: { ...commonOptions, format: { type: 'string' }, out: { type: 'string' }, 'include-unreviewed': { type: 'boolean' }, deidentify: { type: 'boolean' }, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const format = values.format as ReportFormat | undefined;
    const out = values.out as string | undefined;
    if (positionals.length !== 1 || !out || !format) {
      io.err(`Usage: ${this.usage}`);
      return 2;
    }
    if (!FORMATS.includes(format)) {
      io.err(`pulmo report: --format must be one of ${FORMATS.join(', ')}, got ${format}`);
      return 2;
    }
    const ctx = createContext({ dataDir: values.data as string | undefined });
    try {
      const r = await exportReport(ctx, { seriesInstanceUID: positionals[0], format, includeUnreviewed: !!values['include-unreviewed'], deidentify: !!values.deidentify });
      writeAtomically(path.resolve(out), r.bytes);
      io.err(`wrote ${path.resolve(out)} (${r.bytes.length} bytes)`);
      if (values.json) io.out(JSON.stringify({ file: path.resolve(out), format, bytes: r.bytes.length }));
      return 0;
    } catch (err) {
      if (err instanceof ApiError) {
        io.err(`pulmo report: ${err.message}`);
        return 1;
      }
      throw err;
    } finally {
      ctx.close();
    }
  },
};

export const importSrCommand: Command = {
  name: 'import-sr',
  summary: 'import a DICOM SR (TID 1500) as a separate reader layer on the series it references',
  usage: 'pulmo import-sr FILE [--json] [--data DIR]',
  options: { ...commonOptions, json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) {
      io.err(`Usage: ${this.usage}`);
      return 2;
    }
    const { importSr } = await import('../../services/review/importSr');
    const ctx = createContext({ dataDir: values.data as string | undefined });
    try {
      const read = importSr(ctx, positionals[0]);
      io.err(`imported ${read.marks.length} nodule(s) by ${read.reader.name} onto series ${read.seriesInstanceUID}`);
      if (values.json) io.out(JSON.stringify({ readId: read.id, seriesInstanceUID: read.seriesInstanceUID, nodules: read.marks.map((m) => ({ label: m.finding.label, centerLPS: m.finding.centerLPS, trackingUID: m.trackingUID })) }));
      return 0;
    } catch (err) {
      if (err instanceof ApiError) {
        io.err(`pulmo import-sr: ${err.message}`);
        return 1;
      }
      throw err;
    } finally {
      ctx.close();
    }
  },
};
