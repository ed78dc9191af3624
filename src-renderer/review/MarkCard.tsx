// One mark of the read: a CAD finding to triage (accept / reject with a reason / edit type) or a reader-added
// nodule; every number with its unit, Lung-RADS recomputed by the server on edit.
import { useState } from 'react';
import type { NoduleType } from '../../src-main/shared/types';
import { REJECT_REASONS, REJECT_REASON_TEXT, type ReadMark, type RejectReason } from '../../src-main/shared/readTypes';

interface Props {
  mark: ReadMark;
  current: boolean;
  locked: boolean;
  reason: RejectReason;
  onReason(r: RejectReason): void;
  onJump(): void;
  onAccept(): void;
  onReject(reason: RejectReason, text: string): void;
  onType(t: NoduleType): void;
  /** Re-segment at the crosshair, move the centre to it, or set the diameter (mm). */
  onEdit(e: { seedAtCrosshair?: true; centreAtCrosshair?: true; diameterMm?: number }): void;
}

export function MarkCard({ mark, current, locked, reason, onReason, onJump, onAccept, onReject, onType, onEdit }: Props) {
  const [text, setText] = useState('');
  const [diam, setDiam] = useState('');
  const f = mark.finding;
  return (
    <li className={`mark mark-${mark.decision}${current ? ' current' : ''}`} data-testid="read-mark" data-finding-id={mark.findingId} data-decision={mark.decision}>
      <button className="ghost mark-head" onClick={onJump} title={`Go to ${f.label}`}>
        <b>{f.label}</b> <span className="muted">{mark.origin === 'cad' ? 'CAD' : 'reader'}</span> · {f.diameterMm != null ? `${f.diameterMm.toFixed(1)} mm` : 'not measured'} · {f.type ?? '—'} · LR{' '}
        <b data-testid="mark-lungrads">{f.lungRads ?? '—'}</b>
        <span className={`decision decision-${mark.decision}`} data-testid="mark-decision">
          {' '}
          {mark.decision}
          {mark.rejectReason ? `: ${REJECT_REASON_TEXT[mark.rejectReason]}${mark.rejectText ? ` (${mark.rejectText})` : ''}` : ''}
          {mark.edited ? ' · edited' : ''}
        </span>
      </button>
      {!locked && (
        <div className="mark-actions">
          {mark.origin === 'cad' && (
            <>
              <button className="small" onClick={onAccept} data-testid="mark-accept" title="Accept (A)">
                Accept
              </button>
              <select value={reason} onChange={(e) => onReason(e.target.value as RejectReason)} aria-label="Rejection reason" data-testid="mark-reason">
                {REJECT_REASONS.map((r) => (
                  <option key={r} value={r}>
                    {REJECT_REASON_TEXT[r]}
                  </option>
                ))}
              </select>
              {reason === 'other' && <input className="narrow" value={text} onChange={(e) => setText(e.target.value)} placeholder="why" aria-label="Rejection text" data-testid="mark-reason-text" />}
              <button className="small" onClick={() => onReject(reason, text)} data-testid="mark-reject" title="Reject with the selected reason (X)">
                Reject
              </button>
            </>
          )}
          <select value={f.type ?? ''} onChange={(e) => onType(e.target.value as NoduleType)} aria-label="Nodule type" data-testid="mark-type">
            <option value="" disabled>
              type…
            </option>
            <option value="solid">solid</option>
            <option value="part-solid">part-solid</option>
            <option value="ground-glass">ground-glass</option>
          </select>
          <button className="small ghost" onClick={() => onEdit({ seedAtCrosshair: true })} title="Segment and measure again from the crosshair" data-testid="mark-resegment">
            Re-segment here
          </button>
          <button className="small ghost" onClick={() => onEdit({ centreAtCrosshair: true })} title="Move the centre to the crosshair (measures kept)" data-testid="mark-move">
            Move here
          </button>
          <input className="narrow" value={diam} onChange={(e) => setDiam(e.target.value)} placeholder="mm" aria-label="Diameter (mm)" data-testid="mark-diameter" />
          <button className="small ghost" disabled={!(Number(diam) >= 1)} onClick={() => onEdit({ diameterMm: Number(diam) })} data-testid="mark-diameter-set">
            Set Ø
          </button>
        </div>
      )}
    </li>
  );
}
