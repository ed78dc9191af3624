// Pulmo's AE title and its storage listener: off by default, loopback by default, and only AE titles of nodes
// allowed to store (plus those listed here) may send.
import { useEffect, useState } from 'react';
import type { ListenerStatus } from '../../src-main/shared/netTypes';
import { api } from '../api/client';

export function ListenerSettingsForm() {
  const [st, setSt] = useState<ListenerStatus | null>(null);
  const [aet, setAet] = useState('');
  const [port, setPort] = useState('');
  const [bind, setBind] = useState('');
  const [callers, setCallers] = useState('');
  const [error, setError] = useState<string | null>(null);

  function show(s: ListenerStatus) {
    setSt(s);
    setAet(s.settings.aet);
    setPort(String(s.settings.port));
    setBind(s.settings.bind);
    setCallers(s.settings.allowedCallers.join(', '));
  }
  useEffect(() => {
    api().call('dicom.listener.get', {}).then(show, (e) => setError((e as Error).message));
  }, []);

  async function apply(enabled: boolean) {
    setError(null);
    try {
      const allowedCallers = callers.split(',').map((c) => c.trim()).filter(Boolean);
      show(await api().call('dicom.listener.set', { aet, enabled, port: Number(port), bind, allowedCallers }));
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (!st) return error ? <p className="error">{error}</p> : null;
  return (
    <form className="net-form" onSubmit={(e) => e.preventDefault()} data-testid="listener-form">
      <h3>This workstation</h3>
      <label>
        AE title <input value={aet} onChange={(e) => setAet(e.target.value)} maxLength={16} data-testid="listener-aet" />
      </label>
      <label>
        Port <input value={port} onChange={(e) => setPort(e.target.value)} size={6} data-testid="listener-port" />
      </label>
      <label title="127.0.0.1 accepts only this machine; 0.0.0.0 accepts the network">
        Bind address <input value={bind} onChange={(e) => setBind(e.target.value)} size={12} />
      </label>
      <label>
        Also accept calling AE titles <input value={callers} onChange={(e) => setCallers(e.target.value)} placeholder="CT_SCANNER, …" />
      </label>
      <button type="button" onClick={() => void apply(!st.settings.enabled)} data-testid="listener-toggle">
        {st.settings.enabled ? 'Turn listener off' : 'Turn listener on'}
      </button>
      <p data-testid="listener-status" className={st.error ? 'error' : st.running ? 'ok' : ''}>
        {st.running ? `Listening as ${st.address}. Nodes allowed to store, and the titles above, may send.` : st.error ? st.error : 'Listener off: nothing listens for DICOM.'}
      </p>
      {error && <p className="error">{error}</p>}
    </form>
  );
}
