// The overlay above one MPR view: crosshair lines of the other planes, findings cut by this plane, measurements,
// orientation letters and the corner text (slice, position in LPS mm, HU under the cursor, W/L, slab).
// Every number shown here is computed from the volume, its geometry or the stored findings.
import { useState } from 'react';
import type { Vec3, VolumeGeometry } from '../../src-main/shared/geometry';
import type { Finding, Measurement } from '../../src-main/shared/types';
import { cross } from '../../src-main/shared/geometry';
import {
  distance,
  effectiveBasis,
  orientationLabels,
  worldToScreen,
  type Plane,
  type ViewFrame,
  type ViewOrientation,
} from './viewGeometry';
import type { CaseViewState } from '../state/viewerStore';
import { findingOverlays, measurementOverlays, type Pt, type Shape } from './overlayShapes';
import { SLAB_MODES, VIEW_COLORS } from './presets';

interface Props {
  orientation: ViewOrientation;
  frame: ViewFrame;
  geometry: VolumeGeometry;
  state: CaseViewState;
  sliceIndex: number;
  findings: Finding[];
  measurements: Measurement[];
  hover: { x: number; y: number; p: Vec3; hu: number | null } | null;
  pending: [Vec3, Vec3] | null;
  huNote: string;
}

const ORIENTATIONS: ViewOrientation[] = ['axial', 'coronal', 'sagittal'];
const fmt = (v: number, d = 1) => (Object.is(Math.round(v * 10 ** d), -0) ? 0 : v).toFixed(d);
const fmtLps = (p: Vec3) => `${fmt(p[0])}, ${fmt(p[1])}, ${fmt(p[2])}`;

function ShapeEl({ s, color, dashed }: { s: Shape; color: string; dashed: boolean }) {
  const dash = dashed ? '5 3' : undefined;
  if (s.kind === 'circle') return <circle cx={s.c.x} cy={s.c.y} r={s.r} stroke={color} strokeDasharray={dash} />;
  if (s.kind === 'segment') return <line x1={s.a.x} y1={s.a.y} x2={s.b.x} y2={s.b.y} stroke={color} />;
  return <polygon points={s.points.map((p) => `${p.x},${p.y}`).join(' ')} stroke={color} strokeDasharray={dash} />;
}

/** The line where another view's plane cuts this one, clipped to the viewport, through the crosshair. */
function crossLine(frame: ViewFrame, other: Vec3, through: Pt): [Pt, Pt] | null {
  const dir = cross(frame.basis.normal, other);
  const dx = dir[0] * frame.basis.right[0] + dir[1] * frame.basis.right[1] + dir[2] * frame.basis.right[2];
  const dy = -(dir[0] * frame.basis.up[0] + dir[1] * frame.basis.up[1] + dir[2] * frame.basis.up[2]);
  const len = Math.hypot(dx, dy);
  if (len < 1e-6) return null;
  const L = frame.widthPx + frame.heightPx;
  return [
    { x: through.x - (dx / len) * L, y: through.y - (dy / len) * L },
    { x: through.x + (dx / len) * L, y: through.y + (dy / len) * L },
  ];
}

