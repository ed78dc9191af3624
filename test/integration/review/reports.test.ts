// Reports of a signed read, written by `pulmo report` (the built CLI) and checked by independent tools: dciodvfy
// (0 errors) and dsrdump for the SR, dciodvfy and a voxel-for-voxel comparison with the stored masks for the SEG,
// pdftoppm for the PDF (the page is saved to look at), the CSV against the read. Bad input leaves no file.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { createServices } from '../../../src-main/services';
import { dispatch, type Handlers } from '../../../src-main/services/dispatch';
import { releaseSessions } from '../../../src-main/cad/session';
import { getMask } from '../../../src-main/store/masks';
import { readPart10, type Naturalized } from '../../../src-main/formats/dicom-out/dcmjsIo';
import { lpsToIjk } from '../../../src-main/shared/geometry';
import type { Read } from '../../../src-main/shared/readTypes';
import { buildMain, pulmoBin } from '../../fixtures/dicom/build';
import { repoRoot, tempDir } from '../../fixtures/dicom/paths';
import { geometry, importCase, runTestCad, signedRead, writeCase } from '../../fixtures/review/readCase';

let tmp: string;
let data: string;
let ctx: AppContext;
let handlers: Handlers;
let series: string;
let read: Read;
const shots = path.join(repoRoot, 'test-output', 'screenshots');

