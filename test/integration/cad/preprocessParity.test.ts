// The model input the app builds from an imported CT must be exactly what the training kit built: the same crop,
// interpolation, window, 8-bit quantisation. This runs the kit's Python (training/pulmo_train, Debian's numpy/scipy)
// on a real LIDC-IDRI CT that went through the app's DICOM import, and compares voxel for voxel with
// cad/classify modelInputs for both shipped models; and the 2D nodule locator (cad/locate2d vs locate2d.py).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest, type ClassificationManifest, type MalignancyManifest } from '../../../src-main/cad/manifest';
import { modelInputs } from '../../../src-main/cad/classify';
import { locateNodule2d } from '../../../src-main/cad/locate2d';
import { ijkToLps, lpsToIjk, type HuVolume, type Vec3 } from '../../../src-main/shared/geometry';
import { loadLidcCrop } from '../../fixtures/phantom/loadLidcCrop';
import { repoRoot } from '../../fixtures/dicom/paths';

const PY = '/usr/bin/python3';
const hasKit = spawnSync(PY, ['-c', 'import numpy, scipy, PIL'], { encoding: 'utf8' }).status === 0;
if (!hasKit) console.warn('preprocessParity: skipped, /usr/bin/python3 lacks numpy/scipy/PIL (apt-get install python3-scipy python3-pil)');

const model = (id: string) => readManifest(path.join(repoRoot, 'resources', 'models', id));

let tmp: string;
let vol: HuVolume;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-parity-'));
  vol = (await loadLidcCrop('LIDC-IDRI-0001')).volume;
  fs.writeFileSync(path.join(tmp, 'voxels.raw'), Buffer.from(vol.voxels.buffer, vol.voxels.byteOffset, vol.voxels.byteLength));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function python(req: object): Record<string, number[][]> {
  const file = path.join(tmp, 'request.json');
  fs.writeFileSync(file, JSON.stringify({ voxels: path.join(tmp, 'voxels.raw'), dims: vol.geometry.dims, spacing: vol.geometry.spacing, ...req }));
  const r = spawnSync(PY, ['-m', 'pulmo_train.parity', file], { cwd: path.join(repoRoot, 'training'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`training kit failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const readF32 = (f: string) => {
  const b = fs.readFileSync(f);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
};

describe.skipIf(!hasKit)('training-time and app-time preprocessing on a real CT (LIDC-IDRI-0001)', () => {
  // The 4-reader nodule (LUNA16 centre in nodules.csv) and an off-grid point elsewhere in the lung.
  const centres: Vec3[] = [[56.208, 86.343, -115.868], [-70.31, 40.77, -112.4]];

  it('malignancy model: trilinear 0.75 mm crop, window [-1200, 600] — identical', () => {
    const m = model('pulmo-malignancy') as MalignancyManifest;
    expect(m.input.interpolation).toBe('linear');
    const app = modelInputs(vol, centres, m);
    const jobs = centres.map((c, n) => ({ spec: m.input, centerIjk: lpsToIjk(vol.geometry, c), out: path.join(tmp, `mal${n}.f32`) }));
    python({ jobs });
    const size = m.input.size[0] * m.input.size[1];
    centres.forEach((_, n) => {
      const kit = readF32(jobs[n].out);
      expect(kit.length).toBe(size);
      const ours = app.data.subarray(n * size, (n + 1) * size);
      let maxDiff = 0;
      for (let i = 0; i < size; i++) maxDiff = Math.max(maxDiff, Math.abs(kit[i] - ours[i]));
      expect(maxDiff).toBe(0);
      // Not a blank patch: the nodule patch holds both lung and soft tissue.
      expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(0.3);
    });
  });

  it('cancer-type model: the app builds the LDFC BMP representation (8-bit [-1200, 600] HU, native pixels) exactly', () => {
    const m = model('pulmo-cancer-type') as ClassificationManifest;
    expect(m.input.quantizeLevels).toBe(256);
    // On a slice centre (k integer), as an LDFC BMP is one slice; x/y off the pixel grid.
    const ijk = lpsToIjk(vol.geometry, centres[0]);
    const at: Vec3 = [ijk[0] + 0.3, ijk[1] - 0.4, Math.round(ijk[2])];
    const app = modelInputs(vol, [ijkToLps(vol.geometry, at)], m);
    const out = path.join(tmp, 'ct.f32');
    python({ jobs: [{ spec: m.input, centerIjk: at, out, viaBmp: true }] });
    const kit = readF32(out);
    expect(kit.length).toBe(64 * 64);
    let diff = 0;
    for (let i = 0; i < kit.length; i++) diff = Math.max(diff, Math.abs(kit[i] - app.data[i]));
    expect(diff).toBe(0);
    // Every value is one of the 256 grey levels.
    for (const v of app.data) expect(Math.abs(v * 255 - Math.round(v * 255))).toBeLessThan(1e-4);
  });

  it('2D nodule locator: the app and the kit find the same candidates on the same 8-bit slice', () => {
    const [nx, ny, nz] = vol.geometry.dims;
    const ks = [Math.floor(nz / 2), nz - 3];
    const kit = python({ jobs: [], locate: ks.map((k) => ({ k, name: String(k) })) });
    for (const k of ks) {
      const slice = vol.voxels.subarray(k * nx * ny, (k + 1) * nx * ny);
      // The BMP the kit made: round half up of the window, back to the HU its bin stands for.
      const hu = Float64Array.from(slice, (v) => Math.floor(((Math.min(600, Math.max(-1200, v)) + 1200) / 1800) * 255 + 0.5) / 255 * 1800 - 1200);
      const ours = locateNodule2d(hu, nx, ny, 3);
      expect(ours.length).toBeGreaterThan(0);
      expect(ours.length).toBe(kit[String(k)].length);
      ours.forEach((c, i) => {
        expect([c.x, c.y]).toEqual(kit[String(k)][i].slice(0, 2));
        expect(c.score).toBeCloseTo(kit[String(k)][i][3], 3);
      });
    }
  });
});
