// The reader's Brock inputs for one finding. Age and sex come from DICOM; only where DICOM has none can the
// reader enter them (recorded as the reader's, audited). The nodule count starts at the findings at the run's
// operating point. Saved through findings.setBrockInputs (recomputed, audited).
import { useState } from 'react';
import type { Finding } from '../../src-main/shared/types';
import { api } from '../api/client';

interface Props {
  finding: Finding;
  onSaved(f: Finding): void;
  onClose(): void;
}

export function BrockEditor({ finding, onSaved, onClose }: Props) {
  const cur = finding.brockInputs ?? null;
  const [familyHistory, setFamilyHistory] = useState(cur?.familyHistory ?? false);
  const [emphysema, setEmphysema] = useState(cur?.emphysema ?? false);
  const [spiculation, setSpiculation] = useState(cur?.spiculation ?? false);
  const [upperLobe, setUpperLobe] = useState<'keep' | 'yes' | 'no'>(cur?.upperLobe == null ? 'keep' : cur.upperLobe ? 'yes' : 'no');
  const [count, setCount] = useState(cur ? String(cur.noduleCount) : '');
  const askAge = !cur || cur.ageYears === null || cur.origin.ageYears === 'reader';
  const askSex = !cur || cur.sex === null || cur.origin.sex === 'reader';
  const [age, setAge] = useState(cur?.ageYears != null && askAge ? String(cur.ageYears) : '');
  const [sex, setSex] = useState<'' | 'M' | 'F'>(cur?.sex != null && askSex ? cur.sex : '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      const lobe = upperLobe === 'keep' ? undefined : upperLobe === 'yes';
      const n = count.trim() === '' ? undefined : Number(count);
      const f = await api().call('findings.setBrockInputs', {
        findingId: finding.id,
        familyHistory,
        emphysema,
        spiculation,
        // Send the lobe and count only when the reader changed them, so the record says who set them.
        upperLobe: lobe !== undefined && lobe !== cur?.upperLobe ? lobe : undefined,
        noduleCount: n === undefined || n === cur?.noduleCount ? undefined : n,
        ageYears: askAge && age.trim() !== '' ? Number(age) : undefined,
        sex: askSex && sex ? sex : undefined,
      });
      onSaved(f);
      onClose();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="brock-editor" data-testid="brock-editor">
      <label>
        <input type="checkbox" checked={familyHistory} onChange={(e) => setFamilyHistory(e.target.checked)} data-testid="brock-family" /> Family history of lung cancer
      </label>
      <label>
        <input type="checkbox" checked={emphysema} onChange={(e) => setEmphysema(e.target.checked)} data-testid="brock-emphysema" /> Emphysema
      </label>
      <label>
        <input type="checkbox" checked={spiculation} onChange={(e) => setSpiculation(e.target.checked)} data-testid="brock-spiculation" /> Spiculation
      </label>
      <label>
        Upper lobe{' '}
        <select value={upperLobe} onChange={(e) => setUpperLobe(e.target.value as 'keep' | 'yes' | 'no')} data-testid="brock-upper-lobe">
          {cur?.upperLobe == null && <option value="keep">not known</option>}
          <option value="yes">yes</option>
          <option value="no">no</option>
        </select>
      </label>
      {askAge && (
        <label>
          Age (not in DICOM){' '}
          <input type="number" min={18} max={110} value={age} onChange={(e) => setAge(e.target.value)} className="narrow" data-testid="brock-age" />
        </label>
      )}
      {askSex && (
        <label>
          Sex (not in DICOM){' '}
          <select value={sex} onChange={(e) => setSex(e.target.value as '' | 'M' | 'F')} data-testid="brock-sex">
            <option value="">unknown</option>
            <option value="F">female</option>
            <option value="M">male</option>
          </select>
        </label>
      )}
      <label title="Nodules in this scan; starts at the CAD findings at the run's operating point">
        Nodule count <input type="number" min={1} max={100} value={count} onChange={(e) => setCount(e.target.value)} className="narrow" data-testid="brock-count" />
      </label>
      <div className="cad-row">
        <button className="small" onClick={() => void save()} disabled={busy} data-testid="brock-save">
          Save &amp; recompute
        </button>
        <button className="small ghost" onClick={onClose}>
          Cancel
        </button>
      </div>
      {error && <div className="error small-text" data-testid="brock-error">{error}</div>}
    </div>
  );
}
