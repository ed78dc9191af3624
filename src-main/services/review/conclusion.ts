// Exam conclusion of a read: Lung-RADS v2022 exam category from the nodules that count (accepted CAD marks and
// reader-added nodules — never a display filter), the v2022 management text, and the reader's S modifier and
// impression. Pure.
import { lungRadsExam, lungRadsNodule, type LungRadsNoduleInput } from '../../cad/lungRads';
import type { Finding } from '../../shared/types';
import type { ExamConclusion } from '../../shared/readTypes';

/** Lung-RADS v2022 management per exam category (ACR Lung-RADS v2022 summary table). */
export const LUNG_RADS_MANAGEMENT: Record<string, string> = {
  '0': 'Additional lung cancer screening CT images and/or comparison to prior chest CT examinations is needed.',
  '1': 'Continue annual screening with LDCT in 12 months.',
  '2': 'Continue annual screening with LDCT in 12 months.',
  '3': '6-month LDCT.',
  '4A': '3-month LDCT; PET/CT may be considered if there is a >= 8 mm solid nodule or solid component.',
  '4B': 'Referral for further clinical evaluation: diagnostic chest CT with or without contrast, PET/CT if there is a >= 8 mm solid nodule or solid component, tissue sampling, as appropriate.',
  '4X': 'Referral for further clinical evaluation: diagnostic chest CT with or without contrast, PET/CT if there is a >= 8 mm solid nodule or solid component, tissue sampling, as appropriate.',
};

export interface ReaderConclusionInput {
  sModifier?: boolean;
  sText?: string;
  impression?: string;
}

function noduleInput(f: Finding): LungRadsNoduleInput {
  if (f.type === null || f.diameterMm === null) throw new Error(`${f.label} has no measured size and type; measure or edit it before the exam can be categorised`);
  return { type: f.type, diameterMm: f.diameterMm, solidComponentMm: f.solidComponentMm ?? null, status: 'baseline' };
}

/** Per-nodule category of a (possibly edited) finding; null with the reason when it cannot be computed. */
export function noduleCategory(f: Finding): { category: string | null; reason: string } {
  try {
    return lungRadsNodule(noduleInput(f));
  } catch (err) {
    return { category: null, reason: (err as Error).message };
  }
}

export function examConclusion(counted: Finding[], reader: ReaderConclusionInput): ExamConclusion {
  const base = { sModifier: reader.sModifier ?? false, sText: reader.sText ?? '', impression: reader.impression ?? '', noduleCount: counted.length };
  try {
    const r = lungRadsExam(counted.map(noduleInput));
    return { ...base, category: r.category, reason: r.reason, recommendation: LUNG_RADS_MANAGEMENT[r.category] };
  } catch (err) {
    return { ...base, category: null, reason: (err as Error).message, recommendation: '' };
  }
}

/** How the category is printed: "4A" or "4A S" with the S modifier. */
export function categoryText(c: ExamConclusion): string {
  return c.category === null ? 'not categorised' : `${c.category}${c.sModifier ? ' S' : ''}`;
}
