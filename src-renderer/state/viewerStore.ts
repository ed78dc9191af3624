// Viewer state per case (crosshair, window/level, slab, layout, zoom/pan of each view, tool), kept for the whole
// session — and across a reload, in sessionStorage — so reopening a series restores how the reader left it.
// Only plain data: vtk objects never live here.
import { create } from 'zustand';
import type { Vec3 } from '../../src-main/shared/geometry';
import type { Oblique, ViewOrientation } from '../viewer/viewGeometry';
import type { SlabMode, VolumePresetId } from '../viewer/presets';

/** '1+2': the axial view large with coronal and sagittal stacked beside it (the chest CT hanging protocol). */
export type Layout = '1x1' | '1+2' | '1x3' | '2x2';
export type ViewKey = ViewOrientation | '3d';
export type Tool = 'navigate' | 'length' | 'roi';

export interface ViewZoomPan {
  /** 1 = the whole volume fits the viewport. */
  zoom: number;
  /** Pan of the viewport centre, mm along the view's right and up axes. */
  pan: [number, number];
}

export interface CaseViewState {
  crosshair: Vec3; // LPS mm
  layout: Layout;
  active: ViewKey; // the view keyboard shortcuts act on, and the one a 1x1 layout shows
  maximized: ViewKey | null;
  window: number; // HU
  level: number; // HU
  presetId: string; // 'lung' | 'mediastinum' | 'bone' | 'custom'
  slab: SlabMode;
  slabMm: number;
  views: Record<ViewOrientation, ViewZoomPan>;
  tool: Tool;
  volumePreset: VolumePresetId;
  /** Oblique MPR: the other planes rotated about one view's normal; null = planes on the volume axes. */
  oblique: Oblique | null;
  /** What the overlay draws; each toggled by one key (X, K, U). */
  show: { crosshair: boolean; marks: boolean; outlines: boolean };
}

export function initialCaseState(center: Vec3, layout: Layout = '1+2'): CaseViewState {
  const zp = (): ViewZoomPan => ({ zoom: 1, pan: [0, 0] });
  return {
    crosshair: center,
    layout,
    active: 'axial',
    maximized: null,
    window: 1500,
    level: -600,
    presetId: 'lung',
    slab: 'thin',
    slabMm: 10,
    views: { axial: zp(), coronal: zp(), sagittal: zp() },
    tool: 'navigate',
    volumePreset: 'lung',
    oblique: null,
    show: { crosshair: true, marks: true, outlines: true },
  };
}

const STORAGE_KEY = 'pulmo.viewer.cases';

function restored(): Record<string, CaseViewState> {
  try {
    const raw = typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(STORAGE_KEY);
    const parsed = raw ? (JSON.parse(raw) as Record<string, CaseViewState>) : {};
    // Entries from an older build lack newer fields: fill them from the defaults.
    for (const [id, c] of Object.entries(parsed)) parsed[id] = { ...initialCaseState(c.crosshair, c.layout), ...c };
    return parsed;
  } catch {
    return {};
  }
}

interface ViewerStore {
  /** Keyed by volume id: one entry per case opened this session. */
  cases: Record<string, CaseViewState>;
  /** Creates the case's state if this session has none: crosshair at `center`, layout from the hanging protocol. */
  ensure(volumeId: string, center: Vec3, layout?: Layout): void;
  update(volumeId: string, patch: Partial<CaseViewState> | ((s: CaseViewState) => Partial<CaseViewState>)): void;
  updateView(volumeId: string, view: ViewOrientation, patch: Partial<ViewZoomPan>): void;
}

export const useViewerStore = create<ViewerStore>((set) => ({
  cases: restored(),
  ensure: (volumeId, center, layout) =>
    set((s) => (s.cases[volumeId] ? s : { cases: { ...s.cases, [volumeId]: initialCaseState(center, layout) } })),
  update: (volumeId, patch) =>
    set((s) => {
      const cur = s.cases[volumeId];
      if (!cur) return s;
      const p = typeof patch === 'function' ? patch(cur) : patch;
      return { cases: { ...s.cases, [volumeId]: { ...cur, ...p } } };
    }),
  updateView: (volumeId, view, patch) =>
    set((s) => {
      const cur = s.cases[volumeId];
      if (!cur) return s;
      return { cases: { ...s.cases, [volumeId]: { ...cur, views: { ...cur.views, [view]: { ...cur.views[view], ...patch } } } } };
    }),
}));

// Written on every change (a few hundred bytes per case) so a reload comes back to the same place.
useViewerStore.subscribe((s) => {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s.cases));
  } catch {
    // Storage full or unavailable: the state still lives for this page.
  }
});
