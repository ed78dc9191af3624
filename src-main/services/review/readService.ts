// The second read: reader profile, reading mode, triage of CAD marks, reader-added nodules, edits, conclusion,
// sign-off and addenda. Every state change is one transaction with one audit row (who, what, before/after).
import crypto from 'node:crypto';
import type { AppContext } from '../context';
import type { Handlers } from '../dispatch';
import { ApiError } from '../../shared/errors';
import { assertWritable } from '../guards';
import type { Finding } from '../../shared/types';
import type { Read, ReaderProfile, ReadingMode } from '../../shared/readTypes';
import { appendAudit, auditActor } from '../../store/audit';
import { currentReader, getSetting, insertReader, putSetting } from '../../store/settings';
import { insertMask } from '../../store/masks';
import * as reads from '../../store/reads';
import { brockFromInputs, cadBrockInputs, patientFacts } from '../../cad/brockInputs';
import type { NoduleCharacteristics } from '../../cad/measure/characterizeNodule';
import { assembleRead, cadVisible, markOf } from './readModel';
import { noduleCategory } from './conclusion';
import { loadVolume, measureAtSeed } from './measureAtSeed';
import type { Vec3 } from '../../shared/geometry';

export const DEFAULT_MODE: ReadingMode = 'second-reader';
export const DEFAULT_MIN_SCORE = 0.5;

type In<M extends keyof Handlers> = Parameters<Handlers[M]>[0];


function reader(ctx: AppContext): ReaderProfile {
  const r = currentReader(ctx.db);
  if (!r) throw new ApiError('conflict', 'No reader profile yet: enter your name and role first (reader.set)');
  return r;
}
const who = (r: { name: string; role: string }): string => `${r.name} (${r.role})`;

function readRow(ctx: AppContext, readId: string): reads.ReadRow {
  const row = reads.getReadRow(ctx.db, readId);
  if (!row) throw new ApiError('not_found', `No read ${readId}`, 'readId');
  return row;
}

/** A read that may change now: local, and in review or in an open addendum. */
function openRow(ctx: AppContext, readId: string): reads.ReadRow {
  assertWritable(ctx);
  const row = readRow(ctx, readId);
  if (row.origin !== 'local') throw new ApiError('conflict', `Read ${readId} was imported from an SR and cannot be changed`);
  if (row.state === 'signed' || row.state === 'addended') {
    throw new ApiError('conflict', `The read was signed on ${row.signed_at}; start an addendum to change it (the signed version is kept)`);
  }
  return row;
}

function markRow(ctx: AppContext, row: reads.ReadRow, findingId: string): reads.MarkRow {
  const m = reads.getMark(ctx.db, row.id, findingId);
  if (!m || (m.origin === 'cad' && !cadVisible(row))) throw new ApiError('not_found', `No mark for finding ${findingId} in read ${row.id}`, 'findingId');
  return m;
}

/** Runs one state change and its audit row in one transaction; returns the read as it is afterwards. */
function change(ctx: AppContext, row: reads.ReadRow, action: string, detail: Record<string, unknown>, before: unknown, apply: () => unknown): Read {
  const r = reader(ctx);
  ctx.db.transaction(() => {
    const after = apply();
    appendAudit(ctx.db, { action, reader: who(r), seriesInstanceUID: row.series_uid, detail: { readId: row.id, ...detail }, before, after });
  })();
  return assembleRead(ctx.db, readRow(ctx, row.id));
}

function storeMask(ctx: AppContext, volumeId: string, ch: NoduleCharacteristics, at: string): string {
  const id = crypto.randomUUID();
  insertMask(ctx.db, id, volumeId, ch.mask, at);
  return id;
}

