// The `?` keyboard help sheet.
import { useEffect, useRef } from 'react';
import { SHORTCUTS } from './shortcuts';

export function HelpSheet({ onClose }: { onClose(): void }) {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="panel help-sheet" data-testid="help-sheet" onClick={(e) => e.stopPropagation()}>
        <div className="panel-head">
          <h2>Keyboard and mouse</h2>
          <button className="ghost" onClick={onClose}>
            Close
          </button>
        </div>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <td>
                  <kbd>{s.keys}</kbd>
                </td>
                <td>{s.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">Positions are in the patient coordinate system LPS (mm); HU are read from the nearest voxel of the loaded volume.</p>
      </div>
    </div>
  );
}
