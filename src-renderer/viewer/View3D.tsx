// The 3D view: volume rendering of the shared image (lung / soft-tissue presets) with finding markers; drag
// rotates, wheel zooms, clicking a marker label sends the MPR views to that finding.
// A software-GL volume rendering can take many seconds and blocks the page while it runs, so 3D never renders
// by itself: only when this view is on screen and the reader asks ("Render 3D"), as a reduced preview first, and
// at full quality only after the reader has left the viewer alone for a moment — any slice scroll, drag or key
// in the meantime cancels the pending full frame. The frame time shown includes waiting for the GPU.
import { useEffect, useRef, useState } from 'react';
import type { Vec3 } from '../../src-main/shared/geometry';
import type { Finding } from '../../src-main/shared/types';
import type { VolumePresetId } from './presets';
import type { MprScene } from './mprScene';
import { SOURCE_COLORS } from './overlayShapes';
import { useViewAttachment } from './useViewAttachment';

interface Props {
  scene: MprScene;
  findings: Finding[];
  preset: VolumePresetId;
  active: boolean;
  onJump(f: Finding): void;
  onActivate(): void;
  onToggleMaximize(): void;
}

/** Quiet time after the last interaction before the full-quality frame starts. */
const FULL_QUALITY_AFTER_MS = 800;

const hexToRgb = (hex: string): [number, number, number] => {
  const n = parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
};

export function View3D({ scene, findings, preset, active, onJump, onActivate, onToggleMaximize }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const canvasHost = useRef<HTMLDivElement>(null);
  const size = useViewAttachment(scene, '3d', canvasHost);
  const [requested, setRequested] = useState(false);
  const [markers, setMarkers] = useState<{ f: Finding; x: number; y: number }[]>([]);
  const [frame, setFrame] = useState<{ ms: number; quality: 'preview' | 'full' } | null>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    scene.setMarkers(findings.map((f) => ({ center: f.centerLPS, radiusMm: (f.diameterMm ?? 6) / 2, color: hexToRgb(SOURCE_COLORS[f.source]) })));
  }, [scene, findings]);

  useEffect(() => scene.set3DPreset(preset), [scene, preset]);

  useEffect(() => {
    if (!requested || !size[0] || !size[1]) return;
    const draw = (quality: 'preview' | 'full') => {
      scene.set3DQuality(quality);
      const t0 = performance.now();
      scene.render('3d');
      scene.finish();
      setFrame({ ms: performance.now() - t0, quality });
      setMarkers(
        findings.flatMap((f) => {
          const p = scene.project3D(f.centerLPS as Vec3);
          return p ? [{ f, ...p }] : [];
        }),
      );
    };
    let full = 0;
    const scheduleFull = () => {
      window.clearTimeout(full);
      full = window.setTimeout(() => {
        full = 0;
        draw('full');
      }, FULL_QUALITY_AFTER_MS);
    };
    // The preview a frame later and after a task turn, so the MPR views are on screen first.
    let previewTimer = 0;
    const raf = requestAnimationFrame(() => {
      previewTimer = window.setTimeout(() => {
        draw('preview');
        scheduleFull();
      }, 0);
    });
    // Reading goes first: any interaction with the viewer postpones the full-quality frame.
    const postpone = () => {
      if (full) scheduleFull();
    };
    const opts = { capture: true, passive: true };
    window.addEventListener('wheel', postpone, opts);
    window.addEventListener('pointerdown', postpone, opts);
    window.addEventListener('keydown', postpone, opts);
    return () => {
      cancelAnimationFrame(raf);
      window.clearTimeout(previewTimer);
      window.clearTimeout(full);
      window.removeEventListener('wheel', postpone, opts);
      window.removeEventListener('pointerdown', postpone, opts);
      window.removeEventListener('keydown', postpone, opts);
    };
  }, [scene, findings, preset, size, tick, requested]);

  useEffect(() => {
    const el = host.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      if (!requested) return;
      scene.zoom3D(Math.exp(-(e.deltaY || e.deltaX) * 0.0015));
      setTick((t) => t + 1);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [scene, requested]);

  return (
    <div
      ref={host}
      className={`mpr-view view-3d${active ? ' active' : ''}`}
      data-testid="view-3d"
      data-render-state={!requested ? 'idle' : (frame?.quality ?? 'pending')}
      onPointerDown={(e) => {
        if ((e.target as HTMLElement).closest('.marker, .render-3d')) return;
        onActivate();
        if (!requested) return;
        host.current!.setPointerCapture(e.pointerId);
        drag.current = { x: e.clientX, y: e.clientY };
      }}
      onPointerMove={(e) => {
        if (!drag.current) return;
        scene.rotate3D(e.clientX - drag.current.x, e.clientY - drag.current.y);
        drag.current = { x: e.clientX, y: e.clientY };
        setTick((t) => t + 1);
      }}
      onPointerUp={() => (drag.current = null)}
      onDoubleClick={onToggleMaximize}
    >
      <div ref={canvasHost} className="gl-host" data-testid="canvas-3d" />
      <div className="view-overlay">
        {!requested && (
          <div className="render-3d-prompt">
            <button className="render-3d" data-testid="render-3d" onClick={() => setRequested(true)}>
              Render 3D
            </button>
            <div className="muted small-text">On demand: volume rendering can take seconds on this graphics; reading is never blocked by it.</div>
          </div>
        )}
        {requested &&
          markers.map(({ f, x, y }, i) => {
            // Findings at the same place (a CAD hit on a reference nodule) stack their labels instead of overlapping.
            const stack = markers.slice(0, i).filter((m) => Math.hypot(m.x - x, m.y - y) < 12).length;
            return (
              <button
                key={f.id}
                className="marker"
                data-testid="marker-3d"
                data-finding-id={f.id}
                style={{ left: x, top: y + stack * 20, borderColor: SOURCE_COLORS[f.source] }}
                title={`${f.label}: go to this finding in the MPR views`}
                onClick={() => onJump(f)}
              >
                {f.label}
              </button>
            );
          })}
        <div className="corner tl">
          <div className="view-name">3D</div>
        </div>
        <div className="corner bl" data-testid="frame-3d">
          {frame ? `${frame.quality === 'preview' ? 'preview' : 'full'} frame ${frame.ms.toFixed(0)} ms` : ''}
        </div>
      </div>
    </div>
  );
}
