// The series page: case header and the viewer. (The vtk.js viewer lands with the viewer work.)
import { useEffect, useState } from 'react';
import type { CaseDetail } from '../../src-main/shared/types';
import { api } from '../api/client';

export function SeriesPage({ seriesInstanceUID, volumeId }: { seriesInstanceUID: string; volumeId?: string }) {
  const [detail, setDetail] = useState<CaseDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api()
      .call('cases.open', { seriesInstanceUID, volumeId })
      .then(setDetail, (err: Error) => setError(err.message));
  }, [seriesInstanceUID, volumeId]);
  if (error) return <main className="page"><p className="error">{error}</p></main>;
  if (!detail) return <main className="page"><p className="muted">Loading…</p></main>;
  return (
    <main className="page" data-testid="series-page">
      <h2>
        {detail.patient.patientName} — {detail.series.description ?? detail.series.seriesInstanceUID}
      </h2>
    </main>
  );
}