/** Measured fields of a finding from a segmentation, with Lung-RADS and Brock recomputed for them. */
function measuredFields(f: Finding, ch: NoduleCharacteristics): Partial<Finding> {
  const m: Finding = {
    ...f,
    centerLPS: ch.centerLPS,
    boxLPS: ch.boxLPS,
    diameterMm: ch.diameterMm,
    longAxisMm: ch.longAxisMm,
    shortAxisMm: ch.shortAxisMm,
    volumeMm3: ch.volumeMm3,
    meanHU: ch.meanHU,
    type: ch.type,
    solidComponentMm: ch.solidComponentMm,
    contours: ch.contours,
  };
  const { centerLPS, boxLPS, diameterMm, longAxisMm, shortAxisMm, volumeMm3, meanHU, type, solidComponentMm, contours } = m;
  return { centerLPS, boxLPS, diameterMm, longAxisMm, shortAxisMm, volumeMm3, meanHU, type, solidComponentMm, contours, ...rescored(m) };
}

function rescored(f: Finding): Pick<Finding, 'lungRads' | 'brock'> {
  return { lungRads: noduleCategory(f).category, brock: f.brockInputs ? brockFromInputs(f.brockInputs, f.diameterMm, f.type) : f.brock };
}

function attachCadMarks(ctx: AppContext, row: reads.ReadRow): string | null {
  const run = reads.latestDoneRun(ctx.db, row.volume_ref);
  if (!run) return null;
  let ord = reads.nextMarkOrd(ctx.db, row.id);
  for (const f of run.findings.filter((x) => (x.score ?? 0) >= row.min_score)) {
    if (reads.getMark(ctx.db, row.id, f.id)) continue;
    reads.insertMark(ctx.db, { read_ref: row.id, finding_ref: f.id, ord: ord++, origin: 'cad', decision: 'pending', reject_reason: null, reject_text: null, edited_json: null, mask_ref: null, decided_at: null });
  }
  return run.id;
}

export function startRead(ctx: AppContext, req: In<'reads.start'>): Read {
  assertWritable(ctx);
  const r = reader(ctx);
  const existing = reads.localReadOfSeries(ctx.db, req.seriesInstanceUID);
  if (existing) return assembleRead(ctx.db, existing);
  const volumeId = reads.volumeOfSeries(ctx.db, req.seriesInstanceUID);
  if (!volumeId) throw new ApiError('not_found', `No volume for series ${req.seriesInstanceUID}`, 'seriesInstanceUID');
  const mode = req.mode ?? getSetting<ReadingMode>(ctx.db, 'readingMode') ?? DEFAULT_MODE;
  const id = crypto.randomUUID();
  const at = new Date().toISOString();
  ctx.db.transaction(() => {
    reads.insertRead(ctx.db, {
      id, series_uid: req.seriesInstanceUID, volume_ref: volumeId, run_ref: null, origin: 'local', mode, state: 'in-review',
      reader_ref: r.id, reader_name: r.name, reader_role: r.role, os_user: auditActor(), min_score: req.minScore ?? DEFAULT_MIN_SCORE, started_at: at, source_json: null,
    });
    // Concurrent reading shows CAD at once; second-reader mode withholds it until "first read done".
    if (mode === 'concurrent') reads.updateRead(ctx.db, id, { run_ref: attachCadMarks(ctx, reads.getReadRow(ctx.db, id)!) });
    appendAudit(ctx.db, { action: 'reads.start', reader: who(r), seriesInstanceUID: req.seriesInstanceUID, detail: { readId: id, mode, minScore: req.minScore ?? DEFAULT_MIN_SCORE }, at });
  })();
  return assembleRead(ctx.db, readRow(ctx, id));
}

export function firstReadDone(ctx: AppContext, req: In<'reads.firstReadDone'>): Read {
  const row = openRow(ctx, req.readId);
  if (row.first_read_done_at) return assembleRead(ctx.db, row);
  const at = new Date().toISOString();
  const readerMarks = reads.marksOfRead(ctx.db, row.id).length;
  return change(ctx, row, 'reads.firstReadDone', { readerMarks }, { firstReadDoneAt: null }, () => {
    const runId = attachCadMarks(ctx, row);
    reads.updateRead(ctx.db, row.id, { first_read_done_at: at, run_ref: runId });
    return { firstReadDoneAt: at, runId, cadMarks: reads.marksOfRead(ctx.db, row.id).filter((m) => m.origin === 'cad').length };
  });
}

