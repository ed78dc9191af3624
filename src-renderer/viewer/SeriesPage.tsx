// The series page: opens the case, fetches the volume once (with progress), checks what the GPU can hold, and
// hands one HU volume to the viewer. Deep link: #/series/<SeriesInstanceUID>[/<volumeId>].
import { useEffect, useState } from 'react';
import type { HuVolume } from '../../src-main/shared/geometry';
import type { CaseDetail, Finding, Measurement } from '../../src-main/shared/types';
import { api } from '../api/client';
import { formatBytes } from '../ui/format';
import { prepareVolume } from './prepareVolume';
import { Viewer } from './Viewer';

interface Loaded {
  detail: CaseDetail;
  volume: HuVolume;
  findings: Finding[];
  measurements: Measurement[];
  notice: string | null;
  downsampled: boolean;
}

export function SeriesPage({ seriesInstanceUID, volumeId }: { seriesInstanceUID: string; volumeId?: string }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [progress, setProgress] = useState<{ loaded: number; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    setLoaded(null);
    setError(null);
    setProgress(null);
    (async () => {
      const d = await api().call('cases.open', { seriesInstanceUID, volumeId });
      if (cancelled) return;
      setDetail(d);
      if (!d.volume) throw new Error('This series has no volume to display (it was not assembled at import; see its warnings in the worklist).');
      const info = d.volume;
      const [findings, measurements, bytes] = await Promise.all([
        api().call('findings.list', { seriesInstanceUID }),
        api().call('measurements.list', { seriesInstanceUID }),
        api().fetchBytes(info.url, (l, t) => !cancelled && setProgress({ loaded: l, total: t })),
      ]);
      if (cancelled) return;
      if (bytes.byteLength !== info.byteLength) throw new Error(`The volume ${info.volumeId} arrived with ${bytes.byteLength} bytes, expected ${info.byteLength}`);
      const prepared = prepareVolume({ voxels: new Int16Array(bytes), geometry: info.geometry });
      setLoaded({ detail: d, volume: prepared.volume, findings, measurements, notice: prepared.notice, downsampled: prepared.downsampled });
    })().catch((err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
  }, [seriesInstanceUID, volumeId]);

  const title = detail ? `${detail.patient.patientName || detail.patient.patientId} — ${detail.series.description ?? detail.series.seriesInstanceUID}` : 'Opening series…';
  return (
    <main className="series-page" data-testid="series-page">
      <div className="series-head">
        <h2>{title}</h2>
        {detail?.volume && (
          <span className="muted">
            {detail.volume.geometry.dims.join(' × ')} voxels, spacing {detail.volume.geometry.spacing.map((s) => s.toFixed(2)).join(' × ')} mm
          </span>
        )}
        {detail?.series.warnings.map((w) => (
          <span key={w.code + w.message} className="warn" title={w.message}>
            ⚠ {w.code}
          </span>
        ))}
      </div>
      {error && <p className="error" data-testid="viewer-error">{error}</p>}
      {!error && !loaded && (
        <div className="load-progress" data-testid="load-progress">
          <progress max={progress?.total || 1} value={progress?.loaded ?? 0} />
          <span className="muted">{progress ? `${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}` : 'Opening…'}</span>
        </div>
      )}
      {loaded && loaded.detail.volume && (
        <Viewer
          key={loaded.detail.volume.volumeId}
          volume={loaded.volume}
          volumeId={loaded.detail.volume.volumeId}
          seriesInstanceUID={seriesInstanceUID}
          findings={loaded.findings}
          measurements={loaded.measurements}
          onMeasurementsChange={(measurements) => setLoaded((l) => (l ? { ...l, measurements } : l))}
          notice={loaded.notice}
          downsampled={loaded.downsampled}
        />
      )}
    </main>
  );
}
