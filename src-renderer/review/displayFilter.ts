// The findings the viewer shows: reader and reference findings, and CAD findings at or above the case's display
// filter (by default the CAD run's stored operating point), so the lists and the overlay show the same ones.
import { useMemo } from 'react';
import type { Finding } from '../../src-main/shared/types';
import { useReviewStore } from './reviewStore';

export function passesDisplayFilter(f: Finding, minScore: number): boolean {
  return f.source !== 'cad' || f.score === null || f.score >= minScore;
}

/** The display filter of this series: the reader's setting, else `defaultMinScore` (the run's operating point). */
export function useDisplayFilter(seriesInstanceUID: string, defaultMinScore: number): [number, (t: number) => void] {
  const stored = useReviewStore((s) => s.displayFilter[seriesInstanceUID]);
  const set = useReviewStore((s) => s.setDisplayFilter);
  return [stored ?? defaultMinScore, (t: number) => set(seriesInstanceUID, t)];
}

/** The findings passing the display filter (all non-CAD findings pass). */
export function useVisibleFindings(all: Finding[], minScore: number): Finding[] {
  return useMemo(() => all.filter((f) => passesDisplayFilter(f, minScore)), [all, minScore]);
}