function decisionOf(m: reads.MarkRow): unknown {
  return { decision: m.decision, rejectReason: m.reject_reason, rejectText: m.reject_text };
}

export function accept(ctx: AppContext, req: In<'reads.accept'>): Read {
  const row = openRow(ctx, req.readId);
  const m = markRow(ctx, row, req.findingId);
  if (m.origin !== 'cad') throw new ApiError('validation', 'Only CAD marks are accepted or rejected; a reader-added nodule counts already', 'findingId');
  const at = new Date().toISOString();
  // The accepted nodule's mask is the segmentation at its (possibly edited) centre, stored for SEG.
  const f = markOf(m).finding;
  const ch = m.mask_ref ? null : measureAtSeedOrNull(ctx, row.volume_ref, f.centerLPS, (f.diameterMm ?? 6) / 2);
  return change(ctx, row, 'reads.accept', { findingId: m.finding_ref, label: f.label }, decisionOf(m), () => {
    const mask = ch ? storeMask(ctx, row.volume_ref, ch, at) : m.mask_ref;
    reads.updateMark(ctx.db, row.id, m.finding_ref, { decision: 'accepted', reject_reason: null, reject_text: null, decided_at: at, mask_ref: mask });
    return { decision: 'accepted', maskStored: !!mask };
  });
}

function measureAtSeedOrNull(ctx: AppContext, volumeId: string, seed: Vec3, radiusHintMm: number): NoduleCharacteristics | null {
  try {
    return measureAtSeed(loadVolume(ctx.db, ctx.volumesDir, volumeId), seed, radiusHintMm);
  } catch {
    return null; // no segmentation there: the mark is accepted with its measures, and SEG says it has no mask
  }
}

export function reject(ctx: AppContext, req: In<'reads.reject'>): Read {
  const row = openRow(ctx, req.readId);
  const m = markRow(ctx, row, req.findingId);
  if (m.origin !== 'cad') throw new ApiError('validation', 'A reader-added nodule is not rejected; edit it instead', 'findingId');
  const at = new Date().toISOString();
  const text = req.text?.trim() || null;
  return change(ctx, row, 'reads.reject', { findingId: m.finding_ref, label: markOf(m).finding.label }, decisionOf(m), () => {
    reads.updateMark(ctx.db, row.id, m.finding_ref, { decision: 'rejected', reject_reason: req.reason, reject_text: text, decided_at: at });
    return { decision: 'rejected', rejectReason: req.reason, rejectText: text };
  });
}

export function edit(ctx: AppContext, req: In<'reads.edit'>): Read {
  const row = openRow(ctx, req.readId);
  const m = markRow(ctx, row, req.findingId);
  const current = markOf(m).finding;
  const edits: Partial<Finding> = m.edited_json ? JSON.parse(m.edited_json) : {};
  const at = new Date().toISOString();
  let ch: NoduleCharacteristics | null = null;
  if (req.seedLPS) {
    ch = measureAtSeed(loadVolume(ctx.db, ctx.volumesDir, row.volume_ref), req.seedLPS, (current.diameterMm ?? 6) / 2);
    Object.assign(edits, measuredFields(current, ch));
  }
  if (req.centerLPS) edits.centerLPS = req.centerLPS;
  if (req.diameterMm !== undefined) edits.diameterMm = Math.round(req.diameterMm * 10) / 10;
  if (req.type) edits.type = req.type;
  if (!req.seedLPS && !req.centerLPS && req.diameterMm === undefined && !req.type) throw new ApiError('validation', 'Nothing to edit: give a centre, a seed, a diameter or a type');
  Object.assign(edits, rescored({ ...current, ...edits }));
  const before = { centerLPS: current.centerLPS, diameterMm: current.diameterMm, type: current.type, lungRads: current.lungRads, brock: current.brock };
  return change(ctx, row, 'reads.edit', { findingId: m.finding_ref, label: current.label, request: { ...req, readId: undefined, findingId: undefined } }, before, () => {
    const mask = ch ? storeMask(ctx, row.volume_ref, ch, at) : m.mask_ref;
    reads.updateMark(ctx.db, row.id, m.finding_ref, { edited_json: JSON.stringify(edits), mask_ref: mask, decided_at: at });
    const after = { ...current, ...edits };
    return { centerLPS: after.centerLPS, diameterMm: after.diameterMm, type: after.type, lungRads: after.lungRads, brock: after.brock, resegmented: !!ch };
  });
}

