// The whole LIDC-IDRI-0001 crop transcoded by real tools (GDCM, dcmtk) into each lossless transfer syntax imports
// to a volume voxel-identical to the uncompressed original's, with the same geometry.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { JobRegistry } from '../../../src-main/services/jobs';
import { runImport } from '../../../src-main/services/import/runImport';
import { InlineEngine } from '../../../src-main/services/import/engine';
import { getSeries } from '../../../src-main/store/cases';
import { readVolumeCache } from '../../../src-main/store/volumeCache';
import type { HuVolume } from '../../../src-main/shared/geometry';
import { lidcSlices } from '../../fixtures/codecs/paths';
import { runTool } from '../../fixtures/codecs/tools';

const ENCODERS: { name: string; syntax: string; encode: (src: string, dst: string) => void }[] = [
  { name: 'gdcmconv --jpeg', syntax: '1.2.840.10008.1.2.4.70', encode: (s, d) => runTool('gdcmconv', ['--jpeg', s, d]) },
  { name: 'gdcmconv --jpegls', syntax: '1.2.840.10008.1.2.4.80', encode: (s, d) => runTool('gdcmconv', ['--jpegls', s, d]) },
  { name: 'gdcmconv --j2k', syntax: '1.2.840.10008.1.2.4.90', encode: (s, d) => runTool('gdcmconv', ['--j2k', s, d]) },
  { name: 'gdcmconv --rle', syntax: '1.2.840.10008.1.2.5', encode: (s, d) => runTool('gdcmconv', ['--rle', s, d]) },
  { name: 'dcmcjpeg', syntax: '1.2.840.10008.1.2.4.70', encode: (s, d) => runTool('dcmcjpeg', [s, d]) },
  { name: 'dcmcjpls', syntax: '1.2.840.10008.1.2.4.80', encode: (s, d) => runTool('dcmcjpls', [s, d]) },
  { name: 'dcmcrle', syntax: '1.2.840.10008.1.2.5', encode: (s, d) => runTool('dcmcrle', [s, d]) },
];

let root: string;
const slices = lidcSlices(16);
const contexts: AppContext[] = [];

async function importInto(name: string, folder: string): Promise<{ ctx: AppContext; volume: HuVolume; syntaxes: string[] }> {
  const ctx = createContext({ dataDir: path.join(root, 'data', name.replace(/\W+/g, '_')) });
  contexts.push(ctx);
  const jobs = new JobRegistry(ctx.events);
  const summary = await runImport(ctx, jobs.create('import'), [folder], new InlineEngine());
  expect(summary.errors, `${name}: import errors`).toEqual([]);
  expect(summary.series).toHaveLength(1);
  const detail = getSeries(ctx.db, summary.series[0].seriesInstanceUID);
  const volume = readVolumeCache(ctx.volumesDir, detail!.cachePath!, detail!.volume!.geometry);
  const syntaxes = (ctx.db.prepare('SELECT DISTINCT transfer_syntax AS s FROM instances').all() as { s: string }[]).map((r) => r.s);
  return { ctx, volume, syntaxes };
}

let reference: HuVolume;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-transcoded-'));
  const plain = path.join(root, 'src', 'plain');
  fs.mkdirSync(plain, { recursive: true });
  for (const f of slices) fs.copyFileSync(f, path.join(plain, path.basename(f)));
  reference = (await importInto('plain', plain)).volume;
}, 120_000);

afterAll(() => {
  for (const c of contexts) c.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('import of transcoded series', () => {
  it('the uncompressed reference is the 512x512x16 LIDC crop with air near -1000 HU', () => {
    expect(reference.geometry.dims).toEqual([512, 512, 16]);
    let air = 0;
    for (const v of reference.voxels) if (v > -1050 && v < -950) air++;
    expect(air / reference.voxels.length).toBeGreaterThan(0.1);
  });

  for (const enc of ENCODERS) {
    it(`${enc.name} → ${enc.syntax}: voxel-identical volume`, async () => {
      const dir = path.join(root, 'src', enc.name.replace(/\W+/g, '_'));
      fs.mkdirSync(dir, { recursive: true });
      for (const f of slices) enc.encode(f, path.join(dir, path.basename(f)));
      const { volume, syntaxes } = await importInto(enc.name, dir);
      expect(syntaxes).toEqual([enc.syntax]);
      expect(volume.geometry).toEqual(reference.geometry);
      let diff = 0;
      for (let i = 0; i < volume.voxels.length; i++) if (volume.voxels[i] !== reference.voxels[i]) diff++;
      expect(diff, `${diff} voxels differ`).toBe(0);
    }, 120_000);
  }
});
