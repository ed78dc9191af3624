// The CAD runs of a series (latest first) and the installed models; the latest completed run's stored operating
// point is the default display filter and the threshold the exam category and Brock count are computed at.
import { useCallback, useEffect, useState } from 'react';
import { CAD_DEFAULT_OPERATING_POINT, type CadRunSummary, type ModelList } from '../../src-main/shared/cadTypes';
import { api } from '../api/client';

/** What a run recorded before runs stored their operating point: the app's fixed default then. */
export const LEGACY_OPERATING_POINT = CAD_DEFAULT_OPERATING_POINT;

export interface CadRuns {
  runs: CadRunSummary[];
  models: ModelList | null;
  latestDone: CadRunSummary | null;
  /** The latest completed run's stored operating point (score threshold). */
  operatingPoint: number;
  error: string | null;
  refresh(): Promise<void>;
}

export function runOperatingPoint(run: CadRunSummary | null): number {
  const v = run?.params.operatingPoint;
  return typeof v === 'number' && v >= 0 && v <= 1 ? v : LEGACY_OPERATING_POINT;
}

export function useCadRuns(seriesInstanceUID: string): CadRuns {
  const [runs, setRuns] = useState<CadRunSummary[]>([]);
  const [models, setModels] = useState<ModelList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    try {
      const [m, r] = await Promise.all([api().call('models.list', {}), api().call('cad.runs', { seriesInstanceUID })]);
      setModels(m);
      setRuns(r);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [seriesInstanceUID]);
  useEffect(() => void refresh(), [refresh]);
  const latestDone = runs.find((r) => r.state === 'done') ?? null;
  return { runs, models, latestDone, operatingPoint: runOperatingPoint(latestDone), error, refresh };
}
