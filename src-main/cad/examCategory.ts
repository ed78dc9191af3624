// The exam-level Lung-RADS category from the findings that count: the caller decides which those are (before
// review: the CAD run's findings at its stored operating point; after review: the reader's accepted findings),
// never a display filter. Pure: no database, so the review workflow can feed it accepted findings.
import type { Finding } from '../shared/types';
import { lungRadsExam, type LungRadsNoduleInput } from './lungRads';

export interface ExamCategory {
  /** null when a counted finding cannot be categorised (no size/type, or a failed segmentation). */
  category: string | null;
  reason: string;
  noduleCount: number;
}

/** Findings scoring at or above the operating point (unscored ones count: a reader's own findings). */
export function findingsAtOperatingPoint(findings: Finding[], operatingPoint: number): Finding[] {
  return findings.filter((f) => f.score === null || f.score >= operatingPoint);
}

export function examCategory(counted: Finding[]): ExamCategory {
  const nodules: LungRadsNoduleInput[] = [];
  for (const f of counted) {
    if (f.measurementNote) return { category: null, reason: `${f.label}: ${f.measurementNote}; categorise the exam by hand`, noduleCount: counted.length };
    // A candidate the run could not measure has no size: it cannot be categorised, and says so.
    if (f.type === null || f.diameterMm === null) {
      return { category: null, reason: `${f.label} has no measured size and type; categorise the exam by hand`, noduleCount: counted.length };
    }
    const spiculated = f.brockInputs?.origin.spiculation === 'reader' && f.brockInputs.spiculation;
    nodules.push({ type: f.type, diameterMm: f.diameterMm, solidComponentMm: f.solidComponentMm ?? null, status: 'baseline', additionalFeatures: spiculated ? 'spiculation (reader)' : null });
  }
  try {
    const r = lungRadsExam(nodules);
    return { category: r.category, reason: r.reason, noduleCount: counted.length };
  } catch (err) {
    return { category: null, reason: (err as Error).message, noduleCount: counted.length };
  }
}