export function ViewOverlay({ orientation, frame, geometry, state, sliceIndex, findings, measurements, hover, pending, huNote }: Props) {
  const [hovered, setHovered] = useState<string | null>(null);
  const plane: Plane = { origin: state.crosshair, normal: frame.basis.normal };
  const slabHalf = state.slab === 'thin' ? 0 : state.slabMm / 2;
  const tol = Math.max(frame.basis.sliceSpacingMm / 2, slabHalf);
  const overlays = findingOverlays(frame, plane, findings, tol);
  const ms = measurementOverlays(frame, plane, measurements, tol);
  const cross0 = worldToScreen(frame, state.crosshair);
  const labels = orientationLabels(frame.basis);
  const nSlices = geometry.dims[frame.basis.sliceAxis];
  const slabName = SLAB_MODES.find((m) => m.id === state.slab)!.name;
  return (
    <div className="view-overlay">
      <svg className="overlay-svg" width={frame.widthPx} height={frame.heightPx} data-testid={`overlay-${orientation}`}>
        <g data-testid={`crosshair-${orientation}`} data-x={cross0.x.toFixed(1)} data-y={cross0.y.toFixed(1)} className="crosshair">
          {ORIENTATIONS.filter((o) => o !== orientation).map((o) => {
            const line = crossLine(frame, effectiveBasis(geometry, o, state.oblique).normal, cross0);
            return line ? <line key={o} x1={line[0].x} y1={line[0].y} x2={line[1].x} y2={line[1].y} stroke={VIEW_COLORS[o]} /> : null;
          })}
        </g>
        {overlays.map((o) => (
          <g
            key={o.finding.id}
            className={`finding finding-${o.finding.source}`}
            data-finding-id={o.finding.id}
            data-source={o.finding.source}
            onPointerEnter={() => setHovered(o.finding.id)}
            onPointerLeave={() => setHovered(null)}
          >
            {o.shapes.map((s, i) => (
              <ShapeEl key={i} s={s} color={o.color} dashed={o.finding.source === 'cad'} />
            ))}
            {hovered === o.finding.id && (
              <text x={o.anchor.x} y={o.anchor.y} fill={o.color} className="finding-label">
                {o.finding.label}
                {o.finding.diameterMm != null ? ` · ${fmt(o.finding.diameterMm)} mm` : ''}
                {o.finding.score != null ? ` · score ${o.finding.score.toFixed(2)}` : ''}
              </text>
            )}
          </g>
        ))}
        {ms.map(({ m, a, b }) => (
          <g key={m.id} className="measurement" data-testid="measurement">
            <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
            <text x={b.x + 6} y={b.y - 6}>{fmt(m.lengthMm)} mm</text>
          </g>
        ))}
        {pending && (
          <g className="measurement pending">
            {(() => {
              const a = worldToScreen(frame, pending[0]);
              const b = worldToScreen(frame, pending[1]);
              return (
                <>
                  <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
                  <text x={b.x + 6} y={b.y - 6}>{fmt(distance(pending[0], pending[1]))} mm</text>
                </>
              );
            })()}
          </g>
        )}
      </svg>
      <div className="orient top">{labels.top}</div>
      <div className="orient bottom">{labels.bottom}</div>
      <div className="orient left">{labels.left}</div>
      <div className="orient right">{labels.right}</div>
      <div className="corner tl">
        <div className="view-name" style={{ color: VIEW_COLORS[orientation] }}>{orientation}</div>
        <div data-testid={`slice-${orientation}`}>
          {frame.basis.obliqueDeg
            ? `Oblique ${fmt(frame.basis.obliqueDeg)}° about the ${state.oblique?.about} normal, steps ${fmt(frame.basis.sliceSpacingMm, 2)} mm`
            : `Slice ${sliceIndex + 1} / ${nSlices} (${fmt(frame.basis.sliceSpacingMm, 2)} mm)`}
        </div>
        <div>Crosshair LPS ({fmtLps(state.crosshair)}) mm</div>
      </div>
      <div className="corner bl">
        <div>
          W {state.window} / L {state.level} HU{state.presetId !== 'custom' ? ` (${state.presetId})` : ''}
        </div>
        <div data-testid={`slab-${orientation}`}>{state.slab === 'thin' ? 'Thin slice' : `${slabName} slab ${fmt(state.slabMm)} mm`}</div>
      </div>
      <div className="corner tr">
        {hover ? (
          <>
            <div>Cursor LPS ({fmtLps(hover.p)}) mm</div>
            <div data-testid={`hu-${orientation}`}>{hover.hu == null ? 'outside the volume' : `${hover.hu} HU (${huNote})`}</div>
          </>
        ) : null}
      </div>
      <div className="corner br">{fmt(frame.mmPerPx, 3)} mm/px</div>
    </div>
  );
}
