// Brock in one place: the patient facts a run knows (age from PatientAge, else birth date vs study date; sex),
// the inputs recorded with each finding, the probability computed from those recorded inputs only (brock.ts
// holds the published model), and the reader's inputs carried over to a new CAD run of the same series.
// The CAD run records what it assumed (family history, emphysema, spiculation absent; lobe and nodule count
// from its own output); the reader may later replace those, and the probability is recomputed.
import type { BrockInputs, Finding, NoduleType } from '../shared/types';
import type { Vec3 } from '../shared/geometry';
import { brockProbability } from './brock';

export interface PatientFacts {
  ageYears: number | null;
  sex: 'M' | 'F' | null;
}

/** Age in whole years from DICOM AS (PatientAge, '077Y', '030M', '012W', '100D'), or null when absent or invalid. */
export function ageFromDicomAge(as: string | null | undefined): number | null {
  const m = /^(\d{3})([DWMY])$/.exec((as ?? '').trim());
  if (!m) return null;
  const n = Number(m[1]);
  const years = m[2] === 'Y' ? n : m[2] === 'M' ? Math.floor(n / 12) : m[2] === 'W' ? Math.floor((n * 7) / 365.25) : Math.floor(n / 365.25);
  return years < 130 ? years : null;
}

/** Age in whole years at the study date (DICOM DA strings), or null when either is unknown. */
export function ageAt(birthDate: string | null, studyDate: string | null): number | null {
  if (!birthDate || !studyDate || !/^\d{8}$/.test(birthDate) || !/^\d{8}$/.test(studyDate)) return null;
  const b = [+birthDate.slice(0, 4), +birthDate.slice(4, 6), +birthDate.slice(6, 8)];
  const s = [+studyDate.slice(0, 4), +studyDate.slice(4, 6), +studyDate.slice(6, 8)];
  let age = s[0] - b[0];
  if (s[1] < b[1] || (s[1] === b[1] && s[2] < b[2])) age--;
  return age >= 0 && age < 130 ? age : null;
}

export function sexOf(dicomSex: string | null): 'M' | 'F' | null {
  return dicomSex === 'M' || dicomSex === 'F' ? dicomSex : null;
}

/** What DICOM says about the patient at this study: PatientAge first, then birth date vs study date. */
export function patientFacts(p: { patientAge: string | null; birthDate: string | null; studyDate: string | null; sex: string | null }): PatientFacts {
  return { ageYears: ageFromDicomAge(p.patientAge) ?? ageAt(p.birthDate, p.studyDate), sex: sexOf(p.sex) };
}

/** The inputs a CAD run uses: DICOM age/sex, the detector's lobe zone and the nodule count, the rest absent. */
export function cadBrockInputs(patient: PatientFacts, upperLobe: boolean | null, noduleCount: number): BrockInputs {
  return {
    ageYears: patient.ageYears,
    sex: patient.sex,
    familyHistory: false,
    emphysema: false,
    spiculation: false,
    upperLobe,
    noduleCount: Math.max(1, noduleCount),
    origin: { familyHistory: 'assumed', emphysema: 'assumed', spiculation: 'assumed', upperLobe: 'cad', noduleCount: 'cad', ageYears: 'dicom', sex: 'dicom' },
    enteredAt: null,
  };
}

/**
 * Brock probability (0..1) from recorded inputs and the nodule's measured size and type; null when age, sex or
 * the lobe is unknown, or the nodule has no measured size: never a probability from a guessed input.
 */
export function brockFromInputs(inputs: BrockInputs, diameterMm: number | null, type: NoduleType | null): number | null {
  if (inputs.ageYears === null || inputs.sex === null || inputs.upperLobe === null) return null;
  if (diameterMm === null || !(diameterMm > 0) || type === null) return null;
  return brockProbability({
    ageYears: inputs.ageYears,
    sex: inputs.sex === 'F' ? 'female' : 'male',
    familyHistoryLungCancer: inputs.familyHistory,
    emphysema: inputs.emphysema,
    sizeMm: Math.min(100, diameterMm),
    type,
    upperLobe: inputs.upperLobe,
    noduleCount: Math.max(1, inputs.noduleCount),
    spiculation: inputs.spiculation,
  });
}

/** Findings whose centres are within this distance (mm), or inside each other's radius, are the same nodule. */
export const SAME_NODULE_MM = 5;

const dist = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/**
 * A new CAD run replaces the findings of the last one: the reader's Brock inputs on a previous finding are
 * carried to the new finding at the same place (nearest centre within max(5 mm, its radius)), and its Brock
 * recomputed from them. Returns the new findings and the previous findings whose reader inputs found no match
 * (the caller reports those: never lost silently).
 */
export function carryReaderBrockInputs(previous: Finding[], next: Finding[]): { findings: Finding[]; unmatched: Finding[] } {
  const edited = previous.filter((f) => f.brockInputs?.enteredAt);
  const taken = new Set<string>();
  const unmatched: Finding[] = [];
  const out = next.map((f) => ({ ...f }));
  for (const old of edited) {
    const reach = Math.max(SAME_NODULE_MM, (old.diameterMm ?? 0) / 2);
    let best: { i: number; d: number } | null = null;
    out.forEach((f, i) => {
      const d = dist(f.centerLPS, old.centerLPS);
      if (!taken.has(f.id) && f.brockInputs && d <= reach && (!best || d < best.d)) best = { i, d };
    });
    if (!best) {
      unmatched.push(old);
      continue;
    }
    const target = out[(best as { i: number }).i];
    taken.add(target.id);
    const was = old.brockInputs!;
    const now = target.brockInputs!;
    const o = was.origin;
    const inputs: BrockInputs = {
      ...now,
      familyHistory: o.familyHistory === 'reader' ? was.familyHistory : now.familyHistory,
      emphysema: o.emphysema === 'reader' ? was.emphysema : now.emphysema,
      spiculation: o.spiculation === 'reader' ? was.spiculation : now.spiculation,
      upperLobe: o.upperLobe === 'reader' ? was.upperLobe : now.upperLobe,
      noduleCount: o.noduleCount === 'reader' ? was.noduleCount : now.noduleCount,
      ageYears: o.ageYears === 'reader' ? was.ageYears : now.ageYears,
      sex: o.sex === 'reader' ? was.sex : now.sex,
      origin: {
        ...now.origin,
        ...Object.fromEntries(Object.entries(o).filter(([, v]) => v === 'reader')),
      } as BrockInputs['origin'],
      enteredAt: was.enteredAt,
    };
    out[(best as { i: number }).i] = { ...target, brockInputs: inputs, brock: brockFromInputs(inputs, target.diameterMm, target.type) };
  }
  return { findings: out, unmatched };
}
