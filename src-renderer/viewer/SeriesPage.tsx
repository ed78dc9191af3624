// The series page: loads the series once (useSeriesData: case, volume with progress, findings, measurements)
// and hands it to the viewer. Deep link: #/series/<SeriesInstanceUID>[/<volumeId>].
import { formatBytes } from '../ui/format';
import { useSeriesData } from './useSeriesData';
import { Viewer } from './Viewer';

export function SeriesPage({ seriesInstanceUID, volumeId }: { seriesInstanceUID: string; volumeId?: string }) {
  const { data, detail, progress, error } = useSeriesData(seriesInstanceUID, volumeId);
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
      {!error && !data && (
        <div className="load-progress" data-testid="load-progress">
          <progress max={progress?.total || 1} value={progress?.loaded ?? 0} />
          <span className="muted">{progress ? `${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}` : 'Opening…'}</span>
        </div>
      )}
      {data && <Viewer key={data.detail.volume.volumeId} data={data} />}
    </main>
  );
}
