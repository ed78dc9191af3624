// The second read through the validating dispatcher on a real SQLite file: reader profile, second-reader mode
// (CAD withheld until "first read done"), a reader-added nodule measured from a seed, triage, exam Lung-RADS
// against an independent computation, sign-off, addendum, and the append-only audit trail.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { createServices } from '../../../src-main/services';
import { dispatch, type Handlers } from '../../../src-main/services/dispatch';
import { releaseSessions } from '../../../src-main/cad/session';
import { lungRadsExam } from '../../../src-main/cad/lungRads';
import { brockFromInputs } from '../../../src-main/cad/brockInputs';
import type { Result } from '../../../src-main/shared/errors';
import type { Finding } from '../../../src-main/shared/types';
import type { AuditEntry, Read, ReadVersion } from '../../../src-main/shared/readTypes';
import { tempDir } from '../../fixtures/dicom/paths';
import { importCase, readerSeed, runTestCad, spheres, writeCase } from '../../fixtures/review/readCase';

let tmp: string;
let ctx: AppContext;
let handlers: Handlers;
let series: string;
let cad: Finding[];
let series2: string;

const call = (method: string, args: unknown): Promise<Result<unknown>> => dispatch(handlers, method, args);
async function value<T>(method: string, args: unknown): Promise<T> {
  const r = await call(method, args);
  if (!r.ok) throw new Error(`${method}: ${r.error.kind}: ${r.error.message}`);
  return r.value as T;
}
async function error(method: string, args: unknown): Promise<{ kind: string; message: string; field?: string }> {
  const r = await call(method, args);
  if (r.ok) throw new Error(`${method} should have failed`);
  return r.error;
}

