// Adds or replaces a DICOM node: a DIMSE peer (AE title, host, port, allowed operations) or a DICOMweb peer.
import { useState } from 'react';
import { dicomOps, type DicomOp } from '../../src-main/shared/netTypes';
import { api } from '../api/client';

export function NodeForm({ onSaved }: { onSaved: () => void }) {
  const [kind, setKind] = useState<'dimse' | 'dicomweb'>('dimse');
  const [name, setName] = useState('');
  const [aet, setAet] = useState('');
  const [host, setHost] = useState('127.0.0.1');
  const [port, setPort] = useState('104');
  const [ops, setOps] = useState<DicomOp[]>([...dicomOps]);
  const [baseUrl, setBaseUrl] = useState('');
  const [auth, setAuth] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      if (kind === 'dimse') await api().call('dicom.nodes.save', { name, kind, aet, host, port: Number(port), tls: false, ops });
      else await api().call('dicom.nodes.save', { name, kind, baseUrl, ...(auth ? { authHeader: auth } : {}) });
      setName('');
      onSaved();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <form className="net-form" onSubmit={(e) => void save(e)} data-testid="node-form">
      <h3>Add a node</h3>
      <label>
        Kind{' '}
        <select value={kind} onChange={(e) => setKind(e.target.value as 'dimse' | 'dicomweb')} data-testid="node-kind">
          <option value="dimse">DIMSE (AE title, host, port)</option>
          <option value="dicomweb">DICOMweb (base URL)</option>
        </select>
      </label>
      <label>
        Name <input value={name} onChange={(e) => setName(e.target.value)} placeholder="pacs" data-testid="node-name" />
      </label>
      {kind === 'dimse' ? (
        <>
          <label>
            AE title <input value={aet} onChange={(e) => setAet(e.target.value)} placeholder="ORTHANC" maxLength={16} data-testid="node-aet" />
          </label>
          <label>
            Host <input value={host} onChange={(e) => setHost(e.target.value)} data-testid="node-host" />
          </label>
          <label>
            Port <input value={port} onChange={(e) => setPort(e.target.value)} inputMode="numeric" size={6} data-testid="node-port" />
          </label>
          <span className="ops">
            {dicomOps.map((op) => (
              <label key={op}>
                <input type="checkbox" checked={ops.includes(op)} onChange={(e) => setOps(e.target.checked ? [...ops, op] : ops.filter((o) => o !== op))} /> {op}
              </label>
            ))}
          </span>
        </>
      ) : (
        <>
          <label>
            Base URL <input value={baseUrl} onChange={(e) => setBaseUrl(e.target.value)} placeholder="https://pacs.example/dicom-web" size={40} />
          </label>
          <label>
            Authorization header <input value={auth} onChange={(e) => setAuth(e.target.value)} placeholder="Bearer …" type="password" />
          </label>
        </>
      )}
      <button type="submit" data-testid="node-save">
        Save node
      </button>
      {error && <p className="error">{error}</p>}
    </form>
  );
}