export function addNodule(ctx: AppContext, req: In<'reads.add'>): Read {
  const row = openRow(ctx, req.readId);
  const ch = measureAtSeed(loadVolume(ctx.db, ctx.volumesDir, row.volume_ref), req.seedLPS);
  const p = reads.patientOfSeries(ctx.db, row.series_uid);
  // Age and sex as DICOM states them (PatientAge first, then birth date vs study date), never guessed.
  const patient = patientFacts({ patientAge: p?.patient_age ?? null, birthDate: p?.birth_date ?? null, studyDate: p?.study_date ?? null, sex: p?.sex ?? null });
  const n = reads.marksOfRead(ctx.db, row.id).filter((x) => x.origin === 'reader').length + 1;
  const brockInputs = cadBrockInputs(patient, ch.location.zone === 'upper', n);
  const at = new Date().toISOString();
  const base: Finding = {
    id: crypto.randomUUID(), seriesInstanceUID: row.series_uid, source: 'reader', label: `Reader ${n}`,
    centerLPS: ch.centerLPS, boxLPS: ch.boxLPS, diameterMm: null, longAxisMm: null, shortAxisMm: null, volumeMm3: null, meanHU: null, type: null,
    lungRads: null, brock: null, classProbs: null, classModel: null, brockInputs, solidComponentMm: null, score: null, modelId: null, modelVersion: null, runId: null, contours: [],
  };
  const f: Finding = { ...base, ...measuredFields(base, ch) };
  return change(ctx, row, 'reads.add', { findingId: f.id, label: f.label, seedLPS: req.seedLPS }, null, () => {
    reads.insertReaderFinding(ctx.db, row.volume_ref, f);
    const mask = storeMask(ctx, row.volume_ref, ch, at);
    reads.insertMark(ctx.db, { read_ref: row.id, finding_ref: f.id, ord: reads.nextMarkOrd(ctx.db, row.id), origin: 'reader', decision: 'added', reject_reason: null, reject_text: null, edited_json: null, mask_ref: mask, decided_at: at });
    return { centerLPS: f.centerLPS, diameterMm: f.diameterMm, volumeMm3: f.volumeMm3, type: f.type, lungRads: f.lungRads, brock: f.brock };
  });
}

export function setConclusion(ctx: AppContext, req: In<'reads.setConclusion'>): Read {
  const row = openRow(ctx, req.readId);
  const next = { sModifier: req.sModifier, sText: req.sText.trim(), impression: req.impression.trim() };
  return change(ctx, row, 'reads.setConclusion', {}, JSON.parse(row.conclusion_json), () => {
    reads.updateRead(ctx.db, row.id, { conclusion_json: JSON.stringify(next) });
    return next;
  });
}

export function sign(ctx: AppContext, req: In<'reads.sign'>): Read {
  const row = openRow(ctx, req.readId);
  const read = assembleRead(ctx.db, row);
  if (!read.cadVisible) throw new ApiError('conflict', 'Second-reader mode: mark "first read done" and triage the CAD marks before signing');
  const pending = read.marks.filter((m) => m.decision === 'pending');
  if (pending.length) throw new ApiError('conflict', `${pending.length} CAD mark(s) not triaged yet: ${pending.map((m) => m.finding.label).join(', ')}`);
  if (read.conclusion.category === null) throw new ApiError('conflict', `The exam cannot be categorised: ${read.conclusion.reason}`);
  const at = new Date().toISOString();
  const version = row.version + 1;
  const kind = row.state === 'addendum' ? 'addendum' : 'signed';
  const state = kind === 'addendum' ? 'addended' : 'signed';
  return change(ctx, row, kind === 'addendum' ? 'reads.signAddendum' : 'reads.sign', { version }, { state: row.state, version: row.version }, () => {
    reads.updateRead(ctx.db, row.id, { state, signed_at: at, version });
    const snapshot = assembleRead(ctx.db, reads.getReadRow(ctx.db, row.id)!);
    reads.insertVersion(ctx.db, row.id, version, kind, kind === 'addendum' ? reads.lastAddendumReason(ctx.db, row.id) : null, snapshot, at);
    return { state, version, category: snapshot.conclusion.category, accepted: snapshot.marks.filter((m) => m.decision === 'accepted').length, rejected: snapshot.marks.filter((m) => m.decision === 'rejected').length, added: snapshot.marks.filter((m) => m.decision === 'added').length };
  });
}

