// Window/level presets (HU), slab modes and 3D rendering presets of the viewer.

export interface WindowPreset {
  id: 'lung' | 'mediastinum' | 'bone';
  name: string;
  window: number; // HU
  level: number; // HU
  key: string; // keyboard shortcut
}

export const WINDOW_PRESETS: WindowPreset[] = [
  { id: 'lung', name: 'Lung', window: 1500, level: -600, key: '1' },
  { id: 'mediastinum', name: 'Mediastinum', window: 350, level: 50, key: '2' },
  { id: 'bone', name: 'Bone', window: 2000, level: 300, key: '3' },
];

/** 'thin' renders the single interpolated plane; the others integrate a slab of slabMm around it. */
export type SlabMode = 'thin' | 'mip' | 'minip' | 'mean';
export const SLAB_MODES: { id: SlabMode; name: string }[] = [
  { id: 'thin', name: 'Thin' },
  { id: 'mip', name: 'MIP' },
  { id: 'minip', name: 'MinIP' },
  { id: 'mean', name: 'Mean' },
];
export const MAX_SLAB_MM = 30;

export type VolumePresetId = 'lung' | 'soft';
/** Opacity and colour points (HU) of the 3D presets. */
export const VOLUME_PRESETS: Record<VolumePresetId, { name: string; opacity: [number, number][]; color: [number, number, number, number][] }> = {
  lung: {
    name: 'Lung',
    // Faint parenchyma and chest wall so vessels, nodules and bone inside the chest stay visible.
    opacity: [[-1000, 0], [-900, 0], [-750, 0.015], [-500, 0.0], [-100, 0.0], [40, 0.025], [120, 0.5], [400, 0.8], [3000, 0.9]],
    color: [[-1000, 0.3, 0.4, 0.55], [-600, 0.55, 0.65, 0.8], [40, 0.85, 0.55, 0.45], [150, 0.95, 0.35, 0.3], [400, 1, 0.95, 0.85], [1000, 1, 1, 0.95]],
  },
  soft: {
    name: 'Soft tissue',
    opacity: [[-1000, 0], [-200, 0], [0, 0.12], [80, 0.35], [300, 0.6], [3000, 0.85]],
    color: [[-200, 0.55, 0.25, 0.15], [40, 0.85, 0.45, 0.35], [150, 0.95, 0.75, 0.6], [1000, 1, 1, 0.95]],
  },
};

/** Colour of each MPR view: its border and its crosshair line in the other views. */
export const VIEW_COLORS = { axial: '#ff6161', coronal: '#52d98f', sagittal: '#58a8ff' } as const;
