// The worklist: patients/studies/series in the case index, searchable; the empty state says how to import.
import { useCallback, useEffect, useState } from 'react';
import type { CaseList } from '../../src-main/shared/types';
import { api } from '../api/client';
import { useRoute } from '../state/route';
import { ImportBar } from './ImportBar';
import { StudyTable } from './StudyTable';

export function WorklistPage() {
  const [text, setText] = useState('');
  const [list, setList] = useState<CaseList | null>(null);
  const [error, setError] = useState<string | null>(null);
  const go = useRoute((s) => s.go);

  const refresh = useCallback(async () => {
    try {
      setList(await api().call('cases.list', { text: text || undefined, sort: 'importedAt', order: 'desc', offset: 0, limit: 100 }));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [text]);

  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => api().on('cases.changed', () => void refresh()), [refresh]);

  return (
    <main className="worklist" data-testid="worklist">
      <div className="toolbar">
        <input
          className="search"
          type="search"
          placeholder="Search patient name, ID, accession, description"
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-label="Search the worklist"
        />
        <span className="muted" data-testid="worklist-count">
          {list ? `${list.total} ${list.total === 1 ? 'study' : 'studies'}` : ''}
        </span>
      </div>
      <ImportBar onImported={refresh} />
      {error && <p className="error">Could not load the worklist: {error}</p>}
      {list && list.total === 0 && !text && (
        <section className="empty" data-testid="worklist-empty">
          <h2>No cases yet</h2>
          <p>Import chest CT from a local folder (a CD export, a USB stick, a PACS dump):</p>
          <ul>
            <li>type or paste the folder&apos;s path above and press <b>Import</b>;</li>
            <li>or, from a terminal: <code>pulmo import /path/to/dicom</code>;</li>
            <li>or open the bundled sample case (LIDC-IDRI, CC BY 3.0) to look around.</li>
          </ul>
        </section>
      )}
      {list && list.studies.length > 0 && <StudyTable studies={list.studies} onOpen={(uid, volumeId) => go({ page: 'series', seriesInstanceUID: uid, volumeId })} />}
    </main>
  );
}
