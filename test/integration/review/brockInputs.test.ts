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
  const env: CadEnv = { db: ctx.db, volumesDir: ctx.volumesDir, registry, execute: inProcessExecutor(classicalDeps) };
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
      expect(i).toMatchObject({ ageYears: 69, sex: 'F', familyHistory: false, emphysema: false, spiculation: false, noduleCount: 2, enteredAt: null });
      expect(i.origin).toEqual({ familyHistory: 'assumed', emphysema: 'assumed', spiculation: 'assumed', upperLobe: 'cad', noduleCount: 'cad' });
      const expected = brockProbability({
        ageYears: 69, sex: 'female', familyHistoryLungCancer: false, emphysema: false, sizeMm: f.diameterMm!, type: f.type!, upperLobe: i.upperLobe!, noduleCount: 2, spiculation: false,
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
    expect(r.brockInputs!.origin).toEqual({ familyHistory: 'reader', emphysema: 'reader', spiculation: 'reader', upperLobe: 'reader', noduleCount: 'reader' });
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
    expect(r.brockInputs).toMatchObject({ upperLobe: f.brockInputs!.upperLobe, noduleCount: 2, emphysema: true });
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
  it('is the most suspicious category of the CAD findings at or above the operating point', async () => {
    const expectedAll = knownFindings
      .map((f) => lungRadsNodule({ type: f.type!, diameterMm: f.diameterMm!, solidComponentMm: f.solidComponentMm ?? null }).category)
      .sort()
      .at(-1);
    const all = value<{ category: string; noduleCount: number; runId: string }>(await call('cad.examLungRads', { seriesInstanceUID: known.seriesInstanceUID, minScore: 0 }));
    expect(all).toMatchObject({ category: expectedAll, noduleCount: 2, runId: knownFindings[0].runId });
    const above = Math.max(...knownFindings.map((f) => f.score!)) + 1e-6;
    const none = value<{ category: string; noduleCount: number; reason: string }>(await call('cad.examLungRads', { seriesInstanceUID: known.seriesInstanceUID, minScore: Math.min(1, above) }));
    expect(none).toMatchObject({ category: '1', noduleCount: 0, reason: 'no lung nodules' });
    const bad = await call('cad.examLungRads', { seriesInstanceUID: known.seriesInstanceUID, minScore: 2 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.field).toBe('minScore');
  });
});
