// The worklist: patients/studies/series in the case index — search, filter, sort, page. The empty state says how
// to import. Folders dropped on the page are imported (Electron gives their paths; a browser cannot).
import { useCallback, useEffect, useState } from 'react';
import type { Input } from '../../src-main/shared/api';
import type { CaseList } from '../../src-main/shared/types';
import { api } from '../api/client';
import { useRoute } from '../state/route';
import { ImportBar } from './ImportBar';
import { ImportHistory } from './ImportHistory';
import { StudyTable, type SortKey } from './StudyTable';
import { WorklistFilters, type Filters } from './WorklistFilters';

const PAGE = 50;

export function WorklistPage() {
  const [filters, setFilters] = useState<Filters>({ text: '', modality: '', dateFrom: '', dateTo: '' });
  const [sort, setSort] = useState<{ key: SortKey; order: 'asc' | 'desc' }>({ key: 'importedAt', order: 'desc' });
  const [offset, setOffset] = useState(0);
  const [list, setList] = useState<CaseList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const go = useRoute((s) => s.go);

  const refresh = useCallback(async () => {
    const query: Input<'cases.list'> = { sort: sort.key, order: sort.order, offset, limit: PAGE };
    if (filters.text) query.text = filters.text;
    if (filters.modality) query.modality = filters.modality;
    if (filters.dateFrom) query.dateFrom = filters.dateFrom.replace(/-/g, '');
    if (filters.dateTo) query.dateTo = filters.dateTo.replace(/-/g, '');
    if (filters.unread) query.unread = true;
    try {
      setList(await api().call('cases.list', query));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [filters, sort, offset]);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => api().on('cases.changed', () => void refresh()), [refresh]);

  const filtered = Boolean(filters.text || filters.modality || filters.dateFrom || filters.dateTo || filters.unread);
  return (
    <main className="worklist" data-testid="worklist">
      <div className="toolbar">
        <WorklistFilters
          value={filters}
          onChange={(f) => {
            setFilters(f);
            setOffset(0);
          }}
        />
        <span className="muted" data-testid="worklist-count">
          {list ? `${list.total} ${list.total === 1 ? 'study' : 'studies'}` : ''}
        </span>
      </div>
      <ImportBar onImported={refresh} />
      <ImportHistory />
      {error && <p className="error">Could not load the worklist: {error}</p>}
      {list && list.total === 0 && !filtered && (
        <section className="empty" data-testid="worklist-empty">
          <h2>No cases yet</h2>
          <p>Import chest CT from a local folder (a CD export, a USB stick, a PACS dump):</p>
          <ul>
            <li>type or paste the folder&apos;s path above and press <b>Import</b>, or drop the folder on this window (desktop app);</li>
            <li>or, from a terminal: <code>pulmo import /path/to/dicom</code>;</li>
            <li>or open the bundled sample case (LIDC-IDRI, CC BY 3.0) to look around.</li>
          </ul>
        </section>
      )}
      {list && list.total === 0 && filtered && <p className="muted">No study matches these filters.</p>}
      {list && list.studies.length > 0 && (
        <>
          <StudyTable
            studies={list.studies}
            sort={sort}
            onSort={(key) => setSort((s) => ({ key, order: s.key === key && s.order === 'desc' ? 'asc' : 'desc' }))}
            onOpen={(uid, volumeId) => go({ page: 'series', seriesInstanceUID: uid, volumeId })}
          />
          {list.total > PAGE && (
            <div className="pager">
              <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
                ‹ Previous
              </button>
              <span className="muted">
                {offset + 1}–{Math.min(offset + PAGE, list.total)} of {list.total}
              </span>
              <button disabled={offset + PAGE >= list.total} onClick={() => setOffset(offset + PAGE)}>
                Next ›
              </button>
            </div>
          )}
        </>
      )}
    </main>
  );
}
