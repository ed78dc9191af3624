// What the latest completed CAD run was: the provider it actually used (and why a requested one was passed
// over), its models with versions, stage timings and date, all as recorded in its cad_runs row.
import type { CadRunSummary } from '../../src-main/shared/cadTypes';
import { ms, when } from './format';

/** What became of the reader's Brock inputs on the previous run (carried to the same nodules, or not matched). */
function readerInputsNote(run: CadRunSummary) {
  const r = run.params.readerBrockInputs as { carried?: string[]; notMatched?: string[] } | undefined;
  if (!r || (!r.carried?.length && !r.notMatched?.length)) return null;
  return (
    <dd className={`small-text${r.notMatched?.length ? ' warn' : ' muted'}`} data-testid="cad-run-reader-inputs">
      Reader Brock inputs kept on {r.carried?.join(', ') || 'none'}
      {r.notMatched?.length ? `; not matched to a nodule of this run (re-enter them): ${r.notMatched.join('; ')}` : ''}
    </dd>
  );
}

export function CadRunInfo({ run, lastAttempt }: { run: CadRunSummary | null; lastAttempt: CadRunSummary | null }) {
  const failed = lastAttempt && lastAttempt.state !== 'done' && lastAttempt.state !== 'running' ? lastAttempt : null;
  return (
    <div className="cad-run-info" data-testid="cad-run-info" data-run-id={run?.id ?? ''}>
      {failed && (
        <div className="error small-text" data-testid="cad-last-failed">
          Last run {failed.state} ({when(failed.finishedAt)}){failed.error ? `: ${failed.error}` : ''}
        </div>
      )}
      {!run && <p className="muted small-text">No completed CAD run for this series.</p>}
      {run && (
        <dl className="cad-kv">
          <dt>Run</dt>
          <dd>
            {when(run.finishedAt)} · {run.findingCount} finding{run.findingCount === 1 ? '' : 's'}
          </dd>
          <dt>Provider</dt>
          <dd data-testid="cad-run-provider">
            <b>{run.provider}</b>
            {run.params.providerRequested ? <span className="muted"> (requested {String(run.params.providerRequested)})</span> : <span className="muted"> (automatic)</span>}
          </dd>
          {run.providerFallback.length > 0 && (
            <dd className="small-text">
              <details>
                <summary className="muted">{run.providerFallback.length} provider{run.providerFallback.length === 1 ? '' : 's'} not used (why)</summary>
                {run.providerFallback.map((f) => (
                  <div key={f.name} className="warn" data-testid="cad-run-fallback">
                    {f.name} not used: {f.reason}
                  </div>
                ))}
              </details>
            </dd>
          )}
          {readerInputsNote(run)}
          <dt>Models</dt>
          {run.models.map((m) => (
            <dd key={m.id} data-testid="cad-run-model">
              {m.task}: {m.id} v{m.version}
            </dd>
          ))}
          {typeof run.params.operatingPoint === 'number' && (
            <>
              <dt>Operating point</dt>
              <dd data-testid="cad-run-operating-point">
                score ≥ {run.params.operatingPoint.toFixed(2)} <span className="muted">(the detector's default for this run)</span>
                {Array.isArray(run.params.setAsideOnAnatomy) && <SetAside list={run.params.setAsideOnAnatomy as SetAsideEntry[]} />}
              </dd>
            </>
          )}
          <dt>Timings</dt>
          <dd className="small-text" data-testid="cad-run-timings">
            {Object.entries(run.timingsMs)
              .filter(([k]) => !k.includes('.'))
              .map(([k, v]) => `${k} ${ms(v)}`)
              .join(' · ')}
          </dd>
        </dl>
      )}
    </div>
  );
}

interface SetAsideEntry {
  centerLPS: [number, number, number];
  score: number;
  reason: string;
}

/** The debug layer: candidates the detector set aside on anatomy, with where (LPS mm) and why. */
function SetAside({ list }: { list: SetAsideEntry[] }) {
  return (
    <details className="muted small-text" data-testid="cad-run-set-aside">
      <summary>
        {list.length} candidate{list.length === 1 ? '' : 's'} set aside on anatomy (debug layer, not findings)
      </summary>
      <ul>
        {list.map((r, n) => (
          <li key={n} data-testid="cad-set-aside-entry">
            score {r.score.toFixed(2)} at LPS {r.centerLPS.map((v) => v.toFixed(1)).join(', ')} mm: {r.reason}
          </li>
        ))}
      </ul>
    </details>
  );
}
