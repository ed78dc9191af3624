// Everything the series page shows about one series, loaded once: the case (patient, study, series — one
// `cases.open`), the HU volume, and the findings and measurements, which this hook owns: the viewer, the CAD
// panel and the overlay read them from here and change them through the functions it returns.
import { useCallback, useEffect, useState } from 'react';
import type { HuVolume, Vec3 } from '../../src-main/shared/geometry';
import type { CaseDetail, Finding, Measurement } from '../../src-main/shared/types';
import { api } from '../api/client';
import { prepareVolume } from './prepareVolume';

export interface SeriesData {
  detail: CaseDetail & { volume: NonNullable<CaseDetail['volume']> };
  volume: HuVolume;
  /** Why the volume shown is a reduced copy, or null. */
  notice: string | null;
  /** The volume is a reduced copy: HU under the cursor are block averages. */
  downsampled: boolean;
  findings: Finding[];
  measurements: Measurement[];
  /** Reloads the findings (after a CAD run). */
  reloadFindings(): Promise<void>;
  /** Puts an edited finding (e.g. new Brock inputs) in place of the stored one. */
  replaceFinding(f: Finding): void;
  addLengthMeasurement(points: [Vec3, Vec3]): Promise<void>;
  deleteMeasurement(m: Measurement): Promise<void>;
}

export interface SeriesLoad {
  data: SeriesData | null;
  /** The case header as soon as it is known (the title shows while the volume downloads). */
  detail: CaseDetail | null;
  progress: { loaded: number; total: number } | null;
  error: string | null;
}

export function useSeriesData(seriesInstanceUID: string, volumeId?: string): SeriesLoad {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [loaded, setLoaded] = useState<{ volume: HuVolume; notice: string | null; downsampled: boolean } | null>(null);
  const [findings, setFindings] = useState<Finding[]>([]);
  const [measurements, setMeasurements] = useState<Measurement[]>([]);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLoaded(null);
    setDetail(null);
    setError(null);
    setProgress(null);
    (async () => {
      const d = await api().call('cases.open', { seriesInstanceUID, volumeId });
      if (cancelled) return;
      setDetail(d);
      if (!d.volume) throw new Error('This series has no volume to display (it was not assembled at import; see its warnings in the worklist).');
      const info = d.volume;
      const [fs, ms, bytes] = await Promise.all([
        api().call('findings.list', { seriesInstanceUID }),
        api().call('measurements.list', { seriesInstanceUID }),
        api().fetchBytes(info.url, (l, t) => !cancelled && setProgress({ loaded: l, total: t })),
      ]);
      if (cancelled) return;
      if (bytes.byteLength !== info.byteLength) throw new Error(`The volume ${info.volumeId} arrived with ${bytes.byteLength} bytes, expected ${info.byteLength}`);
      const prepared = prepareVolume({ voxels: new Int16Array(bytes), geometry: info.geometry });
      setFindings(fs);
      setMeasurements(ms);
      setLoaded(prepared);
    })().catch((err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
  }, [seriesInstanceUID, volumeId]);

  const reloadFindings = useCallback(async () => setFindings(await api().call('findings.list', { seriesInstanceUID })), [seriesInstanceUID]);
  const replaceFinding = useCallback((f: Finding) => setFindings((all) => all.map((x) => (x.id === f.id ? f : x))), []);
  const addLengthMeasurement = useCallback(
    async (points: [Vec3, Vec3]) => {
      const m = await api().call('measurements.add', { seriesInstanceUID, kind: 'length', pointsLPS: points });
      setMeasurements((all) => [...all, m]);
    },
    [seriesInstanceUID],
  );
  const deleteMeasurement = useCallback(async (m: Measurement) => {
    await api().call('measurements.delete', { id: m.id });
    setMeasurements((all) => all.filter((x) => x.id !== m.id));
  }, []);

  const data: SeriesData | null =
    detail?.volume && loaded
      ? { detail: detail as SeriesData['detail'], ...loaded, findings, measurements, reloadFindings, replaceFinding, addLengthMeasurement, deleteMeasurement }
      : null;
  return { data, detail, progress, error };
}
