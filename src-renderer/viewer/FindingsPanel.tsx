// Side panel: the findings of the series (CAD, reader, reference) and the stored measurements; click to jump.
import type { ReactNode } from 'react';
import type { Vec3, VolumeGeometry } from '../../src-main/shared/geometry';
import { lpsToIjk } from '../../src-main/shared/geometry';
import type { Finding, Measurement } from '../../src-main/shared/types';
import { distance } from './viewGeometry';
import { SOURCE_COLORS } from './overlayShapes';

interface Props {
  findings: Finding[];
  /** The displayed volume: findings whose centre lies outside it are marked so. */
  geometry: VolumeGeometry;
  measurements: Measurement[];
  crosshair: Vec3;
  onJump(f: Finding): void;
  onJumpTo(p: Vec3): void;
  onDeleteMeasurement(m: Measurement): void;
  /** Panels shown above the findings (the CAD review panel). */
  children?: ReactNode;
}

/** True when p lies outside the imaged volume (beyond half a voxel from the outermost voxel centres). */
const outside = (g: VolumeGeometry, p: Vec3) => lpsToIjk(g, p).some((v, a) => v < -0.5 || v > g.dims[a] - 0.5);

const fmt = (p: Vec3) => p.map((v) => v.toFixed(1)).join(', ');
const midpoint = (m: Measurement): Vec3 => [0, 1, 2].map((a) => (m.pointsLPS[0][a] + m.pointsLPS[1][a]) / 2) as Vec3;

export function FindingsPanel({ findings, geometry, measurements, crosshair, onJump, onJumpTo, onDeleteMeasurement, children }: Props) {
  return (
    <aside className="findings-panel" data-testid="findings-panel">
      {children}
      <h3>Findings ({findings.length})</h3>
      {!findings.length && <p className="muted">No findings stored for this series.</p>}
      <ul>
        {findings.map((f) => (
          <li key={f.id}>
            <button
              className={`finding-row${distance(f.centerLPS, crosshair) < 2 ? ' current' : ''}`}
              data-testid="finding-row"
              data-finding-id={f.id}
              onClick={() => onJump(f)}
              title={`Go to ${f.label}`}
            >
              <span className="swatch" style={{ background: SOURCE_COLORS[f.source] }} />
              <span className="label">{f.label}</span>
              <span className="muted"> {f.source}</span>
              {f.diameterMm != null && <span> · {f.diameterMm.toFixed(1)} mm</span>}
              {f.score != null && <span className="muted"> · score {f.score.toFixed(2)}</span>}
              <div className="muted small-text">LPS ({fmt(f.centerLPS)}) mm</div>
              {outside(geometry, f.centerLPS) && (
                <div className="warn small-text" data-testid="finding-outside">
                  Outside the imaged volume (this series does not cover it)
                </div>
              )}
            </button>
          </li>
        ))}
      </ul>
      <h3>Measurements ({measurements.length})</h3>
      <ul>
        {measurements.map((m) => (
          <li key={m.id} className="measure-row" data-testid="measurement-row" data-measurement-id={m.id}>
            <button className="ghost" onClick={() => onJumpTo(midpoint(m))} title="Go to this measurement">
              {m.label ?? 'Length'}: {m.lengthMm.toFixed(1)} mm
            </button>
            <button className="ghost small" onClick={() => onDeleteMeasurement(m)} title="Delete this measurement (recorded in the audit trail)" data-testid="measurement-delete">
              ✕
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
