// Studies with their series: counts, dates, description, slice count, thickness, warnings.
import type { StudyRow } from '../../src-main/shared/types';
import { formatDicomDate } from '../ui/format';

const STATUS_TEXT = { new: 'new', 'cad-done': 'CAD done', 'in-review': 'in review', signed: 'signed', addended: 'addended' } as const;

export type SortKey = 'studyDate' | 'patientName' | 'patientId' | 'importedAt';

interface Props {
  studies: StudyRow[];
  sort: { key: SortKey; order: 'asc' | 'desc' };
  onSort: (key: SortKey) => void;
  onOpen: (seriesInstanceUID: string, volumeId?: string) => void;
}

export function StudyTable({ studies, sort, onSort, onOpen }: Props) {
  const head = (key: SortKey, label: string) => (
    <th className="sortable" onClick={() => onSort(key)} aria-sort={sort.key === key ? (sort.order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      {label}
      {sort.key === key ? (sort.order === 'asc' ? ' ▲' : ' ▼') : ''}
    </th>
  );
  return (
    <table className="studies" data-testid="study-table">
      <thead>
        <tr>
          {head('patientName', 'Patient')}
          {head('patientId', 'ID')}
          {head('studyDate', 'Study date')}
          <th>Study</th>
          <th>Series</th>
          <th>Mod.</th>
          <th>Slices</th>
          <th>Thickness</th>
          <th title="Review status: new, CAD done, in review, signed, addended">Status</th>
          <th title="CAD marks at the read's operating point (default score >= 0.5)">CAD</th>
          <th title="Exam Lung-RADS v2022 of the read (signed version when signed)">Lung-RADS</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {studies.flatMap((st) =>
          st.series.map((se, i) => (
            <tr
              key={`${se.seriesInstanceUID}-${se.volumeId ?? i}`}
              className={se.volumeId ? 'openable' : 'inert'}
              data-series-uid={se.seriesInstanceUID}
              onDoubleClick={() => se.volumeId && onOpen(se.seriesInstanceUID, se.volumeId)}
            >
              {i === 0 ? (
                <>
                  <td rowSpan={st.series.length}>{st.patient.patientName || '—'}</td>
                  <td rowSpan={st.series.length}>{st.patient.patientId}</td>
                  <td rowSpan={st.series.length}>{formatDicomDate(st.study.studyDate)}</td>
                  <td rowSpan={st.series.length}>{st.study.description ?? ''}</td>
                </>
              ) : null}
              <td>
                {se.seriesNumber ?? ''} {se.description ?? ''}
                {se.isLocalizer && <span className="tag">localizer</span>}
              </td>
              <td>{se.modality}</td>
              <td>{se.dims ? se.dims[2] : se.instanceCount}</td>
              <td>{se.sliceThicknessMm != null ? `${se.sliceThicknessMm} mm` : ''}</td>
              <td data-testid="series-status">{se.review ? <span className={`status status-${se.review.status}`}>{STATUS_TEXT[se.review.status]}</span> : ''}</td>
              <td data-testid="series-cad-count">{se.review?.cadCount ?? ''}</td>
              <td data-testid="series-exam-lungrads">{se.review?.examCategory ?? ''}</td>
              <td>
                {se.warnings.length > 0 && (
                  <span className="warn-icon" title={se.warnings.map((w) => w.message).join('\n')} data-testid="series-warning">
                    ⚠ {se.warnings.length}
                  </span>
                )}
                {se.volumeId && (
                  <button className="small" onClick={() => onOpen(se.seriesInstanceUID, se.volumeId ?? undefined)}>
                    Open
                  </button>
                )}
              </td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}
