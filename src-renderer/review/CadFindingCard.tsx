// One CAD finding as the reader reviews it: detector score, measurements with units, type, Lung-RADS, Brock (with
// which inputs were assumed and which the reader entered) and the cancer-type probabilities with their model.
import { useState } from 'react';
import type { BrockInputs, EstimateModel, Finding } from '../../src-main/shared/types';
import { BrockEditor } from './BrockEditor';
import { hu, mm, mm3, pct } from './format';
import { CadWhyKept } from './CadWhyKept';

interface Props {
  finding: Finding;
  onJump(f: Finding): void;
  onChanged(f: Finding): void;
}

function brockNote(f: Finding): string | null {
  const i = f.brockInputs;
  if (f.brock !== null) return null;
  if (!i) return 'not computed';
  if (f.measurementNote) return 'no reliable size';
  // Name exactly what is missing: never "age/sex unknown" when the sex is known.
  if (i.ageYears === null && i.sex === null) return 'age/sex unknown in DICOM: enter them';
  if (i.ageYears === null) return 'age unknown in DICOM: enter it';
  if (i.sex === null) return 'sex unknown in DICOM: enter it';
  if (i.upperLobe === null) return 'lobe unknown: enter it';
  return 'no measured size';
}

function BrockInputList({ i }: { i: BrockInputs }) {
  const yn = (b: boolean | null) => (b === null ? 'unknown' : b ? 'yes' : 'no');
  const tag = (k: keyof BrockInputs['origin']) => <span className={`origin origin-${i.origin[k]}`}>{i.origin[k]}</span>;
  return (
    <ul className="brock-inputs small-text" data-testid="brock-inputs">
      <li data-origin={i.origin.ageYears ?? 'dicom'}>
        age {i.ageYears ?? 'unknown'} · sex {i.sex ?? 'unknown'}{' '}
        <span className={`origin origin-${i.origin.ageYears === 'reader' || i.origin.sex === 'reader' ? 'reader' : 'dicom'}`}>
          {i.origin.ageYears === 'reader' || i.origin.sex === 'reader' ? 'reader (not in DICOM)' : 'DICOM'}
        </span>
      </li>
      <li data-origin={i.origin.familyHistory}>family history {yn(i.familyHistory)} {tag('familyHistory')}</li>
      <li data-origin={i.origin.emphysema}>emphysema {yn(i.emphysema)} {tag('emphysema')}</li>
      <li data-origin={i.origin.spiculation}>spiculation {yn(i.spiculation)} {tag('spiculation')}</li>
      <li>upper lobe {yn(i.upperLobe)} {tag('upperLobe')}</li>
      <li>nodule count {i.noduleCount} {tag('noduleCount')}</li>
    </ul>
  );
}

/** "by <id> v<version> · trained on <data>": every model-made number says which model and what it learned from. */
function ModelLine({ m, testId }: { m: EstimateModel | null | undefined; testId: string }) {
  return (
    <div className="muted small-text" data-testid={testId}>
      by {m ? `${m.id} v${m.version}` : 'unknown model'}
      {m?.trainingData && <> · trained on {m.trainingData}</>}
    </div>
  );
}

function CancerType({ f }: { f: Finding }) {
  const p = f.classProbs;
  if (!p)
    return (
      <dd className="muted" data-testid="cad-class-none">
        not estimated (no classification model in this run)
      </dd>
    );
  if (f.classModel?.betterThanChance === false)
    return (
      <dd className="muted" data-testid="cad-class-chance">
        {f.classModel.notice ?? 'Not shown: this model is no better than chance in patient-grouped validation.'}
        <ModelLine m={f.classModel} testId="cad-class-model" />
      </dd>
    );
  return (
    <dd data-testid="cad-class-probs" data-benign={p.benign} data-ac={p.AC} data-scc={p.SCC}>
      benign {pct(p.benign)} · AC {pct(p.AC)} · SCC {pct(p.SCC)}
      <ModelLine m={f.classModel} testId="cad-class-model" />
    </dd>
  );
}

function Malignancy({ f }: { f: Finding }) {
  const m = f.malignancy;
  if (!m)
    return (
      <dd className="muted" data-testid="cad-malignancy-none">
        not estimated (no malignancy model in this run)
      </dd>
    );
  return (
    <dd data-testid="cad-malignancy" data-p={m.probability}>
      {pct(m.probability)}{' '}
      <span className="muted">
        ({m.aboveThreshold ? 'at or above' : 'below'} the model's threshold {pct(m.threshold)})
      </span>
      <ModelLine m={f.malignancyModel} testId="cad-malignancy-model" />
    </dd>
  );
}

export function CadFindingCard({ finding: f, onJump, onChanged }: Props) {
  const [editing, setEditing] = useState(false);
  const [showInputs, setShowInputs] = useState(false);
  const note = brockNote(f);
  return (
    <li className="cad-finding" data-testid="cad-finding" data-finding-id={f.id} data-score={f.score ?? ''}>
      <button className="cad-finding-head" onClick={() => onJump(f)} title={`Go to ${f.label}`}>
        <b>{f.label}</b> <span data-testid="cad-score">score {f.score != null ? f.score.toFixed(2) : '—'}</span>
        <span className="muted small-text"> {f.modelId ? `${f.modelId} v${f.modelVersion}` : '(model not recorded)'}</span>
      </button>
      <dl className="cad-kv">
        <dt>Diameter</dt>
        <dd data-testid="cad-diameter">{mm(f.diameterMm)}</dd>
        {f.measurementNote && (
          <dd className="warn small-text" data-testid="cad-measurement-note">
            {f.measurementNote}
          </dd>
        )}
        <dt>Long / short axis</dt>
        <dd>
          {mm(f.longAxisMm)} / {mm(f.shortAxisMm)}
        </dd>
        <dt>Volume</dt>
        <dd>{mm3(f.volumeMm3)}</dd>
        <dt>Mean density</dt>
        <dd>{hu(f.meanHU)}</dd>
        <dt>Type</dt>
        <dd>{f.type ?? '—'}</dd>
        <dt>Lung-RADS</dt>
        <dd data-testid="cad-lungrads">{f.lungRads ? `${f.lungRads} (v2022, baseline)` : '—'}</dd>
        <dt>Brock malignancy</dt>
        <dd data-testid="cad-brock">
          {pct(f.brock)} {note && <span className="muted">({note})</span>}{' '}
          {f.brockInputs?.enteredAt && <span className="origin origin-reader">reader inputs</span>}
        </dd>
        <dt>Malignancy (model)</dt>
        <Malignancy f={f} />
        <dt>Cancer type</dt>
        <CancerType f={f} />
      </dl>
      <CadWhyKept finding={f} />
      <div className="muted small-text">
        Research use only. Measured by Pulmo at the {f.modelId ?? 'CAD'} candidate; Lung-RADS per ACR v2022; Brock per McWilliams 2013 (model 2b).
      </div>
      <div className="cad-row">
        {f.brockInputs && (
          <button className="small ghost" onClick={() => setShowInputs((s) => !s)} data-testid="brock-show-inputs">
            {showInputs ? 'Hide' : 'Show'} Brock inputs
          </button>
        )}
        <button className="small" onClick={() => setEditing((e) => !e)} data-testid="brock-edit">
          Edit Brock inputs
        </button>
      </div>
      {showInputs && f.brockInputs && <BrockInputList i={f.brockInputs} />}
      {editing && <BrockEditor finding={f} onSaved={onChanged} onClose={() => setEditing(false)} />}
    </li>
  );
}
