// Exam Lung-RADS from the findings that count, 4X, failed segmentations, PatientAge, and the reader's Brock
// inputs carried to a new run.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src-main/shared/types';
import { examCategory, findingsAtOperatingPoint } from '../../../src-main/cad/examCategory';
import { lungRadsNodule } from '../../../src-main/cad/lungRads';
import { ageFromDicomAge, brockFromInputs, cadBrockInputs, carryReaderBrockInputs, patientFacts } from '../../../src-main/cad/brockInputs';
import { brockProbability } from '../../../src-main/cad/brock';

function finding(p: Partial<Finding> & { id: string }): Finding {
  return {
    seriesInstanceUID: '1.2', source: 'cad', label: p.id, centerLPS: [0, 0, 0], boxLPS: { min: [0, 0, 0], max: [0, 0, 0] }, diameterMm: 10, longAxisMm: null, shortAxisMm: null,
    volumeMm3: null, meanHU: null, type: 'solid', lungRads: null, brock: null, classProbs: null, score: 0.9, modelId: null, modelVersion: null, runId: 'r', contours: [],
    brockInputs: cadBrockInputs({ ageYears: 70, sex: 'M' }, true, 1), ...p,
  };
}

describe('examCategory', () => {
  it('takes the most suspicious of the findings it is given, and only those', () => {
    const fs = [finding({ id: 'a', diameterMm: 22, score: 0.95 }), finding({ id: 'b', diameterMm: 5, score: 0.3 })];
    expect(examCategory(findingsAtOperatingPoint(fs, 0.5))).toMatchObject({ category: '4B', noduleCount: 1 });
    expect(examCategory(findingsAtOperatingPoint(fs, 0.99))).toMatchObject({ category: '1', noduleCount: 0 });
  });
  it('gives no category when a counted finding is a failed segmentation, and says why', () => {
    const e = examCategory([finding({ id: 'tiny', diameterMm: 0.3, measurementNote: 'Segmentation failed: measured diameter 0.3 mm is below the voxel size (0.70 mm)' })]);
    expect(e.category).toBeNull();
    expect(e.reason).toMatch(/Segmentation failed/);
  });
  it('is 4X when the reader marked spiculation on a category 3/4 nodule, never from CAD assumptions', () => {
    const base = finding({ id: 's', diameterMm: 9 });
    expect(examCategory([base]).category).toBe('4A');
    const spic = { ...base, brockInputs: { ...base.brockInputs!, spiculation: true, origin: { ...base.brockInputs!.origin, spiculation: 'reader' as const } } };
    expect(examCategory([spic]).category).toBe('4X');
    expect(lungRadsNodule({ type: 'solid', diameterMm: 4, additionalFeatures: 'spiculation' }).category).toBe('2');
  });
});

describe('patient facts for Brock', () => {
  it('reads PatientAge (AS) first, then birth date vs study date', () => {
    expect(ageFromDicomAge('077Y')).toBe(77);
    expect(ageFromDicomAge('018M')).toBe(1);
    expect(ageFromDicomAge('77')).toBeNull();
    expect(patientFacts({ patientAge: '077Y', birthDate: null, studyDate: null, sex: 'M' })).toEqual({ ageYears: 77, sex: 'M' });
    expect(patientFacts({ patientAge: null, birthDate: '19500315', studyDate: '20200101', sex: 'F' })).toEqual({ ageYears: 69, sex: 'F' });
    expect(patientFacts({ patientAge: null, birthDate: null, studyDate: '20200101', sex: 'O' })).toEqual({ ageYears: null, sex: null });
  });
});

describe('carryReaderBrockInputs', () => {
  it('moves reader inputs to the nearest new finding within 5 mm and recomputes Brock; reports the rest', () => {
    const edited = finding({ id: 'old1', centerLPS: [10, 10, 10], brockInputs: { ...cadBrockInputs({ ageYears: 70, sex: 'M' }, true, 1), familyHistory: true, noduleCount: 3, origin: { familyHistory: 'reader', emphysema: 'assumed', spiculation: 'assumed', upperLobe: 'cad', noduleCount: 'reader' }, enteredAt: '2026-01-01T00:00:00Z' } });
    const lost = finding({ id: 'old2', centerLPS: [90, 90, 90], brockInputs: { ...edited.brockInputs!, enteredAt: '2026-01-01T00:00:00Z' } });
    const untouched = finding({ id: 'old3', centerLPS: [50, 50, 50] });
    const next = [finding({ id: 'n1', centerLPS: [11, 12, 10], diameterMm: 12 }), finding({ id: 'n2', centerLPS: [50, 50, 51] })];
    const r = carryReaderBrockInputs([edited, lost, untouched], next);
    expect(r.unmatched.map((f) => f.id)).toEqual(['old2']);
    const n1 = r.findings.find((f) => f.id === 'n1')!;
    expect(n1.brockInputs).toMatchObject({ familyHistory: true, noduleCount: 3, enteredAt: '2026-01-01T00:00:00Z' });
    expect(n1.brock).toBeCloseTo(brockProbability({ ageYears: 70, sex: 'male', familyHistoryLungCancer: true, emphysema: false, sizeMm: 12, type: 'solid', upperLobe: true, noduleCount: 3, spiculation: false }), 12);
    expect(r.findings.find((f) => f.id === 'n2')!.brockInputs!.enteredAt).toBeNull();
    expect(brockFromInputs(n1.brockInputs!, null, 'solid')).toBeNull();
  });
});
