// The viewer's findings as the review sees them: reloaded after a CAD run or a reader edit, and filtered at the
// operating point so the lists and the overlay show the same CAD findings.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Finding } from '../../src-main/shared/types';
import { api } from '../api/client';
import { useReviewStore } from './reviewStore';

export interface CadFindings {
  /** Every current finding of the series (all sources, latest CAD run). */
  all: Finding[];
  /** What the viewer shows: reader and reference findings, and CAD findings scoring at or above the threshold. */
  visible: Finding[];
  threshold: number;
  reload(): Promise<void>;
  replace(f: Finding): void;
}

export function passesThreshold(f: Finding, threshold: number): boolean {
  return f.source !== 'cad' || f.score === null || f.score >= threshold;
}

export function useCadFindings(seriesInstanceUID: string, initial: Finding[]): CadFindings {
  const [all, setAll] = useState(initial);
  useEffect(() => setAll(initial), [initial]);
  const threshold = useReviewStore((s) => s.threshold);
  const visible = useMemo(() => all.filter((f) => passesThreshold(f, threshold)), [all, threshold]);
  const reload = useCallback(async () => setAll(await api().call('findings.list', { seriesInstanceUID })), [seriesInstanceUID]);
  const replace = useCallback((f: Finding) => setAll((a) => a.map((x) => (x.id === f.id ? f : x))), []);
  return { all, visible, threshold, reload, replace };
}
