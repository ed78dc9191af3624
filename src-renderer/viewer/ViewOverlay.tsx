// The overlay above one MPR view: crosshair lines of the other planes, findings cut by this plane, measurements,
// orientation letters and the corner text (slice, position in LPS mm, HU under the cursor, W/L, slab), and the
// HU ROI. Every number shown here is computed from the volume, its geometry or the stored findings.
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
import type { CaseViewState, Tool } from '../state/viewerStore';
import { findingOverlays, measurementOverlays, overlayAt, type Pt, type Shape } from './overlayShapes';
import type { RoiStats } from './viewMath';
import { SLAB_MODES, VIEW_COLORS } from './presets';

interface Props {
  orientation: ViewOrientation;
  frame: ViewFrame;
  geometry: VolumeGeometry;
  state: CaseViewState;
  slice: { number: number; of: number; instanceNumber: number | null };
  findings: Finding[];
  measurements: Measurement[];
  hover: { x: number; y: number; p: Vec3; hu: number | null } | null;
  tool: Tool;
  /** A length or ROI gesture in progress: its first point and the cursor. */
  pending: [Vec3, Vec3] | null;
  roi: Roi | null;
  huNote: string;
}

/** An HU region of interest: a circle on the view plane and the statistics of the voxels inside it. */
export interface Roi {
  center: Vec3;
  radiusMm: number;
  stats: RoiStats | null;
}

const ORIENTATIONS: ViewOrientation[] = ['axial', 'coronal', 'sagittal'];
const fmt = (v: number, d = 1) => (Object.is(Math.round(v * 10 ** d), -0) ? 0 : v).toFixed(d);
const fmtLps = (p: Vec3) => `${fmt(p[0])}, ${fmt(p[1])}, ${fmt(p[2])}`;

/** Signed distance (mm) of p from the plane. */
const dot3 = (p: Vec3, plane: Plane) => (p[0] - plane.origin[0]) * plane.normal[0] + (p[1] - plane.origin[1]) * plane.normal[1] + (p[2] - plane.origin[2]) * plane.normal[2];

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

export function ViewOverlay({ orientation, frame, geometry, state, slice, findings, measurements, hover, tool, pending, roi, huNote }: Props) {
  const plane: Plane = { origin: state.crosshair, normal: frame.basis.normal };
  const slabHalf = state.slab === 'thin' ? 0 : state.slabMm / 2;
  const tol = Math.max(frame.basis.sliceSpacingMm / 2, slabHalf);
  // Marks = CAD findings; outlines = reader and reference contours. Each can be hidden with one key.
  const drawn = findings.filter((f) => (f.source === 'cad' ? state.show.marks : state.show.outlines));
  const overlays = findingOverlays(frame, plane, drawn, tol);
  // The label of the mark under the cursor, found geometrically (a 2 px outline is too thin to hover).
  const hovered = hover ? (overlayAt(overlays, hover)?.finding.id ?? null) : null;
  const ms = measurementOverlays(frame, plane, measurements, tol);
  const cross0 = worldToScreen(frame, state.crosshair);
  const labels = orientationLabels(frame.basis);
  const slabName = SLAB_MODES.find((m) => m.id === state.slab)!.name;
  return (
    <div className="view-overlay">
      <svg className="overlay-svg" width={frame.widthPx} height={frame.heightPx} data-testid={`overlay-${orientation}`}>
        <g data-testid={`crosshair-${orientation}`} data-x={cross0.x.toFixed(1)} data-y={cross0.y.toFixed(1)} className="crosshair" visibility={state.show.crosshair ? undefined : 'hidden'}>
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
          <g className="measurement pending" data-testid="pending-gesture">
            {(() => {
              const a = worldToScreen(frame, pending[0]);
              const b = worldToScreen(frame, pending[1]);
              const mm = distance(pending[0], pending[1]);
              return tool === 'roi' ? (
                <>
                  <circle cx={a.x} cy={a.y} r={mm / frame.mmPerPx} />
                  <text x={b.x + 6} y={b.y - 6}>r {fmt(mm)} mm</text>
                </>
              ) : (
                <>
                  <line x1={a.x} y1={a.y} x2={b.x} y2={b.y} />
                  <text x={b.x + 6} y={b.y - 6}>{fmt(mm)} mm</text>
                </>
              );
            })()}
          </g>
        )}
        {roi && Math.abs(dot3(roi.center, plane)) <= tol && (
          <g className="measurement roi" data-testid={`roi-${orientation}`} data-center={roi.center.join(',')} data-radius={roi.radiusMm}>
            {(() => {
              const c = worldToScreen(frame, roi.center);
              const r = roi.radiusMm / frame.mmPerPx;
              const st = roi.stats;
              // The text goes on the side of the circle with room for it (never cut by the view's edge).
              const right = c.x + r + 230 < frame.widthPx;
              const tx = right ? c.x + r + 6 : c.x - r - 6;
              const anchor = right ? 'start' : 'end';
              return (
                <>
                  <circle cx={c.x} cy={c.y} r={r} />
                  <text x={tx} y={c.y - 8} textAnchor={anchor} data-testid="roi-stats" data-mean={st?.mean ?? ''} data-sd={st?.sd ?? ''} data-min={st?.min ?? ''} data-max={st?.max ?? ''} data-n={st?.n ?? 0}>
                    {st ? `mean ${fmt(st.mean)} ± ${fmt(st.sd)} HU` : 'no voxels (oblique plane or outside)'}
                  </text>
                  {st && (
                    <text x={tx} y={c.y + 8} textAnchor={anchor}>
                      min {st.min} / max {st.max} HU · {st.n} voxels · {fmt(st.areaMm2)} mm²
                    </text>
                  )}
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
            : `Slice ${slice.number} / ${slice.of} (${fmt(frame.basis.sliceSpacingMm, 2)} mm)${slice.instanceNumber != null ? ` · Im ${slice.instanceNumber}` : ''}`}
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
            <div data-testid={`hu-${orientation}`} data-lps={hover.p.map((v) => v.toFixed(2)).join(',')}>{hover.hu == null ? 'outside the volume' : `${hover.hu} HU (${huNote})`}</div>
          </>
        ) : null}
      </div>
      <div className="corner br">{fmt(frame.mmPerPx, 3)} mm/px</div>
    </div>
  );
}
