// One MPR view: the vtk canvas (a child of the shared scene), the overlay above it, and the mouse handling
// (click = crosshair, drag = pan, right-drag = window/level, wheel = slice, shift-wheel = 5 slices,
// ctrl-wheel = zoom about the cursor; length and HU ROI tools: two clicks, Esc cancels).
import { useEffect, useMemo, useRef, useState } from 'react';
import type { HuVolume, Vec3 } from '../../src-main/shared/geometry';
import type { Finding, Measurement } from '../../src-main/shared/types';
import {
  distance,
  effectiveBasis,
  frameFor,
  sampleHU,
  screenToWorld,
  sliceIndexAt,
  stepSlice,
  worldToScreen,
  type Oblique,
  type ViewOrientation,
} from './viewGeometry';
import { useViewerStore, type CaseViewState } from '../state/viewerStore';
import type { MprScene } from './mprScene';
import { ViewOverlay, type Roi } from './ViewOverlay';
import { VIEW_COLORS } from './presets';
import { exposeEntryForTests } from './testHooks';
import { useViewAttachment } from './useViewAttachment';
import { clickedPoint, panForZoomAbout, roiStats, sliceLabel } from './viewMath';

interface Props {
  scene: MprScene;
  volume: HuVolume;
  volumeId: string;
  orientation: ViewOrientation;
  state: CaseViewState;
  findings: Finding[];
  measurements: Measurement[];
  onMeasure(points: [Vec3, Vec3]): void;
  /** How the HU under the cursor was obtained, shown next to it. */
  huNote: string;
  onToggleMaximize(): void;
}

interface Drag {
  button: number;
  /** Alt+drag rotates the other planes about this view's normal: start angle of the pointer and rotation. */
  rotate: { a0: number; base: number } | null;
  x0: number;
  y0: number;
  moved: boolean;
  pan: [number, number];
  window: number;
  level: number;
}

/** A double click maximises; the two clicks before it must not move the crosshair, so their move is undone. */
const DOUBLE_CLICK_MS = 500;

