// findings.setBrockInputs and cad.examLungRads through the validating dispatcher, on a real SQLite file with a
// CAD run made by real onnxruntime-node (a detection model built in code) and the real measurement functions.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../../src-main/services/context';
import { createServices } from '../../../src-main/services';
import { dispatch, type Handlers } from '../../../src-main/services/dispatch';
import { ModelRegistry } from '../../../src-main/cad/registry';
import { inProcessExecutor, runCad, type CadEnv } from '../../../src-main/services/cad/runCad';
import { classicalDeps } from '../../../src-main/cad/cadDeps';
import { releaseSessions } from '../../../src-main/cad/session';
import { brockProbability } from '../../../src-main/cad/brock';
import { lungRadsNodule } from '../../../src-main/cad/lungRads';
import type { VolumeGeometry } from '../../../src-main/shared/geometry';
import type { Finding } from '../../../src-main/shared/types';
import type { Result } from '../../../src-main/shared/errors';
import { detectorBytes, detectorManifest, writeModelDir } from '../../fixtures/models/buildModels';
import { phantom, seedVolume, type Seeded } from '../../fixtures/models/seedVolume';
import { seedFindings } from '../../fixtures/store/seedCase';

const geometry: VolumeGeometry = { dims: [64, 64, 36], spacing: [0.75, 0.75, 1.25], origin: [-24, -24, -300], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
const spheres = [
  { centerLPS: [-8.2, 6.1, -280.3] as [number, number, number], radiusMm: 6, hu: 60 },
  { centerLPS: [9.4, -7.7, -267.1] as [number, number, number], radiusMm: 4, hu: 40 },
];

let tmp: string;
let ctx: AppContext;
let handlers: Handlers;
let known: Seeded; // 69-year-old woman
let unknown: Seeded; // no birth date or sex in DICOM
let knownFindings: Finding[];
let unknownFindings: Finding[];
let env: CadEnv;
/** The run's operating point (stored with it): the findings at or above it are the ones that count. */
const OP = 0.5;
const atOperatingPoint = (fs: Finding[]) => fs.filter((f) => (f.score ?? 0) >= OP);

async function call(method: string, args: unknown): Promise<Result<unknown>> {
  return dispatch(handlers, method, args);
}
function value<T>(r: Result<unknown>): T {
  if (!r.ok) throw new Error(`${r.error.kind}: ${r.error.message}`);
  return r.value as T;
}
function auditRows(): { actor: string; action: string; detail_json: string }[] {
  return ctx.db.prepare('SELECT actor, action, detail_json FROM audit ORDER BY id').all() as { actor: string; action: string; detail_json: string }[];
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-brock-'));
  ctx = createContext({ dataDir: path.join(tmp, 'data') });
  const registry = new ModelRegistry(path.join(tmp, 'no-builtins'), ctx.modelsDir);
  const d = detectorBytes();
  await registry.add(writeModelDir(tmp, 'det', d, detectorManifest(d)));
  env = { db: ctx.db, volumesDir: ctx.volumesDir, registry, execute: inProcessExecutor(classicalDeps) };
  handlers = createServices(ctx).handlers;
  known = seedVolume(ctx.db, ctx.volumesDir, phantom(geometry, spheres), { birthDate: '19500315', studyDate: '20200101', sex: 'F' });
  unknown = seedVolume(ctx.db, ctx.volumesDir, phantom(geometry, spheres), {});
  knownFindings = (await runCad(env, { seriesInstanceUID: known.seriesInstanceUID, models: ['test-heatmap'] })).findings;
  unknownFindings = (await runCad(env, { seriesInstanceUID: unknown.seriesInstanceUID, models: ['test-heatmap'] })).findings;
}, 60_000);
afterAll(async () => {
  await releaseSessions();
  ctx.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('findings.setBrockInputs', () => {
  it('rejects bad arguments naming the field, and writes nothing', async () => {
    const f = knownFindings[0];
    const missing = await call('findings.setBrockInputs', { findingId: f.id, familyHistory: true, emphysema: false });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error).toMatchObject({ kind: 'validation', field: 'spiculation' });
    const badCount = await call('findings.setBrockInputs', { findingId: f.id, familyHistory: true, emphysema: false, spiculation: false, noduleCount: 0 });
    if (!badCount.ok) expect(badCount.error).toMatchObject({ kind: 'validation', field: 'noduleCount' });
    expect(badCount.ok).toBe(false);
    const noSuch = await call('findings.setBrockInputs', { findingId: 'no-such-finding', familyHistory: true, emphysema: false, spiculation: false });
    expect(noSuch.ok).toBe(false);
    if (!noSuch.ok) expect(noSuch.error).toMatchObject({ kind: 'not_found', field: 'findingId' });
    expect(auditRows()).toEqual([]);
  });

  it('the CAD run records the inputs it assumed, and its Brock value is the model on exactly those inputs', () => {
    expect(knownFindings.length).toBe(2);
    for (const f of knownFindings) {
      const i = f.brockInputs!;
      // The count is the findings at the run's operating point, not every candidate (issue 9, bug 4).
      const count = Math.max(1, atOperatingPoint(knownFindings).length);
      expect(i).toMatchObject({ ageYears: 69, sex: 'F', familyHistory: false, emphysema: false, spiculation: false, noduleCount: count, enteredAt: null });
      expect(i.origin).toEqual({ familyHistory: 'assumed', emphysema: 'assumed', spiculation: 'assumed', upperLobe: 'cad', noduleCount: 'cad', ageYears: 'dicom', sex: 'dicom' });
      const expected = brockProbability({
        ageYears: 69, sex: 'female', familyHistoryLungCancer: false, emphysema: false, sizeMm: f.diameterMm!, type: f.type!, upperLobe: i.upperLobe!, noduleCount: count, spiculation: false,
      });
      expect(f.brock).toBeCloseTo(expected, 12);
    }
  });

  it('recomputes Brock from the reader inputs with DICOM age and sex, stores it, and audits before/after', async () => {
    const f = knownFindings[0];
    const r = value<Finding>(await call('findings.setBrockInputs', { findingId: f.id, familyHistory: true, emphysema: true, spiculation: true, upperLobe: true, noduleCount: 1 }));
    const expected = brockProbability({
      ageYears: 69, sex: 'female', familyHistoryLungCancer: true, emphysema: true, sizeMm: f.diameterMm!, type: f.type!, upperLobe: true, noduleCount: 1, spiculation: true,
    });
    expect(r.brock).toBeCloseTo(expected, 12);
    expect(r.brock).toBeGreaterThan(f.brock!); // every reader input here raises the risk
    expect(r.brockInputs!.origin).toEqual({ familyHistory: 'reader', emphysema: 'reader', spiculation: 'reader', upperLobe: 'reader', noduleCount: 'reader', ageYears: 'dicom', sex: 'dicom' });
    expect(r.brockInputs!.enteredAt).not.toBeNull();

    // Stored: findings.list returns the new value and inputs; the other finding is untouched.
    const listed = value<Finding[]>(await call('findings.list', { seriesInstanceUID: known.seriesInstanceUID, source: 'cad' }));
    expect(listed.find((x) => x.id === f.id)).toEqual(r);
    expect(listed.find((x) => x.id === knownFindings[1].id)).toEqual(knownFindings[1]);

    const audit = auditRows();
    expect(audit.length).toBe(1);
    expect(audit[0].action).toBe('findings.setBrockInputs');
    expect(audit[0].actor.length).toBeGreaterThan(0);
    const detail = JSON.parse(audit[0].detail_json);
    expect(detail).toMatchObject({ findingId: f.id, seriesInstanceUID: known.seriesInstanceUID, before: { brock: f.brock }, after: { brock: r.brock } });
    expect(detail.before.brockInputs.origin.familyHistory).toBe('assumed');
  });

  it('keeps the lobe and count of the earlier inputs when the reader leaves them out', async () => {
    const f = knownFindings[1];
    const r = value<Finding>(await call('findings.setBrockInputs', { findingId: f.id, familyHistory: false, emphysema: true, spiculation: false }));
    expect(r.brockInputs).toMatchObject({ upperLobe: f.brockInputs!.upperLobe, noduleCount: f.brockInputs!.noduleCount, emphysema: true });
    expect(r.brockInputs!.origin).toMatchObject({ emphysema: 'reader', upperLobe: 'cad', noduleCount: 'cad' });
  });

  it('gives no probability when age or sex is unknown in DICOM, but still stores the reader inputs', async () => {
    const f = unknownFindings[0];
    expect(f.brock).toBeNull();
    const r = value<Finding>(await call('findings.setBrockInputs', { findingId: f.id, familyHistory: true, emphysema: false, spiculation: false }));
    expect(r.brock).toBeNull();
    expect(r.brockInputs).toMatchObject({ ageYears: null, sex: null, familyHistory: true });
    const listed = value<Finding[]>(await call('findings.list', { seriesInstanceUID: unknown.seriesInstanceUID, source: 'cad' }));
    expect(listed.find((x) => x.id === f.id)!.brockInputs!.familyHistory).toBe(true);
  });

  it('asks for the lobe when the finding has none recorded (e.g. a finding stored without Brock inputs)', async () => {
    const f = { ...knownFindings[0], id: 'legacy-finding-1', brockInputs: undefined, runId: null, source: 'reference' as const };
    seedFindings(ctx.db, known.volumeId, [f]);
    const r = await call('findings.setBrockInputs', { findingId: f.id, familyHistory: false, emphysema: false, spiculation: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatchObject({ kind: 'validation', field: 'upperLobe' });
    const ok = value<Finding>(await call('findings.setBrockInputs', { findingId: f.id, familyHistory: false, emphysema: false, spiculation: false, upperLobe: false }));
    expect(ok.brockInputs!.noduleCount).toBe(1); // the one reference finding of the volume
    expect(ok.brock).toBeGreaterThan(0);
  });
});

describe('cad.examLungRads', () => {
  it('is the most suspicious category of the findings at the run\'s stored operating point, whatever display filter is asked', async () => {
    // As stored now: the reader marked spiculation on CAD 1 above, which makes a category 3/4 nodule 4X.
    const stored = value<Finding[]>(await call('findings.list', { seriesInstanceUID: known.seriesInstanceUID, source: 'cad' }));
    const counted = atOperatingPoint(stored);
    const order = ['1', '2', '3', '4A', '4B', '4X'];
    const expected = counted.length
      ? counted
          .map((f) => lungRadsNodule({ type: f.type!, diameterMm: f.diameterMm!, solidComponentMm: f.solidComponentMm ?? null, additionalFeatures: f.brockInputs?.origin.spiculation === 'reader' && f.brockInputs.spiculation ? 'spiculation' : null }).category)
          .sort((a, b) => order.indexOf(a) - order.indexOf(b))
          .at(-1)
      : '1';
    expect(counted.some((f) => f.brockInputs?.spiculation)).toBe(true);
    // The display slider at 0, 0.9 or 1 must not change the exam (issue 9, bug 2: "1 — no lung nodules" at 0.90).
    for (const minScore of [0, 0.9, 1]) {
      const e = value<{ category: string; noduleCount: number; runId: string; minScore: number }>(await call('cad.examLungRads', { seriesInstanceUID: known.seriesInstanceUID, minScore }));
      expect(e).toMatchObject({ category: expected, noduleCount: counted.length, runId: knownFindings[0].runId, minScore: OP });
    }
    const run = value<{ params: Record<string, unknown> }[]>(await call('cad.runs', { seriesInstanceUID: known.seriesInstanceUID }))[0];
    expect(run.params.operatingPoint).toBe(OP);
    const bad = await call('cad.examLungRads', { seriesInstanceUID: known.seriesInstanceUID, minScore: 2 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.field).toBe('minScore');
  });
});

describe('Brock age, sex and reader inputs across runs (issue 9)', () => {
  it('computes Brock from PatientAge (0010,1010) when DICOM has no birth date', async () => {
    const aged = seedVolume(ctx.db, ctx.volumesDir, phantom(geometry, spheres), { patientAge: '077Y', sex: 'M', studyDate: '20200101' });
    const fs = (await runCad(env, { seriesInstanceUID: aged.seriesInstanceUID, models: ['test-heatmap'] })).findings;
    const f = fs[0];
    expect(f.brockInputs).toMatchObject({ ageYears: 77, sex: 'M' });
    const expected = brockProbability({
      ageYears: 77, sex: 'male', familyHistoryLungCancer: false, emphysema: false, sizeMm: f.diameterMm!, type: f.type!, upperLobe: f.brockInputs!.upperLobe!, noduleCount: f.brockInputs!.noduleCount, spiculation: false,
    });
    expect(f.brock).toBeCloseTo(expected, 12);
  });

  it('lets the reader enter age and sex only where DICOM has none, and audits it', async () => {
    const f = unknownFindings[1];
    const r = value<Finding>(await call('findings.setBrockInputs', { findingId: f.id, familyHistory: false, emphysema: false, spiculation: false, ageYears: 70, sex: 'M' }));
    expect(r.brockInputs).toMatchObject({ ageYears: 70, sex: 'M' });
    expect(r.brockInputs!.origin).toMatchObject({ ageYears: 'reader', sex: 'reader' });
    const expected = brockProbability({
      ageYears: 70, sex: 'male', familyHistoryLungCancer: false, emphysema: false, sizeMm: f.diameterMm!, type: f.type!, upperLobe: f.brockInputs!.upperLobe!, noduleCount: f.brockInputs!.noduleCount, spiculation: false,
    });
    expect(r.brock).toBeCloseTo(expected, 12);
    const last = auditRows().at(-1)!;
    expect(JSON.parse(last.detail_json).after.brockInputs).toMatchObject({ ageYears: 70, sex: 'M' });
    // Where DICOM knows the age, the reader cannot replace it.
    const refused = await call('findings.setBrockInputs', { findingId: knownFindings[1].id, familyHistory: false, emphysema: false, spiculation: false, ageYears: 50 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ kind: 'validation', field: 'ageYears' });
  });

  it('carries the reader\'s Brock inputs to the same nodule when CAD runs again, and records it with the run', async () => {
    const edited = value<Finding[]>(await call('findings.list', { seriesInstanceUID: known.seriesInstanceUID, source: 'cad' })).find((x) => x.id === knownFindings[0].id)!;
    expect(edited.brockInputs!.enteredAt).not.toBeNull();
    const again = await runCad(env, { seriesInstanceUID: known.seriesInstanceUID, models: ['test-heatmap'] });
    const same = again.findings.reduce((a, b) => (dist(a.centerLPS, edited.centerLPS) < dist(b.centerLPS, edited.centerLPS) ? a : b));
    expect(dist(same.centerLPS, edited.centerLPS)).toBeLessThan(5);
    expect(same.brockInputs).toMatchObject({ familyHistory: true, emphysema: true, spiculation: true, upperLobe: true, noduleCount: 1, enteredAt: edited.brockInputs!.enteredAt });
    expect(same.brockInputs!.origin).toMatchObject({ familyHistory: 'reader', spiculation: 'reader', noduleCount: 'reader' });
    expect(same.brock).toBeCloseTo(edited.brock!, 12); // same nodule, same size, same inputs
    const stored = value<Finding[]>(await call('findings.list', { seriesInstanceUID: known.seriesInstanceUID, source: 'cad' }));
    expect(stored.find((x) => x.id === same.id)!.brockInputs!.familyHistory).toBe(true);
    const run = value<{ id: string; params: Record<string, unknown> }[]>(await call('cad.runs', { seriesInstanceUID: known.seriesInstanceUID }))[0];
    expect(run.id).toBe(again.runId);
    // Both CAD findings of the first run carry reader inputs (edited above); both nodules are found again.
    const carried = again.findings.filter((x) => x.brockInputs?.enteredAt).map((x) => x.label);
    expect(carried).toContain(same.label);
    expect(carried.length).toBe(value<Finding[]>(await call('findings.list', { seriesInstanceUID: known.seriesInstanceUID, source: 'cad' })).filter((x) => x.brockInputs?.enteredAt).length);
    expect(run.params.readerBrockInputs).toMatchObject({ fromRun: knownFindings[0].runId, carried, notMatched: [] });
  });
});

const dist = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
