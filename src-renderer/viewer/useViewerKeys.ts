// The viewer's keyboard shortcuts (documented in shortcuts.ts), acting on the active view of this case.
import { useEffect, useRef } from 'react';
import type { HuVolume, Vec3 } from '../../src-main/shared/geometry';
import type { Finding } from '../../src-main/shared/types';
import { distance, type ViewOrientation } from './viewGeometry';
import { useViewerStore, type Layout } from '../state/viewerStore';
import { stepView } from './MprView';
import { MAX_SLAB_MM, SLAB_MODES, WINDOW_PRESETS } from './presets';

interface Options {
  volume: HuVolume;
  volumeId: string;
  findings: Finding[];
  onHelp(): void;
  onCine(): void;
  onJump(f: Finding): void;
}

const LAYOUT_CYCLE: Layout[] = ['1x1', '1+2', '1x3', '2x2'];
const ACTIVATE: Record<string, ViewOrientation | '3d'> = { a: 'axial', o: 'coronal', g: 'sagittal', v: '3d' };

export function useViewerKeys(options: Options): void {
  // One listener for the viewer's lifetime: re-subscribing on every render could drop a key press (a listener
  // removed while an event is being dispatched is not called).
  const latest = useRef(options);
  latest.current = options;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { volume, volumeId, findings, onHelp, onCine, onJump } = latest.current;
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA')) return;
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const store = useViewerStore.getState();
      const s = store.cases[volumeId];
      if (!s) return;
      const set = (p: Parameters<typeof store.update>[1]) => store.update(volumeId, p);
      const view: ViewOrientation = s.active === '3d' ? 'axial' : s.active;
      const step = (n: number) => set({ crosshair: stepView(volume, view, s.oblique, s.crosshair, n) });
      const rotate = (deg: number) => {
        const base = s.oblique?.about === view ? s.oblique.radians : 0;
        set({ oblique: { about: view, radians: base + (deg * Math.PI) / 180 } });
      };
      const key = e.key;
      const preset = WINDOW_PRESETS.find((p) => p.key === key);
      let handled = true;
      if (key === '?') onHelp();
      else if (preset) set({ window: preset.window, level: preset.level, presetId: preset.id });
      else if (key === 'ArrowUp') step(-1);
      else if (key === 'ArrowDown') step(1);
      else if (key === 'PageUp') step(-5);
      else if (key === 'PageDown') step(5);
      else if (key === 'Home') step(-100000);
      else if (key === 'End') step(100000);
      else if (key === 's' || key === 'S') {
        const i = SLAB_MODES.findIndex((m) => m.id === s.slab);
        set({ slab: SLAB_MODES[(i + 1) % SLAB_MODES.length].id });
      } else if (key === '[') set({ slabMm: Math.max(0, s.slabMm - 1) });
      else if (key === ']') set({ slabMm: Math.min(MAX_SLAB_MM, s.slabMm + 1) });
      else if (key === 'l' || key === 'L') set({ layout: LAYOUT_CYCLE[(LAYOUT_CYCLE.indexOf(s.layout) + 1) % LAYOUT_CYCLE.length], maximized: null });
      else if (key === 'x' || key === 'X') set({ show: { ...s.show, crosshair: !s.show.crosshair } });
      else if (key === 'k' || key === 'K') set({ show: { ...s.show, marks: !s.show.marks } });
      else if (key === 'u' || key === 'U') set({ show: { ...s.show, outlines: !s.show.outlines } });
      else if (key === 'h' || key === 'H') set({ tool: 'roi' });
      else if (ACTIVATE[key.toLowerCase()] && key.length === 1) set({ active: ACTIVATE[key.toLowerCase()] });
      else if (key === '.') rotate(5);
      else if (key === ',') rotate(-5);
      else if (key === 'm' || key === 'M') set({ tool: 'length' });
      else if (key === 'n' || key === 'N' || key === 'Escape') set({ tool: 'navigate' });
      else if (key === 'c' || key === 'C') onCine();
      else if (key === 'r' || key === 'R') {
        const zp = () => ({ zoom: 1, pan: [0, 0] as [number, number] });
        set({ views: { axial: zp(), coronal: zp(), sagittal: zp() }, oblique: null });
      } else if ((key === 'f' || key === 'F') && findings.length) {
        // The jump snaps to a voxel, so the current finding is the one whose centre is nearest the crosshair.
        const near = findings.map((f) => distance(f.centerLPS, s.crosshair as Vec3));
        const best = near.indexOf(Math.min(...near));
        const cur = near[best] < Math.max(...volume.geometry.spacing) ? best : -1;
        const dir = e.shiftKey ? -1 : 1;
        const next = cur < 0 ? (dir > 0 ? 0 : findings.length - 1) : (cur + dir + findings.length) % findings.length;
        onJump(findings[next]);
      } else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
