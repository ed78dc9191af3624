// Irregular slice spacing and gantry tilt: real part-10 series from the fixture writer are resampled onto a
// regular orthonormal grid. Expected voxels are computed independently here: each output voxel's LPS position
// is projected onto the acquired slices (from their own IPP/IOP) and interpolated from their HU.
import { afterAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { readHeader } from '../../../src-main/dicom/readHeader';
import { groupSeries } from '../../../src-main/dicom/groupSeries';
import { planVolume } from '../../../src-main/dicom/planVolume';
import { buildVolume, streamVolume } from '../../../src-main/dicom/buildVolume';
import { NO_DATA_HU } from '../../../src-main/dicom/checkGeometry';
import { axis, dot, ijkToLps, type Vec3, type VolumeGeometry } from '../../../src-main/shared/geometry';
import type { DicomHeader } from '../../../src-main/dicom/types';
import { tempDir } from '../../fixtures/dicom/paths';
import { writeCtSeries, type CtSeriesSpec, type WrittenSeries } from '../../fixtures/dicom/ctSeries';

const INTERCEPT = -1024;
// Distinct per slice and per pixel, so a wrong source, shift or weight shows.
const stored = (i: number, j: number, k: number): number => 7 * i + 13 * j + 50 * k + 11 * (k % 3) - 400;
const hu = (i: number, j: number, k: number): number => stored(i, j, k) + INTERCEPT;

function headers(files: string[]): DicomHeader[] {
  return files.map((f) => {
    const r = readHeader(f);
    if (r.kind !== 'header') throw new Error(`${f}: ${r.kind}`);
    return r.header;
  });
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];

function expectOrthonormal(g: VolumeGeometry, normal: Vec3): void {
  const [i, j, k] = [axis(g, 0), axis(g, 1), axis(g, 2)];
  for (const v of [i, j, k]) expect(Math.hypot(...v)).toBeCloseTo(1, 9);
  expect(dot(i, j)).toBeCloseTo(0, 6);
  expect(dot(i, k)).toBeCloseTo(0, 6);
  expect(dot(j, k)).toBeCloseTo(0, 6);
  k.forEach((v, a) => expect(v).toBeCloseTo(normal[a], 6));
}

/** HU of acquired slice k at in-plane position p (LPS), bilinear; NaN outside the image. */
function sampleSlice(w: WrittenSeries, spec: CtSeriesSpec, k: number, p: Vec3): number {
  const d = sub(p, w.ipp(k));
  const x = dot(d, w.iop.slice(0, 3) as Vec3) / spec.pixelSpacing[1];
  const y = dot(d, w.iop.slice(3, 6) as Vec3) / spec.pixelSpacing[0];
  const x0 = Math.floor(x + 1e-6);
  const y0 = Math.floor(y + 1e-6);
  const fx = Math.max(0, x - x0);
  const fy = Math.max(0, y - y0);
  let v = 0;
  for (const [xx, wx] of [[x0, 1 - fx], [x0 + 1, fx]]) {
    for (const [yy, wy] of [[y0, 1 - fy], [y0 + 1, fy]]) {
      if (wx * wy < 1e-9) continue;
      if (xx < 0 || yy < 0 || xx >= spec.columns || yy >= spec.rows) return NaN;
      v += wx * wy * hu(xx, yy, k);
    }
  }
  return v;
}

describe('resampling of irregular and tilted stacks', () => {
  const dir = tempDir('resample');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // 1.25 mm nominal, with one doubled step (2.5 -> 5), two odd gaps (1.5, 1.0) and a 3.75 mm hole.
  const POS = [0, 1.25, 2.5, 5, 6.25, 7.5, 9, 10, 11.25, 12.5, 16.25, 17.5];
  const irregularSpec: CtSeriesSpec = {
    dir: path.join(dir, 'irregular'),
    rows: 9,
    columns: 7,
    slices: POS.length,
    pixelSpacing: [0.8, 0.6],
    sliceStep: 1.25,
    origin: [-40, 30, -120],
    position: (k) => POS[k],
    intercept: INTERCEPT,
    stored,
  };

  it('builds an irregular stack on a regular 1.25 mm grid, interpolating gaps up to 2 steps', async () => {
    const w = writeCtSeries(irregularSpec);
    const r = planVolume(groupSeries(headers(w.files)).groups[0]);
    expect(r.warnings.map((x) => x.code)).toEqual(['irregular_spacing']);
    expect(r.warnings[0].message).toBe(
      'Slice spacing varies from 1 to 3.75 mm: resampled to a regular 1.25 mm grid by linear interpolation between acquired slices; ' +
        `2 of 15 planes interpolated; 2 plane(s) in gaps wider than 2.5 mm hold no data (${NO_DATA_HU} HU)`,
    );
    const g = r.plan!.geometry;
    expect(g.dims).toEqual([7, 9, 15]);
    expect(g.spacing[0]).toBe(0.6);
    expect(g.spacing[1]).toBe(0.8);
    expect(g.spacing[2]).toBeCloseTo(1.25, 6);
    expect(g.origin).toEqual(w.ipp(0));
    expectOrthonormal(g, w.normal);

    const { volume } = await buildVolume(r.plan!);
    const at = (i: number, j: number, k: number): number => volume.voxels[i + 7 * (j + 9 * k)];
    let exact = 0;
    let blended = 0;
    for (let k = 0; k < 15; k++) {
      const z = 1.25 * k;
      const acquired = POS.findIndex((p) => Math.abs(p - z) < 1e-6);
      const a = POS.findLastIndex((p) => p < z);
      for (let j = 0; j < 9; j++) {
        for (let i = 0; i < 7; i++) {
          if (acquired >= 0) {
            expect(at(i, j, k)).toBe(hu(i, j, acquired)); // acquired plane: the source HU exactly
            exact++;
          } else if (POS[a + 1] - POS[a] > 2.5 + 1e-6) {
            expect(at(i, j, k)).toBe(NO_DATA_HU);
          } else {
            const t = (z - POS[a]) / (POS[a + 1] - POS[a]);
            expect(Math.abs(at(i, j, k) - ((1 - t) * hu(i, j, a) + t * hu(i, j, a + 1)))).toBeLessThanOrEqual(0.5);
            blended++;
          }
        }
      }
    }
    expect([exact / 63, blended / 63]).toEqual([11, 2]); // 11 planes on acquired slices (9.0 mm lies between planes)

    // The streaming path (small slabs) gives the same voxels.
    const parts: Int16Array[] = [];
    await streamVolume(r.plan!, async (slab) => void parts.push(slab.slice()), { slabSlices: 2 });
    const streamed = new Int16Array(volume.voxels.length);
    let o = 0;
    for (const p of parts) streamed.set(p, (o += p.length) - p.length);
    expect(streamed).toEqual(volume.voxels);
  });

  // A 15° gantry tilt: the table moves along z (2.5 mm per slice) while the image columns are tilted.
  const T = (15 * Math.PI) / 180;
  const TABLE_MM = 2.5;
  const tiltSpec: CtSeriesSpec = {
    dir: path.join(dir, 'tilt'),
    rows: 16,
    columns: 12,
    slices: 8,
    pixelSpacing: [0.7, 0.7],
    iop: [1, 0, 0, 0, Math.cos(T), -Math.sin(T)],
    sliceStep: TABLE_MM * Math.cos(T), // along the normal [0, sin, cos]
    shearPerSlice: -TABLE_MM * Math.sin(T), // along the column direction
    origin: [-4, -5, -60],
    intercept: INTERCEPT,
    stored,
  };

  it('corrects a 15° gantry tilt onto an orthonormal grid holding every acquired pixel', async () => {
    const w = writeCtSeries(tiltSpec);
    // The fixture's positions really are a table moving along z.
    expect(sub(w.ipp(1), w.ipp(0)).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 0, TABLE_MM]);
    const r = planVolume(groupSeries(headers(w.files)).groups[0]);
    expect(r.warnings.map((x) => x.code)).toEqual(['gantry_tilt']);
    const shiftMm = 7 * TABLE_MM * Math.sin(T);
    expect(r.warnings[0].message).toBe(
      `Slices are sheared by 15° (gantry tilt): corrected by shifting each slice in-plane by its offset (up to ${Math.round(shiftMm * 1000) / 1000} mm, linear interpolation) onto an orthonormal grid along the image rows, columns and slice normal`,
    );
    const g = r.plan!.geometry;
    // Columns widened by ceil(4.53 mm / 0.7 mm) = 7 rows to hold the shifted slices.
    expect(g.dims).toEqual([12, 16 + Math.ceil(shiftMm / 0.7), 8]);
    expect(g.spacing[2]).toBeCloseTo(TABLE_MM * Math.cos(T), 5);
    expectOrthonormal(g, w.normal);

    const { volume } = await buildVolume(r.plan!);
    const [nx, ny] = g.dims;
    let inside = 0;
    let outside = 0;
    for (let k = 0; k < 8; k++) {
      for (let j = 0; j < ny; j++) {
        for (let i = 0; i < nx; i++) {
          const p = ijkToLps(g, [i, j, k]);
          expect(Math.abs(dot(sub(p, w.ipp(k)), w.normal))).toBeLessThan(1e-4); // plane k is acquired slice k
          const want = sampleSlice(w, tiltSpec, k, p);
          const got = volume.voxels[i + nx * (j + ny * k)];
          if (Number.isNaN(want)) {
            expect(got).toBe(NO_DATA_HU);
            outside++;
          } else {
            expect(Math.abs(got - want)).toBeLessThanOrEqual(0.5);
            inside++;
          }
        }
      }
    }
    expect(inside).toBeGreaterThan(8 * 11 * 15); // every slice keeps (at least) its whole image less one edge
    expect(outside).toBeGreaterThan(0);
    // The first slice lies on the grid: its pixels are copied exactly, at rows shifted by the widening.
    const j0 = Math.ceil(shiftMm / 0.7);
    for (let j = 0; j < 16; j++) for (let i = 0; i < 12; i++) expect(volume.voxels[i + nx * (j + j0)]).toBe(hu(i, j, 0));
  });
});