beforeAll(async () => {
  tmp = tempDir('second-read');
  ctx = createContext({ dataDir: path.join(tmp, 'data') });
  handlers = createServices(ctx).handlers;
  writeCase(path.join(tmp, 'dicom'));
  series = await importCase(ctx, path.join(tmp, 'dicom'));
  cad = await runTestCad(ctx, tmp, series);
  writeCase(path.join(tmp, 'dicom2'));
  series2 = await importCase(ctx, path.join(tmp, 'dicom2'));
  await runTestCad(ctx, path.join(tmp, 'second'), series2);
}, 180_000);
afterAll(async () => {
  await releaseSessions();
  ctx.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the second read', () => {
  let read: Read;

  it('needs a reader profile, and defaults to second-reader mode', async () => {
    expect(cad.filter((f) => (f.score ?? 0) >= 0.5).length).toBeGreaterThanOrEqual(2);
    expect((await error('reads.start', { seriesInstanceUID: series })).message).toMatch(/reader profile/);
    expect(await value('reader.get', {})).toBeNull();
    const p = await value<{ name: string }>('reader.set', { name: 'Dr A Reader', role: 'radiologist' });
    expect(p.name).toBe('Dr A Reader');
    expect(await value('settings.get', {})).toEqual({ readingMode: 'second-reader' });
    read = await value<Read>('reads.start', { seriesInstanceUID: series });
    expect(read).toMatchObject({ mode: 'second-reader', state: 'in-review', cadVisible: false, reader: { name: 'Dr A Reader', role: 'radiologist' } });
    expect(read.marks).toEqual([]);
  });

  it('withholds CAD marks until "first read done" — in the read and in findings.list', async () => {
    const listed = await value<Finding[]>('findings.list', { seriesInstanceUID: series });
    expect(listed.filter((f) => f.source === 'cad')).toEqual([]);
    const e = await error('reads.accept', { readId: read.id, findingId: cad[0].id });
    expect(e.kind).toBe('not_found');
    expect((await error('reads.sign', { readId: read.id })).message).toMatch(/first read done/);
  });

  it('adds a missed nodule from a seed, segmented and measured like a CAD finding', async () => {
    read = await value<Read>('reads.add', { readId: read.id, seedLPS: readerSeed });
    const added = read.marks.find((m) => m.decision === 'added')!;
    expect(added.origin).toBe('reader');
    expect(added.finding.source).toBe('reader');
    expect(added.maskId).not.toBeNull();
    // Independent: the sphere's diameter and volume.
    const r = spheres[2].radiusMm;
    expect(Math.abs(added.finding.diameterMm! - 2 * r)).toBeLessThan(1.5);
    expect(Math.abs(added.finding.volumeMm3! - (4 / 3) * Math.PI * r ** 3) / ((4 / 3) * Math.PI * r ** 3)).toBeLessThan(0.3);
    expect(Math.hypot(...added.finding.centerLPS.map((x, a) => x - readerSeed[a]))).toBeLessThan(1);
    expect(added.finding.type).toBe('solid');
    expect(added.finding.lungRads).toBe(lungRadsExam([{ type: 'solid', diameterMm: added.finding.diameterMm! }]).category);
    const seedNowhere = await error('reads.add', { readId: read.id, seedLPS: [-20, -20, -298] });
    expect(seedNowhere).toMatchObject({ kind: 'validation', field: 'seedLPS' });
  });

  it('shows CAD marks after "first read done", for triage', async () => {
    read = await value<Read>('reads.firstReadDone', { readId: read.id });
    expect(read.cadVisible).toBe(true);
    const cadMarks = read.marks.filter((m) => m.origin === 'cad');
    expect(cadMarks.map((m) => m.findingId).sort()).toEqual(cad.filter((f) => (f.score ?? 0) >= read.minScore).map((f) => f.id).sort());
    expect(cadMarks.every((m) => m.decision === 'pending')).toBe(true);
    const listed = await value<Finding[]>('findings.list', { seriesInstanceUID: series });
    expect(listed.filter((f) => f.source === 'cad').length).toBe(cad.length);
  });

  it('accepts one mark, rejects one with a reason, refuses "other" without text', async () => {
    const marks = read.marks.filter((m) => m.origin === 'cad');
    const big = marks.reduce((a, b) => ((a.finding.diameterMm ?? 0) > (b.finding.diameterMm ?? 0) ? a : b));
    const rest = marks.filter((m) => m !== big);
    read = await value<Read>('reads.accept', { readId: read.id, findingId: big.findingId });
    const bad = await error('reads.reject', { readId: read.id, findingId: rest[0].findingId, reason: 'other' });
    expect(bad).toMatchObject({ kind: 'validation', field: 'text' });
    read = await value<Read>('reads.reject', { readId: read.id, findingId: rest[0].findingId, reason: 'vessel' });
    for (const m of rest.slice(1)) read = await value<Read>('reads.reject', { readId: read.id, findingId: m.findingId, reason: 'other', text: 'motion' });
    const acc = read.marks.find((m) => m.findingId === big.findingId)!;
    expect(acc).toMatchObject({ decision: 'accepted' });
    expect(acc.maskId).not.toBeNull();
    expect(read.marks.find((m) => m.findingId === rest[0].findingId)).toMatchObject({ decision: 'rejected', rejectReason: 'vessel' });
  });

  it('computes the exam Lung-RADS from the accepted and added nodules only', async () => {
    const counted = read.marks.filter((m) => m.decision === 'accepted' || m.decision === 'added').map((m) => m.finding);
    expect(counted.length).toBe(2);
    const expected = lungRadsExam(counted.map((f) => ({ type: f.type!, diameterMm: f.diameterMm!, solidComponentMm: f.solidComponentMm ?? null })));
    expect(read.conclusion.category).toBe(expected.category);
    expect(read.conclusion.recommendation.length).toBeGreaterThan(10);
    read = await value<Read>('reads.setConclusion', { readId: read.id, sModifier: true, sText: 'emphysema', impression: 'Solid nodule, right lower lobe.' });
    expect(read.conclusion).toMatchObject({ sModifier: true, sText: 'emphysema', impression: 'Solid nodule, right lower lobe.', category: expected.category });
  });

  it('signs, locks, and keeps the signed version through an addendum', async () => {
    read = await value<Read>('reads.sign', { readId: read.id });
    expect(read).toMatchObject({ state: 'signed', version: 1 });
    const locked = await error('reads.accept', { readId: read.id, findingId: read.marks[0].findingId });
    expect(locked.kind).toBe('conflict');
    expect(locked.message).toMatch(/addendum/);
    read = await value<Read>('reads.startAddendum', { readId: read.id, reason: 'type revised' });
    const added = read.marks.find((m) => m.decision === 'added')!;
    read = await value<Read>('reads.edit', { readId: read.id, findingId: added.findingId, type: 'ground-glass' });
    const edited = read.marks.find((m) => m.findingId === added.findingId)!;
    expect(edited.edited).toBe(true);
    expect(edited.finding.type).toBe('ground-glass');
    expect(edited.finding.lungRads).toBe('2'); // non-solid < 30 mm
    read = await value<Read>('reads.sign', { readId: read.id });
    expect(read).toMatchObject({ state: 'addended', version: 2 });
    const versions = await value<ReadVersion[]>('reads.versions', { readId: read.id });
    expect(versions.map((v) => [v.version, v.kind, v.reason])).toEqual([[1, 'signed', null], [2, 'addendum', 'type revised']]);
    expect(versions[0].read.marks.find((m) => m.findingId === added.findingId)!.finding.type).toBe('solid');
  });

  it('holds every step in an append-only audit trail with the reader and the OS user', async () => {
    const audit = await value<AuditEntry[]>('audit.list', { seriesInstanceUID: series });
    const actions = audit.map((a) => a.action);
    for (const a of ['reads.start', 'reads.add', 'reads.firstReadDone', 'reads.accept', 'reads.reject', 'reads.setConclusion', 'reads.sign', 'reads.startAddendum', 'reads.edit', 'reads.signAddendum']) {
      expect(actions).toContain(a);
    }
    expect(actions.indexOf('reads.add')).toBeLessThan(actions.indexOf('reads.firstReadDone'));
    expect(audit.every((a) => a.reader === 'Dr A Reader (radiologist)' && a.actor.length > 0)).toBe(true);
    const rej = audit.find((a) => a.action === 'reads.reject')!;
    expect(rej.before).toMatchObject({ decision: 'pending' });
    expect(rej.after).toMatchObject({ decision: 'rejected', rejectReason: 'vessel' });
    expect(() => ctx.db.prepare('UPDATE audit SET action = ? WHERE id = ?').run('x', audit[0].id)).toThrow(/append-only/);
    expect(() => ctx.db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
    const csv = await value<{ base64: string }>('audit.exportCsv', { seriesInstanceUID: series });
    const lines = Buffer.from(csv.base64, 'base64').toString('utf8').trim().split('\r\n');
    expect(lines[0]).toBe('id,at,os_user,reader,action,series_uid,detail_json,before_json,after_json');
    expect(lines.length).toBe(audit.length + 1);
  });
});

describe('concurrent mode and edits', () => {
  it('shows CAD marks at once in concurrent mode', async () => {
    const read = await value<Read>('reads.start', { seriesInstanceUID: series2, mode: 'concurrent' });
    expect(read).toMatchObject({ mode: 'concurrent', cadVisible: true });
    expect(read.marks.filter((m) => m.origin === 'cad' && m.decision === 'pending').length).toBeGreaterThanOrEqual(2);
    expect((await value<Finding[]>('findings.list', { seriesInstanceUID: series2 })).some((f) => f.source === 'cad')).toBe(true);
  });

  it('re-segments from a seed, moves the centre, sets the diameter; Lung-RADS follows and the viewer sees the edit', async () => {
    let read = (await value<Read>('reads.get', { seriesInstanceUID: series2 }))!;
    const big = read.marks.reduce((a, b) => ((a.finding.diameterMm ?? 0) > (b.finding.diameterMm ?? 0) ? a : b));
    // Re-segment from a seed inside the largest sphere (radius 6 mm): the same nodule, measured again.
    read = await value<Read>('reads.edit', { readId: read.id, findingId: big.findingId, seedLPS: spheres[0].centerLPS });
    let m = read.marks.find((x) => x.findingId === big.findingId)!;
    expect(Math.abs(m.finding.diameterMm! - 12)).toBeLessThan(1.5);
    expect(m.maskId).not.toBeNull();
    read = await value<Read>('reads.edit', { readId: read.id, findingId: big.findingId, diameterMm: 16 });
    m = read.marks.find((x) => x.findingId === big.findingId)!;
    expect(m.finding).toMatchObject({ diameterMm: 16, lungRads: '4B' }); // solid >= 15 mm
    // Brock recomputed from the finding's recorded inputs at the new size (the patient is a 64-year-old woman).
    expect(big.finding.brockInputs?.ageYears).toBe(64);
    expect(m.finding.brock).toBe(brockFromInputs(big.finding.brockInputs!, 16, 'solid'));
    expect(m.finding.brock).toBeGreaterThan(big.finding.brock!);
    const moved: [number, number, number] = [m.finding.centerLPS[0] + 1, m.finding.centerLPS[1], m.finding.centerLPS[2]];
    read = await value<Read>('reads.edit', { readId: read.id, findingId: big.findingId, centerLPS: moved });
    const listed = (await value<Finding[]>('findings.list', { seriesInstanceUID: series2 })).find((f) => f.id === big.findingId)!;
    expect(listed.centerLPS).toEqual(moved);
    expect(listed.diameterMm).toBe(16);
    // The CAD finding itself is unchanged: the edit belongs to the read.
    expect(JSON.parse((ctx.db.prepare('SELECT data_json FROM findings WHERE id = ?').get(big.findingId) as { data_json: string }).data_json).diameterMm).toBe(big.finding.diameterMm);
    expect((await error('reads.edit', { readId: read.id, findingId: big.findingId })).message).toMatch(/Nothing to edit/);
  });
});
