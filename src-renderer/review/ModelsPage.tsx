// Models page (#/models): the installed CAD models with what they are for, and "Install model…" from a folder
// holding manifest.json + model.onnx. A rejected folder shows the registry's reason as it gave it.
import { useCallback, useEffect, useState } from 'react';
import type { ModelInfo, ModelList } from '../../src-main/shared/cadTypes';
import { api, ApiCallError } from '../api/client';
import './review.css';

export function ModelsPage() {
  const [list, setList] = useState<ModelList | null>(null);
  const [dir, setDir] = useState('');
  const [busy, setBusy] = useState(false);
  const [installError, setInstallError] = useState<string | null>(null);
  const [installed, setInstalled] = useState<ModelInfo | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setList(await api().call('models.list', {}));
    } catch (err) {
      setError((err as Error).message);
    }
  }, []);
  useEffect(() => void load(), [load]);

  async function install() {
    setBusy(true);
    setInstallError(null);
    setInstalled(null);
    try {
      setInstalled(await api().call('models.add', { dir: dir.trim() }));
      setDir('');
      await load();
    } catch (err) {
      const field = err instanceof ApiCallError && err.body.field ? ` (field: ${err.body.field})` : '';
      setInstallError(`${(err as Error).message}${field}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="models-page" data-testid="models-page">
      <h2>CAD models</h2>
      <p className="ruo small-text">Research use only. Every model states its intended use; CAD output must be confirmed by a radiologist.</p>
      {error && <p className="error">{error}</p>}
      {list && !list.classificationAvailable && (
        <p className="notice" data-testid="models-no-classifier">
          {list.installHint}
        </p>
      )}
      <table className="models" data-testid="models-table">
        <thead>
          <tr>
            <th>Model</th>
            <th>Source</th>
            <th>Task</th>
            <th>Version</th>
            <th>Licence</th>
            <th>Intended use</th>
            <th>SHA-256</th>
          </tr>
        </thead>
        <tbody>
          {list?.models.map((m) => (
            <tr key={m.id} data-testid="model-row" data-model-id={m.id} data-task={m.task}>
              <td>
                <b>{m.name}</b>
                <div className="muted small-text">{m.id}</div>
              </td>
              <td>{m.builtin ? 'built-in' : 'user'}</td>
              <td>{m.task}</td>
              <td>{m.version}</td>
              <td>{m.license}</td>
              <td className="small-text">{m.intendedUse}</td>
              <td className="small-text" title={m.sha256}>
                <code>{m.sha256 ? m.sha256.slice(0, 12) : m.kind === 'classical' ? '(code, no weights)' : '—'}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {!!list?.rejected.length && (
        <>
          <h3>Folders not loaded</h3>
          <ul data-testid="models-rejected">
            {list.rejected.map((r) => (
              <li key={r.dir} className="small-text">
                <code>{r.dir}</code>: <span className="error">{r.reason}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>Install model…</h3>
      <form
        className="install-form"
        onSubmit={(e) => {
          e.preventDefault();
          void install();
        }}
      >
        <input
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          placeholder="Folder on this computer holding manifest.json and model.onnx"
          data-testid="model-install-dir"
        />
        <button type="submit" disabled={busy || !dir.trim()} data-testid="model-install">
          Install
        </button>
      </form>
      {installError && (
        <p className="error" role="alert" data-testid="model-install-error">
          Not installed: {installError}
        </p>
      )}
      {installed && (
        <p className="ok" data-testid="model-install-ok">
          Installed {installed.name} ({installed.id} v{installed.version}, {installed.task}).
        </p>
      )}
    </main>
  );
}
