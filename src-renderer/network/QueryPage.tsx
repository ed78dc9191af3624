// Query/Retrieve (#/dicom/query): C-FIND or QIDO-RS a node by patient, date range, modality and accession;
// open a study to list its series; retrieve a study or series (C-GET, C-MOVE or WADO-RS) as a job with
// progress and Cancel. Retrieved series land in the worklist through the ordinary import.
import { useEffect, useState } from 'react';
import type { DicomNode, QueryRow } from '../../src-main/shared/netTypes';
import type { JobStatus } from '../../src-main/shared/types';
import { api } from '../api/client';
import { QueryFiltersForm, type Filters } from './QueryFiltersForm';
import { RetrieveJobs } from './RetrieveJobs';
import './network.css';

type Via = 'get' | 'move' | 'wado';

export function QueryPage() {
  const [nodes, setNodes] = useState<DicomNode[]>([]);
  const [node, setNode] = useState('');
  const [via, setVia] = useState<Via>('get');
  const [studies, setStudies] = useState<QueryRow[] | null>(null);
  const [series, setSeries] = useState<Record<string, QueryRow[]>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [jobs, setJobs] = useState<Record<string, JobStatus>>({});

  useEffect(() => {
    api()
      .call('dicom.nodes.list', {})
      .then((list) => {
        const usable = list.filter((n) => n.kind === 'dicomweb' || n.ops.includes('find'));
        setNodes(usable);
        if (usable[0]) setNode(usable[0].name);
      }, (e) => setError((e as Error).message));
  }, []);
  useEffect(
    () =>
      api().on('job.progress', (j) => {
        if (j.kind === 'retrieve') setJobs((all) => (all[j.jobId] ? { ...all, [j.jobId]: j } : all));
      }),
    [],
  );
  const current = nodes.find((n) => n.name === node);
  useEffect(() => setVia(current?.kind === 'dicomweb' ? 'wado' : 'get'), [current?.kind]);

  async function search(f: Filters) {
    setBusy(true);
    setError(null);
    setSeries({});
    try {
      setStudies(await api().call('dicom.find', { node, level: 'study', filters: f }));
    } catch (e) {
      setStudies(null);
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }
  async function openStudy(uid: string) {
    if (series[uid]) return setSeries(({ [uid]: _, ...rest }) => rest);
    try {
      const rows = await api().call('dicom.find', { node, level: 'series', filters: { studyInstanceUID: uid } });
      setSeries((s) => ({ ...s, [uid]: rows }));
    } catch (e) {
      setError((e as Error).message);
    }
  }
  async function retrieve(studyInstanceUID: string, seriesInstanceUID?: string) {
    setError(null);
    try {
      const { jobId } = await api().call('dicom.retrieve', { node, studyInstanceUID, seriesInstanceUID, via });
      const st = await api().call('jobs.get', { jobId });
      setJobs((all) => ({ ...all, [jobId]: st }));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  return (
    <main className="net-page" data-testid="query-page">
      <h2>Query / Retrieve</h2>
      <div className="net-form">
        <label>
          Node{' '}
          <select value={node} onChange={(e) => setNode(e.target.value)} data-testid="query-node">
            {nodes.map((n) => (
              <option key={n.name} value={n.name}>
                {n.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Retrieve with{' '}
          <select value={via} onChange={(e) => setVia(e.target.value as Via)} data-testid="query-via">
            {current?.kind === 'dicomweb' ? <option value="wado">WADO-RS</option> : (
              <>
                <option value="get">C-GET</option>
                <option value="move">C-MOVE to this workstation</option>
              </>
            )}
          </select>
        </label>
        {nodes.length === 0 && <span>No node allows queries: add one under DICOM nodes.</span>}
      </div>
      <QueryFiltersForm busy={busy || !node} onSearch={(f) => void search(f)} />
      {error && <p className="error" data-testid="query-error">{error}</p>}
      {studies && (
        <table className="net-table" data-testid="query-results">
          <thead>
            <tr>
              <th>Date</th>
              <th>Patient ID</th>
              <th>Name</th>
              <th>Accession</th>
              <th>Modalities</th>
              <th>Instances</th>
              <th>Description</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {studies.length === 0 && (
              <tr>
                <td colSpan={8}>No matching studies.</td>
              </tr>
            )}
            {studies.flatMap((s) => [
              <tr key={s.studyInstanceUID} className="study-row" onClick={() => void openStudy(s.studyInstanceUID)} title={s.studyInstanceUID}>
                <td>{s.studyDate}</td>
                <td>{s.patientId}</td>
                <td>{s.patientName.replace(/\^/g, ' ')}</td>
                <td>{s.accessionNumber}</td>
                <td>{s.modalities}</td>
                <td>{s.numberOfInstances ?? ''}</td>
                <td>{s.studyDescription}</td>
                <td>
                  <button onClick={(e) => (e.stopPropagation(), void retrieve(s.studyInstanceUID))} data-testid="retrieve-study">
                    Retrieve study
                  </button>
                </td>
              </tr>,
              ...(series[s.studyInstanceUID] ?? []).map((r) => (
                <tr key={r.seriesInstanceUID} className="series-row" data-testid="series-row">
                  <td />
                  <td colSpan={3}>
                    Series {r.seriesNumber} {r.seriesDescription}
                  </td>
                  <td>{r.modalities}</td>
                  <td>{r.numberOfInstances ?? ''}</td>
                  <td className="mono small-text">{r.seriesInstanceUID}</td>
                  <td>
                    <button onClick={() => void retrieve(s.studyInstanceUID, r.seriesInstanceUID)} data-testid="retrieve-series">
                      Retrieve series
                    </button>
                  </td>
                </tr>
              )),
            ])}
          </tbody>
        </table>
      )}
      <RetrieveJobs jobs={Object.values(jobs)} />
    </main>
  );
}
