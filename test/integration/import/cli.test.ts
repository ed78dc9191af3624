// `pulmo import` and `pulmo export-volume` as a user runs them (built CLI, real worker thread).
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildMain, pulmoBin } from '../../fixtures/dicom/build';
import { lidcSeriesDir, tempDir } from '../../fixtures/dicom/paths';
import { ijkToLps, type VolumeGeometry } from '../../../src-main/shared/geometry';

const pulmo = (...args: string[]) => spawnSync(process.execPath, [pulmoBin, ...args], { encoding: 'utf8' });

describe('pulmo import / export-volume', () => {
  const root = tempDir('cli');
  const data = path.join(root, 'data');
  beforeAll(() => buildMain());
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('prints exactly the import summary with --json and exits 0 despite rejected files', () => {
    const r = pulmo('import', lidcSeriesDir('LIDC-IDRI-0003'), '--json', '--data', data);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['filesScanned', 'instancesImported', 'series', 'errors']);
    expect(out.filesScanned).toBe(12);
    expect(out.instancesImported).toBe(11);
    expect(Object.keys(out.series[0])).toEqual(['seriesInstanceUID', 'volumeId', 'modality', 'dims', 'spacing', 'origin', 'direction', 'warnings']);
    expect(out.series[0].dims).toEqual([512, 512, 11]);
    expect(out.series[0].spacing[2]).toBe(2.5);
    expect(out.errors).toEqual([{ file: expect.stringMatching(/72\.xml$/), code: 'not_dicom', reason: expect.stringMatching(/not DICOM/) }]);
    expect(r.stderr).toMatch(/100% done/);
  });

  it('exits non-zero only when it cannot run', () => {
    expect(pulmo('import', '--data', data).status).toBe(2);
    const missing = pulmo('import', path.join(root, 'nowhere'), '--json', '--data', data);
    expect(missing.status).toBe(0);
    expect(JSON.parse(missing.stdout).errors[0].reason).toBe('not found');
  });

  it('exports the volume as MHD and NRRD with LPS geometry and the cached voxels', () => {
    const seriesUID = '1.3.6.1.4.1.14519.5.2.1.6279.6001.170706757615202213033480003264';
    const mhd = pulmo('export-volume', seriesUID, '--out', path.join(root, 'v.mhd'), '--data', data);
    expect(mhd.status).toBe(0);
    const info = JSON.parse(mhd.stdout) as VolumeGeometry & { volumeId: string };
    const cache = fs.readFileSync(path.join(data, 'volumes', `${info.volumeId}.raw`));
    expect(fs.readFileSync(path.join(root, 'v.raw')).equals(cache)).toBe(true);
    const header = Object.fromEntries(
      fs.readFileSync(path.join(root, 'v.mhd'), 'utf8').trim().split('\n').map((l) => l.split(' = ') as [string, string]),
    );
    expect(header.DimSize).toBe('512 512 11');
    expect(header.ElementType).toBe('MET_SHORT');
    expect(header.AnatomicalOrientation).toBe('RAI');
    expect(header.ElementDataFile).toBe('v.raw');
    // The voxel (i, j, k) centre from the MHD fields equals ours.
    const off = header.Offset.split(' ').map(Number);
    const sp = header.ElementSpacing.split(' ').map(Number);
    const m = header.TransformMatrix.split(' ').map(Number);
    const p = [0, 1, 2].map((c) => off[c] + 100 * sp[0] * m[c] + 200 * sp[1] * m[3 + c] + 7 * sp[2] * m[6 + c]);
    const want = ijkToLps(info, [100, 200, 7]);
    p.forEach((v, c) => expect(v).toBeCloseTo(want[c], 6));

    const nrrd = pulmo('export-volume', info.volumeId, '--out', path.join(root, 'v.nrrd'), '--data', data);
    expect(nrrd.status).toBe(0);
    const bytes = fs.readFileSync(path.join(root, 'v.nrrd'));
    const split = bytes.indexOf('\n\n');
    const text = bytes.subarray(0, split).toString('latin1');
    expect(text).toMatch(/^NRRD0004\n/);
    expect(text).toContain('space: left-posterior-superior');
    expect(text).toContain('sizes: 512 512 11');
    expect(bytes.subarray(split + 2).equals(cache)).toBe(true);
    const dirs = [...text.match(/space directions: (.*)/)![1].matchAll(/\(([^)]*)\)/g)].map((x) => x[1].split(',').map(Number));
    const origin = text.match(/space origin: \(([^)]*)\)/)![1].split(',').map(Number);
    const q = [0, 1, 2].map((c) => origin[c] + 100 * dirs[0][c] + 200 * dirs[1][c] + 7 * dirs[2][c]);
    q.forEach((v, c) => expect(v).toBeCloseTo(want[c], 6));

    expect(pulmo('export-volume', '1.2.3.4', '--out', path.join(root, 'x.mhd'), '--data', data).status).toBe(1);
    expect(pulmo('export-volume', info.volumeId, '--out', path.join(root, 'x.png'), '--data', data).status).toBe(2);
  });
});