export function MprView({ scene, volume, volumeId, orientation, state, findings, measurements, onMeasure, onToggleMaximize, huNote }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const canvasHost = useRef<HTMLDivElement>(null);
  const size = useViewAttachment(scene, orientation, canvasHost);
  // Only the cursor's screen position is state: the LPS point and HU under it follow the frame (wheel, cine).
  const [cursor, setCursor] = useState<{ x: number; y: number } | null>(null);
  const [pending, setPending] = useState<Vec3 | null>(null);
  const [roi, setRoi] = useState<Roi | null>(null);
  const drag = useRef<Drag | null>(null);
  const beforeClick = useRef<{ crosshair: Vec3; at: number } | null>(null);
  const update = useViewerStore((s) => s.update);
  const updateView = useViewerStore((s) => s.updateView);
  const g = volume.geometry;
  const basis = useMemo(() => effectiveBasis(g, orientation, state.oblique), [g, orientation, state.oblique]);
  const zp = state.views[orientation];
  const frame = useMemo(() => frameFor(g, basis, state.crosshair, zp.zoom, zp.pan, size[0], size[1]), [g, basis, state.crosshair, zp.zoom, zp.pan, size]);
  const hover = useMemo(() => {
    if (!cursor) return null;
    const p = screenToWorld(frame, cursor.x, cursor.y);
    return { ...cursor, p, hu: sampleHU(volume.voxels, g, p) };
  }, [cursor, frame, volume, g]);

  // Push the view state into vtk and render this view only — and only when its picture changes: paging the axial
  // view moves the crosshair, but the coronal and sagittal planes stay where they are (a software-GL frame costs
  // tens of ms per view, so cine and scrolling would otherwise pay three frames per step).
  const drawn = useRef('');
  useEffect(() => {
    if (!size[0] || !size[1]) return;
    const n = frame.basis.normal;
    const key = JSON.stringify([frame, n[0] * state.crosshair[0] + n[1] * state.crosshair[1] + n[2] * state.crosshair[2], state.slab, state.slabMm, state.window, state.level]);
    if (key !== drawn.current) {
      drawn.current = key;
      scene.setMpr(orientation, { frame, planeOrigin: state.crosshair, slab: state.slab, slabMm: state.slabMm, window: state.window, level: state.level });
      scene.render(orientation);
    }
    // The e2e tests and the benchmark map LPS to pixels exactly as the overlay does.
    exposeEntryForTests('__pulmoFrames', orientation, { ...frame, planeOrigin: state.crosshair, renderedAt: performance.now() });
  }, [scene, orientation, frame, state.crosshair, state.slab, state.slabMm, state.window, state.level, size]);

  // A tool gesture in progress ends with the tool, and Esc cancels it whole (never half a measurement).
  useEffect(() => {
    setPending(null);
    if (state.tool !== 'roi') setRoi(null);
  }, [state.tool]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      setPending(null);
      setRoi(null);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // Wheel needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const el = host.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const delta = e.deltaY || e.deltaX;
      if (!delta) return;
      const st = useViewerStore.getState().cases[volumeId];
      if (!st) return;
      const r = el.getBoundingClientRect();
      const x = e.clientX - r.left;
      const y = e.clientY - r.top;
      setCursor({ x, y });
      const b = effectiveBasis(g, orientation, st.oblique);
      if (e.ctrlKey || e.metaKey) {
        // Zoom about the cursor: the point under it stays under it.
        const cur = st.views[orientation];
        const z = Math.min(40, Math.max(0.2, cur.zoom * Math.exp(-delta * 0.0015)));
        const f = frameFor(g, b, st.crosshair, cur.zoom, cur.pan, el.clientWidth, el.clientHeight);
        updateView(volumeId, orientation, { zoom: z, pan: panForZoomAbout(f, cur.pan, x, y, cur.zoom, z) });
        return;
      }
      const steps = Math.sign(delta) * (e.shiftKey ? 5 : 1);
      update(volumeId, { crosshair: stepSlice(g, b, st.crosshair, steps), active: orientation });
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [volumeId, orientation, g, update, updateView]);

  const local = (e: React.PointerEvent | React.MouseEvent) => {
    const r = host.current!.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  const onPointerDown = (e: React.PointerEvent) => {
    const { x, y } = local(e);
    host.current!.setPointerCapture(e.pointerId);
    const c = worldToScreen(frame, state.crosshair);
    const rotate = e.altKey && e.button === 0 ? { a0: Math.atan2(y - c.y, x - c.x), base: state.oblique?.about === orientation ? state.oblique.radians : 0 } : null;
    drag.current = { button: e.button, rotate, x0: x, y0: y, moved: false, pan: zp.pan, window: state.window, level: state.level };
    if (state.active !== orientation) update(volumeId, { active: orientation });
  };

  const onPointerMove = (e: React.PointerEvent) => {
    const { x, y } = local(e);
    const d = drag.current;
    if (d) {
      const dx = x - d.x0;
      const dy = y - d.y0;
      if (!d.moved && Math.hypot(dx, dy) < 3) return;
      d.moved = true;
      if (d.rotate) {
        // Screen angles grow clockwise (y down); a positive rotation about the normal is counter-clockwise.
        const c = worldToScreen(frame, state.crosshair);
        const a = Math.atan2(y - c.y, x - c.x);
        update(volumeId, { oblique: { about: orientation, radians: d.rotate.base - (a - d.rotate.a0) } });
      } else if (d.button === 2) {
        // Right-drag: horizontal = window width, vertical = level (HU).
        update(volumeId, { window: Math.max(1, Math.round(d.window + dx * 4)), level: Math.round(d.level + dy * 2), presetId: 'custom' });
      } else if (d.button === 0 || d.button === 1) {
        if (state.tool !== 'navigate' && d.button === 0) return;
        updateView(volumeId, orientation, { pan: [d.pan[0] - dx * frame.mmPerPx, d.pan[1] + dy * frame.mmPerPx] });
      }
      return;
    }
    setCursor({ x, y });
  };

  const onPointerUp = (e: React.PointerEvent) => {
    const d = drag.current;
    drag.current = null;
    if (!d || d.moved || d.button !== 0) return;
    const { x, y } = local(e);
    // Inside the volume: a click in the black margin moves the crosshair (or a tool point) to the nearest edge.
    const p = clickedPoint(g, frame, x, y);
    if (state.tool === 'length' || state.tool === 'roi') {
      if (!pending) {
        setPending(p);
        if (state.tool === 'roi') setRoi(null);
      } else if (state.tool === 'length') {
        onMeasure([pending, p]);
        setPending(null);
      } else {
        setRoi({ center: pending, radiusMm: distance(pending, p), stats: roiStats(volume.voxels, g, basis, pending, distance(pending, p)) });
        setPending(null);
      }
      return;
    }
    // Event time stamps (when the input happened), not handler times: a busy page runs handlers late, and the
    // two clicks of a double click must still be recognised as one gesture.
    const now = e.timeStamp;
    if (!beforeClick.current || now - beforeClick.current.at > DOUBLE_CLICK_MS) beforeClick.current = { crosshair: state.crosshair, at: now };
    update(volumeId, { crosshair: p });
  };

  const onDoubleClick = (e: React.MouseEvent) => {
    // Undo the crosshair moves of the two clicks that made this double click, then maximise / restore.
    const before = beforeClick.current;
    if (before && e.timeStamp - before.at <= DOUBLE_CLICK_MS * 2) update(volumeId, { crosshair: before.crosshair });
    beforeClick.current = null;
    onToggleMaximize();
  };

  const sliceIdx = Math.round(sliceIndexAt(g, basis, state.crosshair));
  const label = sliceLabel(g, orientation, basis, sliceIdx);
  const previewEnd = pending && hover ? hover.p : pending;
  return (
    <div
      ref={host}
      className={`mpr-view${state.active === orientation ? ' active' : ''}`}
      data-testid={`view-${orientation}`}
      data-slice={sliceIdx}
      data-slice-number={label.number}
      data-instance-number={label.instanceNumber ?? ''}
      style={{ borderColor: state.active === orientation ? VIEW_COLORS[orientation] : undefined }}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerLeave={() => setCursor(null)}
      onContextMenu={(e) => e.preventDefault()}
      onDoubleClick={onDoubleClick}
    >
      <div ref={canvasHost} className="gl-host" data-testid={`canvas-${orientation}`} />
      {size[0] > 0 && (
        <ViewOverlay
          orientation={orientation}
          frame={frame}
          geometry={g}
          state={state}
          slice={label}
          findings={findings}
          measurements={measurements}
          hover={hover}
          huNote={huNote}
          tool={state.tool}
          pending={pending && previewEnd ? [pending, previewEnd] : null}
          roi={roi}
        />
      )}
    </div>
  );
}

/** Moves the crosshair `steps` slices in the given view (keyboard, cine). */
export function stepView(volume: HuVolume, orientation: ViewOrientation, oblique: Oblique | null, crosshair: Vec3, steps: number, wrap = false): Vec3 {
  const g = volume.geometry;
  const basis = effectiveBasis(g, orientation, oblique);
  const next = stepSlice(g, basis, crosshair, steps);
  if (!wrap) return next;
  const moved = Math.hypot(next[0] - crosshair[0], next[1] - crosshair[1], next[2] - crosshair[2]) > 1e-6;
  if (moved) return next;
  // At an end: jump to the other end for cine loops.
  return stepSlice(g, basis, crosshair, -Math.sign(steps) * Math.max(...g.dims) * 4);
}
