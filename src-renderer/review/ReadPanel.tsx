// The second read in the viewer's side panel: reader profile, reading mode, the reader's own marks first (second-
// reader mode withholds CAD until "first read done"), triage of CAD marks, exam Lung-RADS and conclusion,
// sign-off and addenda, exports and the audit trail. Keyboard: J/K next/previous mark, A accept, X reject,
// I add a nodule at the crosshair — a read can be done without the mouse.
import { useCallback, useEffect, useState } from 'react';
import type { Vec3 } from '../../src-main/shared/geometry';
import type { NoduleType } from '../../src-main/shared/types';
import type { Read, ReaderProfile, ReadingMode, RejectReason } from '../../src-main/shared/readTypes';
import { api } from '../api/client';
import { AuditTable } from './AuditTable';
import { download } from './download';
import { MarkCard } from './MarkCard';
import './read.css';

interface Props {
  seriesInstanceUID: string;
  crosshair: Vec3;
  onJumpTo(p: Vec3): void;
  /** The read changed which findings exist or are visible (CAD released, nodule added). */
  onFindingsChanged(): void;
}

export function ReadPanel({ seriesInstanceUID, crosshair, onJumpTo, onFindingsChanged }: Props) {
  const [reader, setReader] = useState<ReaderProfile | null | undefined>(undefined);
  const [mode, setMode] = useState<ReadingMode>('second-reader');
  const [read, setRead] = useState<Read | null>(null);
  const [current, setCurrent] = useState(0);
  const [reason, setReason] = useState<RejectReason>('vessel');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deid, setDeid] = useState(false);
  const [addendumReason, setAddendumReason] = useState('');
  const [form, setForm] = useState({ name: '', role: 'radiologist' });
  const [concl, setConcl] = useState({ sModifier: false, sText: '', impression: '' });

  useEffect(() => {
    void (async () => {
      try {
        const [r, s, rd] = await Promise.all([api().call('reader.get', {}), api().call('settings.get', {}), api().call('reads.get', { seriesInstanceUID })]);
        setReader(r);
        setMode(s.readingMode);
        setRead(rd);
        if (rd) setConcl({ sModifier: rd.conclusion.sModifier, sText: rd.conclusion.sText, impression: rd.conclusion.impression });
      } catch (e) {
        setError((e as Error).message);
      }
    })();
  }, [seriesInstanceUID]);

  const act = useCallback(
    async (f: () => Promise<Read>, findingsChanged = false) => {
      setBusy(true);
      try {
        const r = await f();
        setRead(r);
        setError(null);
        if (findingsChanged) onFindingsChanged();
        return r;
      } catch (e) {
        setError((e as Error).message);
        return null;
      } finally {
        setBusy(false);
      }
    },
    [onFindingsChanged],
  );

  const locked = !read || read.state === 'signed' || read.state === 'addended' || read.state === 'imported';
  const marks = read?.marks ?? [];
  const mark = marks[Math.min(current, marks.length - 1)];
  const accept = useCallback(() => mark && read && void act(() => api().call('reads.accept', { readId: read.id, findingId: mark.findingId })), [act, mark, read]);
  const reject = useCallback(
    (why: RejectReason, text: string) => mark && read && void act(() => api().call('reads.reject', { readId: read.id, findingId: mark.findingId, reason: why, ...(text ? { text } : {}) })),
    [act, mark, read],
  );
  const add = useCallback(() => read && void act(() => api().call('reads.add', { readId: read.id, seedLPS: crosshair }), true).then((r) => r && setCurrent(r.marks.length - 1)), [act, read, crosshair]);
  const go = useCallback(
    (n: number) => {
      if (!marks.length) return;
      const i = (n + marks.length) % marks.length;
      setCurrent(i);
      onJumpTo(marks[i].finding.centerLPS);
    },
    [marks, onJumpTo],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (!read || locked || e.ctrlKey || e.metaKey || e.altKey || (t && /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      const k = e.key.toLowerCase();
      if (k === 'j') go(current + 1);
      else if (k === 'k') go(current - 1);
      else if (k === 'a') accept();
      else if (k === 'x') reject(reason, '');
      else if (k === 'i') add();
      else return;
      e.preventDefault();
      e.stopPropagation();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [read, locked, go, current, accept, reject, add, reason]);

  if (reader === undefined) return null;
  if (reader === null) {
    return (
      <section className="read-panel" data-testid="read-panel">
        <h3>Reader</h3>
        <p className="small-text muted">Who is reading? Every action records this name, your role and the OS user.</p>
        <input placeholder="Display name" value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-testid="reader-name" aria-label="Display name" />
        <select value={form.role} onChange={(e) => setForm({ ...form, role: e.target.value })} aria-label="Role" data-testid="reader-role">
          <option value="radiologist">radiologist</option>
          <option value="resident">resident</option>
          <option value="researcher">researcher</option>
        </select>
        <button className="small" disabled={!form.name.trim()} onClick={() => void api().call('reader.set', form).then(setReader, (e: Error) => setError(e.message))} data-testid="reader-save">
          Save
        </button>
        {error && <div className="error small-text">{error}</div>}
      </section>
    );
  }

  return (
    <section className="read-panel" data-testid="read-panel" data-state={read?.state ?? 'none'}>
      <h3>
        Read <span className="muted small-text">{reader.name} ({reader.role})</span>
      </h3>
      {!read && (
        <div className="cad-row">
          <select value={mode} onChange={(e) => setMode(e.target.value as ReadingMode)} aria-label="Reading mode" data-testid="read-mode">
            <option value="second-reader">second reader (CAD after first read)</option>
            <option value="concurrent">concurrent (CAD at once)</option>
          </select>
          <button className="small" disabled={busy} onClick={() => void act(() => api().call('reads.start', { seriesInstanceUID, mode }), true)} data-testid="read-start">
            Start read
          </button>
        </div>
      )}
      {read && (
        <>
          <div className="small-text" data-testid="read-status">
            <b>{read.state}</b> · {read.mode} · v{read.version}
            {read.signedAt && <span className="muted"> · signed {read.signedAt.replace('T', ' ').slice(0, 16)} UTC</span>}
          </div>
          {!locked && (
            <div className="cad-row">
              <button className="small" disabled={busy} onClick={add} data-testid="read-add" title="Segment and measure a nodule at the crosshair (I)">
                Add nodule at crosshair
              </button>
              {!read.cadVisible && (
                <button className="small primary" disabled={busy} onClick={() => void act(() => api().call('reads.firstReadDone', { readId: read.id }), true)} data-testid="read-first-done">
                  First read done — show CAD
                </button>
              )}
            </div>
          )}
          {!read.cadVisible && <p className="small-text muted" data-testid="cad-withheld">CAD marks are withheld until you mark your first read done.</p>}
          <ul className="marks">
            {marks.map((m, i) => (
              <MarkCard
                key={m.findingId}
                mark={m}
                current={i === current}
                locked={locked}
                reason={reason}
                onReason={setReason}
                onJump={() => go(i)}
                onAccept={() => void act(() => api().call('reads.accept', { readId: read.id, findingId: m.findingId }))}
                onReject={(why, text) => void act(() => api().call('reads.reject', { readId: read.id, findingId: m.findingId, reason: why, ...(text ? { text } : {}) }))}
                onType={(t: NoduleType) => void act(() => api().call('reads.edit', { readId: read.id, findingId: m.findingId, type: t }))}
                onEdit={(e) =>
                  void act(
                    () =>
                      api().call('reads.edit', {
                        readId: read.id,
                        findingId: m.findingId,
                        ...(e.seedAtCrosshair ? { seedLPS: crosshair } : {}),
                        ...(e.centreAtCrosshair ? { centerLPS: crosshair } : {}),
                        ...(e.diameterMm !== undefined ? { diameterMm: e.diameterMm } : {}),
                      }),
                    true,
                  )
                }
              />
            ))}
          </ul>
          <div className="exam" data-testid="read-exam" data-category={read.conclusion.category ?? ''}>
            Exam Lung-RADS v2022 (accepted + added, {read.conclusion.noduleCount}): <b data-testid="read-exam-category">{read.conclusion.category ?? '—'}{read.conclusion.sModifier ? ' S' : ''}</b>
            <div className="small-text">{read.conclusion.recommendation}</div>
            <div className="muted small-text">{read.conclusion.reason}</div>
          </div>
          {!locked && (
            <div className="conclusion">
              <label className="small-text">
                <input type="checkbox" checked={concl.sModifier} onChange={(e) => setConcl({ ...concl, sModifier: e.target.checked })} data-testid="read-s" /> S modifier (significant other finding)
              </label>
              {concl.sModifier && <input value={concl.sText} onChange={(e) => setConcl({ ...concl, sText: e.target.value })} placeholder="S finding" aria-label="S finding" />}
              <textarea rows={2} value={concl.impression} onChange={(e) => setConcl({ ...concl, impression: e.target.value })} placeholder="Impression" aria-label="Impression" data-testid="read-impression" />
              <div className="cad-row">
                <button className="small" disabled={busy} onClick={() => void act(() => api().call('reads.setConclusion', { readId: read.id, ...concl }))} data-testid="read-save-conclusion">
                  Save conclusion
                </button>
                <button className="small primary" disabled={busy} onClick={() => void act(() => api().call('reads.sign', { readId: read.id }))} data-testid="read-sign">
                  {read.state === 'addendum' ? 'Sign addendum' : 'Sign'}
                </button>
              </div>
            </div>
          )}
          {(read.state === 'signed' || read.state === 'addended') && (
            <div className="cad-row">
              <input value={addendumReason} onChange={(e) => setAddendumReason(e.target.value)} placeholder="Reason for addendum" aria-label="Reason for addendum" data-testid="read-addendum-reason" />
              <button className="small" disabled={busy || !addendumReason.trim()} onClick={() => void act(() => api().call('reads.startAddendum', { readId: read.id, reason: addendumReason }))} data-testid="read-addendum">
                Start addendum
              </button>
            </div>
          )}
          {read.version > 0 && (
            <div className="cad-row small-text" data-testid="read-exports">
              Export:
              {(['sr', 'seg', 'pdf', 'csv'] as const).map((format) => (
                <button key={format} className="small" onClick={() => void api().call('reports.export', { seriesInstanceUID, format, deidentify: deid }).then(download, (e: Error) => setError(e.message))} data-testid={`export-${format}`}>
                  {format.toUpperCase()}
                </button>
              ))}
              <label>
                <input type="checkbox" checked={deid} onChange={(e) => setDeid(e.target.checked)} /> de-identify
              </label>
            </div>
          )}
          <AuditTable seriesInstanceUID={seriesInstanceUID} version={read.version * 1000 + marks.length * 10 + (read.state.length % 10)} />
        </>
      )}
      {error && (
        <div className="error small-text" data-testid="read-error">
          {error}
        </div>
      )}
    </section>
  );
}
