// Worklist queries on a real SQLite file: search by name/ID/accession, modality and date filters, sort, paging.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/store/db';
import { getSeries, listStudies } from '../../../src-main/store/cases';
import { upsertPatient, upsertStudy } from '../../../src-main/store/patients';
import { upsertSeries } from '../../../src-main/store/series';
import { schemas } from '../../../src-main/shared/api';

let dir: string;
let db: Db;
const q = (args: object) => listStudies(db, schemas['cases.list'].parse(args));

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pulmo-cases-'));
  db = openDatabase(path.join(dir, 'pulmo.sqlite')).db;
  const rows: [string, string, string, string, string, string][] = [
    ['P001', 'DOE^JANE', '20240105', 'CT CHEST LOW DOSE', 'ACC100', 'CT'],
    ['P002', 'ROE^RICHARD', '20230611', 'CT THORAX', 'ACC200', 'CT'],
    ['P003', 'MUSTER^100%_X', '20250220', 'PET/CT', 'ACC300', 'PT'],
  ];
  // The product's own write functions (as an import commits), with fixed import times so the order is known.
  rows.forEach(([id, name, date, desc, acc, mod], i) => {
    const p = upsertPatient(db, { patientId: id, patientName: name, birthDate: '19600101', sex: 'F' });
    const s = upsertStudy(db, p, { studyInstanceUID: `1.2.826.0.1.${i}`, studyDate: date, studyTime: null, description: desc, accessionNumber: acc }, `2026-11-0${i + 1}T00:00:00Z`);
    const series = (uid: string, modality: string, seriesNumber: number, description: string, sliceThickness: number | null) =>
      upsertSeries(db, s, { seriesInstanceUID: uid, partKey: '', modality, seriesNumber, description, bodyPart: null, sliceThickness, isLocalizer: false, warnings: [] }, 'now');
    series(`1.2.826.0.1.${i}.1`, mod, 2, 'axial 1.25', 1.25);
    series(`1.2.826.0.1.${i}.2`, 'CT', 1, 'scout', null);
  });
});
afterAll(() => {
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('cases.list', () => {
  it('lists studies newest import first with their series ordered by number', () => {
    const r = q({});
    expect(r.total).toBe(3);
    expect(r.studies.map((s) => s.patient.patientId)).toEqual(['P003', 'P002', 'P001']);
    expect(r.studies[0].series.map((s) => s.seriesNumber)).toEqual([1, 2]);
  });
  it('searches name, ID, accession and description, case-insensitively', () => {
    expect(q({ text: 'doe' }).studies.map((s) => s.patient.patientId)).toEqual(['P001']);
    expect(q({ text: 'P002' }).total).toBe(1);
    expect(q({ text: 'acc300' }).studies[0].patient.patientId).toBe('P003');
    expect(q({ text: 'thorax' }).studies[0].patient.patientId).toBe('P002');
  });
  it('treats % and _ in the search text literally', () => {
    expect(q({ text: '100%_' }).studies.map((s) => s.patient.patientId)).toEqual(['P003']);
    expect(q({ text: '%' }).total).toBe(1);
  });
  it('filters by modality and study date range', () => {
    expect(q({ modality: 'PT' }).studies.map((s) => s.patient.patientId)).toEqual(['P003']);
    expect(q({ dateFrom: '20240101' }).total).toBe(2);
    expect(q({ dateFrom: '20230101', dateTo: '20231231' }).studies[0].patient.patientId).toBe('P002');
  });
  it('sorts and paginates', () => {
    const byName = q({ sort: 'patientName', order: 'asc' });
    expect(byName.studies.map((s) => s.patient.patientName)).toEqual(['DOE^JANE', 'MUSTER^100%_X', 'ROE^RICHARD']);
    const page2 = q({ sort: 'studyDate', order: 'asc', limit: 2, offset: 2 });
    expect(page2.total).toBe(3);
    expect(page2.offset).toBe(2);
    expect(page2.studies.map((s) => s.study.studyDate)).toEqual(['20250220']);
  });
  it('opens one series with patient and study, without a volume when none is cached', () => {
    const d = getSeries(db, '1.2.826.0.1.0.1');
    expect(d?.patient.patientName).toBe('DOE^JANE');
    expect(d?.series.modality).toBe('CT');
    expect(d?.volume).toBeNull();
    expect(getSeries(db, '9.9.9')).toBeNull();
  });
});
