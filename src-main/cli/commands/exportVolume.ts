import path from 'node:path';
import type { Command } from '../command';
import { commonOptions } from '../command';
import { createContext } from '../../services/context';
import { findVolume } from '../../store/volumes';
import { readVolumeCache } from '../../store/volumeCache';
import { writeMhd } from '../../formats/mhd';
import { writeNrrd } from '../../formats/nrrd';

export const exportVolumeCommand: Command = {
  name: 'export-volume',
  summary: 'write an imported volume (HU, LPS geometry) as MetaImage (.mhd + .raw) or NRRD',
  usage: 'pulmo export-volume <volumeId|SeriesInstanceUID> --out FILE.mhd|FILE.nrrd [--data DIR]',
  options: { ...commonOptions, out: { type: 'string' } },
  async run({ values, positionals }, io) {
    const out = values.out as string | undefined;
    if (positionals.length !== 1 || !out) {
      io.err(`Usage: ${this.usage}`);
      return 2;
    }
    const ext = path.extname(out).toLowerCase();
    if (ext !== '.mhd' && ext !== '.nrrd') {
      io.err(`pulmo export-volume: --out must end in .mhd or .nrrd, got ${out}`);
      return 2;
    }
    const ctx = createContext({ dataDir: values.data as string | undefined });
    try {
      const v = findVolume(ctx.db, positionals[0]);
      if (!v) {
        io.err(`pulmo export-volume: no volume or series ${positionals[0]} in ${ctx.dbPath}`);
        return 1;
      }
      const vol = readVolumeCache(ctx.volumesDir, v.cachePath, v.geometry);
      if (ext === '.mhd') {
        const w = writeMhd(out, vol);
        io.err(`wrote ${w.header} and ${w.data}`);
      } else {
        writeNrrd(out, vol);
        io.err(`wrote ${out}`);
      }
      io.out(JSON.stringify({ volumeId: v.id, seriesInstanceUID: v.seriesUID, file: path.resolve(out), ...v.geometry }));
      return 0;
    } finally {
      ctx.close();
    }
  },
};
