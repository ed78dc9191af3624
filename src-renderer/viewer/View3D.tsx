// The 3D view: volume rendering of the shared image (lung / soft-tissue presets) with finding markers; drag
// rotates, wheel zooms, clicking a marker label sends the MPR views to that finding.
import { useEffect, useRef, useState } from 'react';
import type { Vec3 } from '../../src-main/shared/geometry';
import type { Finding } from '../../src-main/shared/types';
import type { VolumePresetId } from './presets';
import type { MprScene } from './mprScene';
import { SOURCE_COLORS } from './overlayShapes';

interface Props {
  scene: MprScene;
  findings: Finding[];
  preset: VolumePresetId;
  active: boolean;
  onJump(f: Finding): void;
  onActivate(): void;
  onToggleMaximize(): void;
}

const hexToRgb = (hex: string): [number, number, number] => {
  const n = parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
};

export function View3D({ scene, findings, preset, active, onJump, onActivate, onToggleMaximize }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const canvasHost = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState<[number, number]>([0, 0]);
  const [markers, setMarkers] = useState<{ f: Finding; x: number; y: number }[]>([]);
  const [frameMs, setFrameMs] = useState<number | null>(null);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const el = canvasHost.current!;
    scene.attach('3d', el);
    const ro = new ResizeObserver(() => {
      scene.resize('3d', el.clientWidth, el.clientHeight);
      setSize([el.clientWidth, el.clientHeight]);
    });
    ro.observe(el);
    return () => {
      ro.disconnect();
      scene.detach('3d');
    };
  }, [scene]);

  useEffect(() => {
    scene.setMarkers(
      findings.map((f) => ({ center: f.centerLPS, radiusMm: (f.diameterMm ?? 6) / 2, color: hexToRgb(SOURCE_COLORS[f.source]) })),
    );
  }, [scene, findings]);

  useEffect(() => scene.set3DPreset(preset), [scene, preset]);

  // Render after any change; a software-GL frame takes a while, so coalesce to one per animation frame.
  useEffect(() => {
    if (!size[0] || !size[1]) return;
    // A frame later and after a task turn, so the MPR views are on screen before a slow (software GL) 3D frame.
    let timer = 0;
    const id = requestAnimationFrame(() => (timer = window.setTimeout(draw, 0)));
    const draw = () => {
      const t0 = performance.now();
      scene.render('3d');
      setFrameMs(performance.now() - t0);
      setMarkers(
        findings.flatMap((f) => {
          const p = scene.project3D(f.centerLPS as Vec3);
          return p ? [{ f, ...p }] : [];
        }),
      );
    };
    return () => {
      cancelAnimationFrame(id);
      window.clearTimeout(timer);
    };
  }, [scene, findings, preset, size, tick]);

  useEffect(() => {
    const el = host.current!;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      scene.zoom3D(Math.exp(-(e.deltaY || e.deltaX) * 0.0015));
      setTick((t) => t + 1);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [scene]);

  return (
    <div
      ref={host}
      className={`mpr-view view-3d${active ? ' active' : ''}`}
      data-testid="view-3d"
      onPointerDown={(e) => {
        if ((e.target as HTMLElement).closest('.marker')) return;
        onActivate();
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
        {markers.map(({ f, x, y }, i) => {
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
        <div className="corner bl">{frameMs != null ? `frame ${frameMs.toFixed(0)} ms` : ''}</div>
      </div>
    </div>
  );
}
