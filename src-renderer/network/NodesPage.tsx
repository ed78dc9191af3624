// DICOM settings (#/dicom/nodes): the configured peers with a Test button each (C-ECHO, or a QIDO-RS query for
// DICOMweb peers), a form to add one, Pulmo's own AE title and listener, and the listener's recent associations.
import { useCallback, useEffect, useState } from 'react';
import type { DicomNode, EchoResult, Reception } from '../../src-main/shared/netTypes';
import { api } from '../api/client';
import { ListenerSettingsForm } from './ListenerSettingsForm';
import { NodeForm } from './NodeForm';
import './network.css';

function where(n: DicomNode): string {
  return n.kind === 'dimse' ? `${n.aet}@${n.host}:${n.port}${n.tls ? ' (TLS)' : ''}` : n.baseUrl;
}

export function NodesPage() {
  const [nodes, setNodes] = useState<DicomNode[]>([]);
  const [tests, setTests] = useState<Record<string, EchoResult | 'running'>>({});
  const [receptions, setReceptions] = useState<Reception[]>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setNodes(await api().call('dicom.nodes.list', {}));
      setReceptions(await api().call('dicom.receptions', { limit: 20 }));
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => void load(), [load]);
  useEffect(() => api().on('cases.changed', () => void load()), [load]);

  async function test(name: string) {
    setTests((t) => ({ ...t, [name]: 'running' }));
    const r = await api().call('dicom.echo', { node: name });
    setTests((t) => ({ ...t, [name]: r }));
  }
  async function remove(name: string) {
    await api().call('dicom.nodes.delete', { name });
    await load();
  }

  return (
    <main className="net-page" data-testid="nodes-page">
      <h2>DICOM nodes</h2>
      {error && <p className="error">{error}</p>}
      <table className="net-table" data-testid="nodes-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Kind</th>
            <th>Address</th>
            <th>Allowed</th>
            <th />
            <th>Test result</th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => {
            const t = tests[n.name];
            return (
              <tr key={n.name} data-testid={`node-${n.name}`}>
                <td>{n.name}</td>
                <td>{n.kind === 'dimse' ? 'DIMSE' : 'DICOMweb'}</td>
                <td className="mono">{where(n)}</td>
                <td>{n.kind === 'dimse' ? n.ops.join(', ') : 'QIDO, WADO, STOW'}</td>
                <td>
                  <button onClick={() => void test(n.name)} data-testid={`test-${n.name}`} disabled={t === 'running'}>
                    Test
                  </button>{' '}
                  <button className="ghost" onClick={() => void remove(n.name)}>
                    Remove
                  </button>
                </td>
                <td data-testid={`test-result-${n.name}`} className={t && t !== 'running' ? (t.ok ? 'ok' : 'error') : ''}>
                  {t === 'running' ? 'testing…' : t ? (t.ok ? `✓ ${t.message} (${t.ms} ms)` : `✗ ${t.message}`) : ''}
                </td>
              </tr>
            );
          })}
          {nodes.length === 0 && (
            <tr>
              <td colSpan={6}>No nodes yet: add the PACS or modality below.</td>
            </tr>
          )}
        </tbody>
      </table>
      <NodeForm onSaved={() => void load()} />
      <ListenerSettingsForm />
      <h3>Recent incoming associations</h3>
      <table className="net-table" data-testid="receptions-table">
        <thead>
          <tr>
            <th>Started</th>
            <th>From</th>
            <th>State</th>
            <th>Instances</th>
            <th>Refused</th>
            <th>Note</th>
          </tr>
        </thead>
        <tbody>
          {receptions.map((r) => (
            <tr key={r.id}>
              <td>{r.startedAt.replace('T', ' ').slice(0, 19)}</td>
              <td className="mono">
                {r.callingAet} ({r.remote})
              </td>
              <td className={r.state === 'complete' ? 'ok' : r.state === 'receiving' ? '' : 'error'}>{r.state}</td>
              <td>{r.instances}</td>
              <td>{r.failed}</td>
              <td>{r.incompleteSeries.length ? `incomplete series: ${r.incompleteSeries.join(', ')}` : (r.message ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