async function call(method: string, args: unknown): Promise<unknown> {
  const r = await dispatch(handlers, method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.kind}: ${r.error.message}`);
  return r.value;
}
function pulmo(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [pulmoBin, ...args, '--data', data], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
/** dciodvfy prints "Error - …" per IOD violation (warnings are "Warning - …"). */
function dciodvfyErrors(file: string): string[] {
  const r = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  return (r.stdout + r.stderr).split('\n').filter((l) => /^Error/.test(l.trim()));
}

beforeAll(async () => {
  buildMain();
  tmp = tempDir('reports');
  data = path.join(tmp, 'data');
  ctx = createContext({ dataDir: data });
  handlers = createServices(ctx).handlers;
  writeCase(path.join(tmp, 'dicom'));
  series = await importCase(ctx, path.join(tmp, 'dicom'));
  await runTestCad(ctx, tmp, series);
  // A second series with no read, for the bad-input cases.
  fs.mkdirSync(shots, { recursive: true });
}, 120_000);
afterAll(async () => {
  await releaseSessions();
  ctx.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('pulmo report', () => {
  it('refuses a series with no signed read unless --include-unreviewed, and writes nothing', async () => {
    const out = path.join(tmp, 'none.dcm');
    const r = pulmo('report', series, '--format', 'sr', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has no read.*--include-unreviewed/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('.tmp'))).toEqual([]);
    const u = pulmo('report', series, '--format', 'csv', '--out', path.join(tmp, 'unreviewed.csv'), '--include-unreviewed');
    expect(u.code, u.stderr).toBe(0);
    const rows = fs.readFileSync(path.join(tmp, 'unreviewed.csv'), 'utf8').trim().split('\r\n');
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.slice(1).every((l) => l.split(',')[9] === 'not-reviewed')).toBe(true);
    read = await signedRead(call, series);
    expect(read.state).toBe('signed');
  });

  it('writes a TID 1500 SR that dciodvfy passes with 0 errors and dsrdump shows with the codes', () => {
    const out = path.join(tmp, 'read-sr.dcm');
    const r = pulmo('report', series, '--format', 'sr', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(dciodvfyErrors(out)).toEqual([]);
    const dump = execFileSync('dsrdump', ['+Pc', '+Pl', out], { encoding: 'utf8' });
    for (const s of [
      '(126000,DCM,"Imaging Measurement Report")', '(125007,DCM,"Measurement Group")', '(112039,DCM,"Tracking Identifier")', '(112040,DCM,"Tracking Unique Identifier")',
      '(81827009,SCT,"Diameter")', '(118565006,SCT,"Volume")', '(103339001,SCT,"Long Axis")', '(112031,DCM,"Attenuation Coefficient")',
      '(121008,DCM,"Person Observer Name")', '(121012,DCM,"Device Observer UID")', '(111030,DCM,"Image Region")', '(121112,DCM,"Source of Measurement")',
      '(LUNGRADS,99PULMO,', '(EXAMLR,99PULMO,', '(DECISION,99PULMO,', '(121075,DCM,"Recommendation")', 'SCOORD3D', 'Dr A Reader',
    ]) expect(dump).toContain(s);
    const ds = readPart10(fs.readFileSync(out));
    expect(ds.SOPClassUID).toBe('1.2.840.10008.5.1.4.1.1.88.34');
    expect(dump).toContain(`"${read.conclusion.recommendation}"`.slice(0, 40));
    // Each nodule's SCOORD3D point is the read's centre, in LPS mm.
    const text = dump;
    for (const m of read.marks) expect(text).toContain(m.trackingUID);
  });

  it('writes a SEG that dciodvfy passes and whose frames equal the stored masks voxel for voxel', () => {
    const out = path.join(tmp, 'read-seg.dcm');
    const r = pulmo('report', series, '--format', 'seg', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(dciodvfyErrors(out)).toEqual([]);
    const ds = readPart10(fs.readFileSync(out));
    const [nx, ny] = geometry.dims;
    expect([ds.Rows, ds.Columns]).toEqual([ny, nx]);
    const segs = ds.SegmentSequence as Naturalized[];
    const counted = read.marks.filter((m) => m.decision === 'accepted' || m.decision === 'added');
    expect(segs.map((s) => s.TrackingUID)).toEqual(counted.map((m) => m.trackingUID));
    const pixel = new Uint8Array(ds.PixelData instanceof ArrayBuffer ? ds.PixelData : (ds.PixelData as ArrayBuffer[])[0]);
    const frames = ds.PerFrameFunctionalGroupsSequence as Naturalized[];
    const fromSeg = new Map<number, Set<number>>();
    frames.forEach((f, fi) => {
      const seg = Number(((f.SegmentIdentificationSequence as Naturalized[])[0] ?? f.SegmentIdentificationSequence).ReferencedSegmentNumber);
      const ipp = ((f.PlanePositionSequence as Naturalized[])[0] ?? f.PlanePositionSequence).ImagePositionPatient as number[];
      const k = Math.round(lpsToIjk(geometry, ipp.map(Number) as [number, number, number])[2]);
      const set = fromSeg.get(seg) ?? new Set<number>();
      for (let p = 0; p < nx * ny; p++) {
        const b = fi * nx * ny + p;
        if (pixel[b >> 3] & (1 << (b & 7))) set.add(p + nx * ny * k);
      }
      fromSeg.set(seg, set);
    });
    counted.forEach((m, idx) => {
      const mask = getMask(ctx.db, m.maskId!)!;
      const stored = new Set<number>();
      for (let k = 0; k < mask.dims[2]; k++)
        for (let j = 0; j < mask.dims[1]; j++)
          for (let i = 0; i < mask.dims[0]; i++)
            if (mask.data[i + mask.dims[0] * (j + mask.dims[1] * k)]) stored.add(mask.min[0] + i + nx * (mask.min[1] + j + ny * (mask.min[2] + k)));
      const seg = fromSeg.get(idx + 1)!;
      expect(stored.size).toBeGreaterThan(20);
      expect(seg.size).toBe(stored.size);
      expect([...stored].every((v) => seg.has(v))).toBe(true);
      // And the mask's volume is the nodule's measured volume (voxel count × voxel volume).
      const voxelMm3 = geometry.spacing[0] * geometry.spacing[1] * geometry.spacing[2];
      expect(Math.abs(stored.size * voxelMm3 - m.finding.volumeMm3!) / m.finding.volumeMm3!).toBeLessThan(0.02);
    });
  });

  it('writes a PDF that pdftoppm renders, with the key images (saved for a look)', () => {
    const out = path.join(tmp, 'read.pdf');
    const r = pulmo('report', series, '--format', 'pdf', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' });
    expect(text).toContain('Research use only');
    expect(text).toContain('Dr A Reader');
    expect(text).toContain(`Exam Lung-RADS v2022: ${read.conclusion.category}`);
    expect(text).toContain('second-reader');
    for (const m of read.marks) expect(text).toContain(m.finding.label);
    execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', out, path.join(shots, 'report-pdf')]);
    const png = PNG.sync.read(fs.readFileSync(path.join(shots, 'report-pdf-1.png')));
    // Key images: the lung-window crops are dark squares with a yellow outline somewhere on the page.
    let yellow = 0;
    let dark = 0;
    for (let p = 0; p < png.width * png.height; p++) {
      const [rr, g, b] = [png.data[4 * p], png.data[4 * p + 1], png.data[4 * p + 2]];
      if (rr > 200 && g > 150 && b < 80) yellow++;
      if (rr < 40 && g < 40 && b < 40) dark++;
    }
    expect(yellow).toBeGreaterThan(10);
    expect(dark).toBeGreaterThan(2000);
  });

  it('writes a CSV with one row per nodule, LPS mm, equal to the read', () => {
    const out = path.join(tmp, 'read.csv');
    expect(pulmo('report', series, '--format', 'csv', '--out', out).code).toBe(0);
    const [head, ...rows] = fs.readFileSync(out, 'utf8').trim().split('\r\n');
    const cols = head.split(',');
    expect(rows.length).toBe(read.marks.length);
    rows.forEach((l, n) => {
      const v = l.split(',');
      const m = read.marks[n];
      expect(v[cols.indexOf('tracking_uid')]).toBe(m.trackingUID);
      expect(v[cols.indexOf('decision')]).toBe(m.decision);
      expect(Number(v[cols.indexOf('center_x_lps_mm')])).toBeCloseTo(m.finding.centerLPS[0], 6);
      expect(Number(v[cols.indexOf('diameter_mm')])).toBe(m.finding.diameterMm);
    });
  });

  it('pulmo import-sr puts the SR on the same series of a second data folder, and refuses a non-SR file', () => {
    const other = path.join(tmp, 'other');
    const imp = spawnSync(process.execPath, [pulmoBin, 'import', path.join(tmp, 'dicom'), '--data', other], { encoding: 'utf8' });
    expect(imp.status, imp.stderr).toBe(0);
    const r = spawnSync(process.execPath, [pulmoBin, 'import-sr', path.join(tmp, 'read-sr.dcm'), '--json', '--data', other], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { seriesInstanceUID: string; nodules: { trackingUID: string; centerLPS: number[] }[] };
    expect(out.seriesInstanceUID).toBe(series);
    expect(out.nodules.map((n) => n.trackingUID)).toEqual(read.marks.map((m) => m.trackingUID));
    const bad = spawnSync(process.execPath, [pulmoBin, 'import-sr', path.join(tmp, 'read.csv'), '--data', other], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/read\.csv: not a readable DICOM file/);
  });
});
