// Brock inputs recorded with each finding, and Brock recomputed from them. The CAD run records what it assumed
// (family history, emphysema, spiculation absent; lobe and nodule count from its own output); the reader may
// later replace those, and the probability is recomputed from the same published model (brock.ts).
import type { BrockInputs, NoduleType } from '../shared/types';
import { brockProbability } from './brock';

/** What Brock needs to know of the patient, from DICOM (null = unknown, never guessed). */
export interface PatientFacts {
  ageYears: number | null;
  sex: 'M' | 'F' | null;
}

/** The inputs a CAD run uses: DICOM age/sex, the detector's lobe zone and candidate count, the rest absent. */
export function cadBrockInputs(patient: PatientFacts, upperLobe: boolean | null, noduleCount: number): BrockInputs {
  return {
    ageYears: patient.ageYears,
    sex: patient.sex,
    familyHistory: false,
    emphysema: false,
    spiculation: false,
    upperLobe,
    noduleCount: Math.max(1, noduleCount),
    origin: { familyHistory: 'assumed', emphysema: 'assumed', spiculation: 'assumed', upperLobe: 'cad', noduleCount: 'cad' },
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