export function startAddendum(ctx: AppContext, req: In<'reads.startAddendum'>): Read {
  assertWritable(ctx);
  const row = readRow(ctx, req.readId);
  if (row.state !== 'signed' && row.state !== 'addended') throw new ApiError('conflict', `Read ${row.id} is not signed (${row.state}); change it directly`);
  return change(ctx, row, 'reads.startAddendum', { reason: req.reason }, { state: row.state, version: row.version }, () => {
    reads.updateRead(ctx.db, row.id, { state: 'addendum' });
    return { state: 'addendum' };
  });
}

export function readHandlers(ctx: AppContext): Pick<Handlers, 'reader.get' | 'reader.set' | 'settings.get' | 'settings.set' | 'reads.get' | 'reads.layers' | 'reads.start' | 'reads.firstReadDone' | 'reads.accept' | 'reads.reject' | 'reads.edit' | 'reads.add' | 'reads.setConclusion' | 'reads.sign' | 'reads.startAddendum' | 'reads.versions'> {
  return {
    'reader.get': () => currentReader(ctx.db),
    'reader.set': ({ name, role }) => {
      assertWritable(ctx);
      const before = currentReader(ctx.db);
      let created!: ReaderProfile;
      ctx.db.transaction(() => {
        created = insertReader(ctx.db, name, role, new Date().toISOString());
        appendAudit(ctx.db, { action: 'reader.set', reader: who(created), seriesInstanceUID: null, before, after: created });
      })();
      return created;
    },
    'settings.get': () => ({ readingMode: getSetting<ReadingMode>(ctx.db, 'readingMode') ?? DEFAULT_MODE }),
    'settings.set': ({ readingMode }) => {
      assertWritable(ctx);
      const r = reader(ctx);
      const before = getSetting<ReadingMode>(ctx.db, 'readingMode') ?? DEFAULT_MODE;
      ctx.db.transaction(() => {
        putSetting(ctx.db, 'readingMode', readingMode);
        appendAudit(ctx.db, { action: 'settings.set', reader: who(r), seriesInstanceUID: null, before: { readingMode: before }, after: { readingMode } });
      })();
      return { readingMode };
    },
    'reads.get': ({ seriesInstanceUID }) => {
      const row = reads.localReadOfSeries(ctx.db, seriesInstanceUID);
      return row ? assembleRead(ctx.db, row) : null;
    },
    'reads.layers': ({ seriesInstanceUID }) => reads.readsOfSeries(ctx.db, seriesInstanceUID).filter((r) => r.origin !== 'local').map((r) => assembleRead(ctx.db, r)),
    'reads.start': (req) => startRead(ctx, req),
    'reads.firstReadDone': (req) => firstReadDone(ctx, req),
    'reads.accept': (req) => accept(ctx, req),
    'reads.reject': (req) => reject(ctx, req),
    'reads.edit': (req) => edit(ctx, req),
    'reads.add': (req) => addNodule(ctx, req),
    'reads.setConclusion': (req) => setConclusion(ctx, req),
    'reads.sign': (req) => sign(ctx, req),
    'reads.startAddendum': (req) => startAddendum(ctx, req),
    'reads.versions': ({ readId }) => {
      readRow(ctx, readId);
      return reads.versionsOfRead(ctx.db, readId).map((v) => ({ version: v.version, kind: v.kind, reason: v.reason, signedAt: v.signed_at, read: JSON.parse(v.snapshot_json) as Read }));
    },
  };
}
