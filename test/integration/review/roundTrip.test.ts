// The SR round trip into a fresh data folder (a second workstation) and de-identified exports: the SR re-imports
// as a reader layer at the same LPS positions; a foreign or tampered SR is rejected with the reason and writes
// nothing; de-identified SR/SEG/CSV keep no PHI attribute of the basic profile and no original UID.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { createServices } from '../../../src-main/services';
import { dispatch, type Handlers } from '../../../src-main/services/dispatch';
import { releaseSessions } from '../../../src-main/cad/session';
import { basicProfileKeywords, readPart10, writePart10, type Naturalized } from '../../../src-main/formats/dicom-out/dcmjsIo';
import { lpsToIjk } from '../../../src-main/shared/geometry';
import type { Read } from '../../../src-main/shared/readTypes';
import type { WrittenSeries } from '../../fixtures/dicom/ctSeries';
import { tempDir } from '../../fixtures/dicom/paths';
import { geometry, importCase, runTestCad, signedRead, writeCase } from '../../fixtures/review/readCase';

let tmp: string;
let ctx: AppContext;
let other: AppContext;
let handlers: Handlers;
let otherHandlers: Handlers;
let series: string;
let written: WrittenSeries;
let read: Read;
let srBytes: Buffer;

const make = (h: () => Handlers) => async (method: string, args: unknown): Promise<unknown> => {
  const r = await dispatch(h(), method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.kind}: ${r.error.message}`);
  return r.value;
};
const call = make(() => handlers);
async function exportBytes(format: string, deidentify = false): Promise<Buffer> {
  const f = (await call('reports.export', { seriesInstanceUID: series, format, deidentify })) as { base64: string };
  return Buffer.from(f.base64, 'base64');
}
function dciodvfyErrors(bytes: Buffer, name: string): string[] {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, bytes);
  const r = spawnSync('dciodvfy', [file], { encoding: 'utf8' });
  return (r.stdout + r.stderr).split('\n').filter((l) => /^Error/.test(l.trim()));
}

beforeAll(async () => {
  tmp = tempDir('round-trip');
  ctx = createContext({ dataDir: path.join(tmp, 'data') });
  handlers = createServices(ctx).handlers;
  written = writeCase(path.join(tmp, 'dicom'));
  series = await importCase(ctx, path.join(tmp, 'dicom'));
  await runTestCad(ctx, tmp, series);
  read = await signedRead(call, series);
  srBytes = await exportBytes('sr');
  // The second workstation: a fresh data folder with the same images, no read.
  other = createContext({ dataDir: path.join(tmp, 'other') });
  otherHandlers = createServices(other).handlers;
  await importCase(other, path.join(tmp, 'dicom'));
}, 120_000);
afterAll(async () => {
  await releaseSessions();
  ctx.close();
  other.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('SR round trip', () => {
  it('imports the SR on a second workstation as a reader layer at the same LPS positions (<= 1 voxel)', async () => {
    const file = path.join(tmp, 'read-sr.dcm');
    fs.writeFileSync(file, srBytes);
    const r = await dispatch(otherHandlers, 'reads.importSr', { path: file });
    if (!r.ok) throw new Error(r.error.message);
    const layer = r.value as Read;
    expect(layer).toMatchObject({ origin: 'imported-sr', state: 'imported', seriesInstanceUID: series, reader: { name: 'Dr A Reader' } });
    expect(layer.marks.length).toBe(read.marks.length);
    read.marks.forEach((m, n) => {
      const got = layer.marks[n];
      expect(got.trackingUID).toBe(m.trackingUID);
      const a = lpsToIjk(geometry, m.finding.centerLPS);
      const b = lpsToIjk(geometry, got.finding.centerLPS);
      expect(Math.max(...a.map((x, i) => Math.abs(x - b[i])))).toBeLessThanOrEqual(1);
      expect(got.finding.diameterMm).toBe(m.finding.diameterMm);
      expect(got.decision).toBe(m.decision);
    });
    const layers = await dispatch(otherHandlers, 'reads.layers', { seriesInstanceUID: series });
    expect(layers.ok && (layers.value as Read[]).length).toBe(1);
    // The layer is not a local read: nothing to triage or sign on the second workstation.
    const local = await dispatch(otherHandlers, 'reads.get', { seriesInstanceUID: series });
    expect(local.ok && local.value).toBeNull();
  });

  const rejects = async (name: string, mutate: (ds: Naturalized) => void, reason: RegExp): Promise<void> => {
    const ds = readPart10(srBytes);
    mutate(ds);
    const file = path.join(tmp, name);
    fs.writeFileSync(file, writePart10(ds));
    const before = (other.db.prepare('SELECT COUNT(*) AS n FROM reads').get() as { n: number }).n;
    const findingsBefore = (other.db.prepare('SELECT COUNT(*) AS n FROM findings').get() as { n: number }).n;
    const r = await dispatch(otherHandlers, 'reads.importSr', { path: file });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).toContain(file);
      expect(r.error.message).toMatch(reason);
    }
    expect((other.db.prepare('SELECT COUNT(*) AS n FROM reads').get() as { n: number }).n).toBe(before);
    expect((other.db.prepare('SELECT COUNT(*) AS n FROM findings').get() as { n: number }).n).toBe(findingsBefore);
  };

  it('rejects a foreign SR that matches no series, naming the file and the reason', async () => {
    await rejects('foreign.dcm', (ds) => {
      ds.SOPInstanceUID = '2.25.1';
      const ev = (ds.CurrentRequestedProcedureEvidenceSequence as Naturalized[])[0];
      const se = (ev.ReferencedSeriesSequence as Naturalized[])[0];
      se.SeriesInstanceUID = '2.25.999';
      for (const s of se.ReferencedSOPSequence as Naturalized[]) s.ReferencedSOPInstanceUID = '2.25.998';
      const strip = (items: Naturalized[]): void => {
        for (const i of items) {
          if (i.ReferencedSOPSequence) for (const s of i.ReferencedSOPSequence as Naturalized[]) s.ReferencedSOPInstanceUID = '2.25.998';
          if (i.ContentSequence) strip(i.ContentSequence as Naturalized[]);
        }
      };
      strip(ds.ContentSequence as Naturalized[]);
    }, /does not match any series/);
  });

  it('rejects a tampered SR whose coordinates are in another frame of reference, or outside the volume', async () => {
    const setScoord = (ds: Naturalized, f: (i: Naturalized) => void): void => {
      const walk = (items: Naturalized[]): void => {
        for (const i of items) {
          if (i.ValueType === 'SCOORD3D') f(i);
          if (i.ContentSequence) walk(i.ContentSequence as Naturalized[]);
        }
      };
      walk(ds.ContentSequence as Naturalized[]);
    };
    await rejects('for.dcm', (ds) => { ds.SOPInstanceUID = '2.25.2'; setScoord(ds, (i) => (i.ReferencedFrameOfReferenceUID = '2.25.777')); }, /frame of reference/);
    await rejects('outside.dcm', (ds) => { ds.SOPInstanceUID = '2.25.3'; setScoord(ds, (i) => (i.GraphicData = [500, 500, 500])); }, /outside the series' volume/);
    const notSr = path.join(tmp, 'not-sr.dcm');
    fs.copyFileSync(written.files[0], notSr);
    const r = await dispatch(otherHandlers, 'reads.importSr', { path: notSr });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/not a Structured Report/);
  });
});

describe('de-identified exports (PS3.15 basic profile)', () => {
  const phi = ['Test^Patient', 'PULMO-TEST-1', '19600101', 'Dr A Reader', 'Test impression', 'ACC1'];

  let deviceUID = '';
  function checkProfile(ds: Naturalized): string[] {
    const keywords = new Set(basicProfileKeywords());
    const allowed: Record<string, (v: unknown) => boolean> = {
      PatientName: (v) => v === 'ANONYMOUS' || (Array.isArray(v) && (v[0] as { Alphabetic?: string })?.Alphabetic === 'ANONYMOUS'),
      PatientID: (v) => typeof v === 'string' && v.startsWith('PULMO-'),
      ContentDate: (v) => v === '19000101',
      ContentTime: (v) => v === '000000',
      InstanceCreationDate: (v) => v === '19000101',
      // Type 1 in SEG's Enhanced General Equipment: replaced by a dummy (D), checked below to differ from the original.
      DeviceSerialNumber: (v) => typeof v === 'string' && v !== deviceUID,
      PersonName: (v) => JSON.stringify(v).includes('ANONYMOUS'),
      // Cleaned, not removed (Clean Structured Content option; UIDs replaced in references).
      ContentSequence: () => true,
      SourceImageSequence: () => true,
    };
    const bad: string[] = [];
    const walk = (o: Naturalized, where: string): void => {
      for (const [k, v] of Object.entries(o)) {
        const empty = v === '' || v === null || v === undefined || (Array.isArray(v) && v.length === 0);
        if (keywords.has(k) && !empty && !(allowed[k]?.(v) ?? false)) bad.push(`${where}${k}=${JSON.stringify(v).slice(0, 60)}`);
        if (Array.isArray(v)) v.forEach((x, n) => x && typeof x === 'object' && !(x instanceof ArrayBuffer) && walk(x as Naturalized, `${where}${k}[${n}].`));
      }
    };
    walk(ds, '');
    return bad;
  }

  it('keeps no PHI attribute and no original UID in the SR, SEG and CSV, and they still validate', async () => {
    deviceUID = String(readPart10(await exportBytes('seg')).DeviceSerialNumber);
    const sr = await exportBytes('sr', true);
    const seg = await exportBytes('seg', true);
    const csv = await exportBytes('csv', true);
    const originals = [written.studyUID, written.seriesUID, ...written.sopUIDs];
    for (const [name, bytes] of [['sr', sr], ['seg', seg], ['csv', csv]] as const) {
      const s = bytes.toString('latin1');
      for (const p of phi) expect(s, `${name} contains ${p}`).not.toContain(p);
      for (const u of originals) expect(s, `${name} contains ${u}`).not.toContain(u);
    }
    for (const [name, bytes] of [['sr', sr], ['seg', seg]] as const) {
      const ds = readPart10(bytes);
      expect(checkProfile(ds), name).toEqual([]);
      expect(ds.PatientIdentityRemoved).toBe('YES');
      expect(dciodvfyErrors(bytes, `deid-${name}.dcm`)).toEqual([]);
    }
    // SR and SEG still reference the same (replaced) source images and frame of reference.
    const srDs = readPart10(sr);
    const segDs = readPart10(seg);
    const srSeries = ((srDs.CurrentRequestedProcedureEvidenceSequence as Naturalized[])[0].ReferencedSeriesSequence as Naturalized[])[0].SeriesInstanceUID;
    expect((segDs.ReferencedSeriesSequence as Naturalized[])[0].SeriesInstanceUID).toBe(srSeries);
    expect(srDs.StudyInstanceUID).toBe(segDs.StudyInstanceUID);
    // The identified export is unchanged by it.
    expect(readPart10(await exportBytes('sr')).PatientName).toEqual([{ Alphabetic: 'Test^Patient' }]);
  });
});
