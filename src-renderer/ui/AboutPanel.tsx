// About / diagnostics: every value here comes from the main side (app.info), nothing is filled in by the UI.
import { useAppInfo } from '../state/appInfo';

export function AboutPanel({ onClose }: { onClose: () => void }) {
  const { info, error } = useAppInfo();
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <section className="panel about" role="dialog" aria-label="About Pulmo" data-testid="about-panel" onClick={(e) => e.stopPropagation()}>
        <header className="panel-head">
          <h2>About Pulmo</h2>
          <button className="ghost" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        {error && <p className="error">Could not read diagnostics: {error}</p>}
        {info && (
          <>
            <p className="ruo">{info.intendedUse}</p>
            <dl className="kv">
              <dt>Version</dt>
              <dd data-testid="about-version">{info.version}</dd>
              <dt>Platform</dt>
              <dd>{info.platform}</dd>
              <dt>Data folder</dt>
              <dd data-testid="about-data-dir">{info.dataDir}</dd>
              <dt>Case database</dt>
              <dd data-testid="about-db-path">
                {info.dbPath}
                {info.readOnly && <strong className="warn"> read-only</strong>}
              </dd>
              {info.readOnlyReason && (
                <>
                  <dt />
                  <dd className="warn">{info.readOnlyReason}</dd>
                </>
              )}
              <dt>ONNX execution providers</dt>
              <dd>
                <ul className="providers" data-testid="about-providers">
                  {info.executionProviders.map((p) => (
                    <li key={p.name} data-provider={p.name} data-status={p.status}>
                      <span className={`dot ${p.status}`} /> <b>{p.name}</b> — {p.status}
                      {p.detail ? <span className="muted"> ({p.detail})</span> : null}
                    </li>
                  ))}
                </ul>
              </dd>
            </dl>
            {info.sample.available && (
              <>
                <h3>Sample data</h3>
                <pre className="attribution" data-testid="about-attribution">
                  {info.sample.attribution}
                </pre>
              </>
            )}
          </>
        )}
      </section>
    </div>
  );
}
