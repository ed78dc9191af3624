// Viewer toolbar: layout, window/level presets, slab mode and thickness, tool, 3D preset, cine, help. Dropdowns
// and sliders hand the keyboard back to the viewer after use, so shortcuts keep working.
import type { SyntheticEvent } from 'react';
import { useViewerStore, type CaseViewState, type Layout } from '../state/viewerStore';
import { NumberField } from './NumberField';
import { MAX_SLAB_MM, SLAB_MODES, VOLUME_PRESETS, WINDOW_PRESETS, type SlabMode, type VolumePresetId } from './presets';

interface Props {
  volumeId: string;
  state: CaseViewState;
  cine: boolean;
  cineFps: number;
  onCine(): void;
  onCineFps(fps: number): void;
  onHelp(): void;
  /** The reader chose a layout (remembered by the hanging protocol). */
  onLayout(l: Layout): void;
}

const LAYOUTS: { id: Layout; name: string; title: string }[] = [
  { id: '1x1', name: '1', title: 'One view (the active one)' },
  { id: '1+2', name: '1+2', title: 'Axial large, coronal and sagittal beside it (chest CT default)' },
  { id: '1x3', name: '1×3', title: 'Three views side by side' },
  { id: '2x2', name: '2×2', title: 'Three views and 3D (rendered on demand)' },
];
const CINE_RATES = [5, 10, 15, 20, 30];

/** Gives the keyboard back to the viewer after a dropdown or slider was used. */
const release = (e: SyntheticEvent<HTMLElement>) => e.currentTarget.blur();

export function Toolbar({ volumeId, state, cine, cineFps, onCine, onCineFps, onHelp, onLayout }: Props) {
  const update = useViewerStore((s) => s.update);
  const set = (p: Partial<CaseViewState>) => update(volumeId, p);
  return (
    <div className="viewer-toolbar" data-testid="viewer-toolbar">
      <div className="group" role="group" aria-label="Layout">
        {LAYOUTS.map((l) => (
          <button
            key={l.id}
            className={`small${state.layout === l.id && !state.maximized ? ' on' : ''}`}
            data-testid={`layout-${l.id}`}
            title={l.title}
            onClick={(e) => {
              set({ layout: l.id, maximized: null });
              onLayout(l.id);
              release(e);
            }}
          >
            {l.name}
          </button>
        ))}
      </div>
      <div className="group" role="group" aria-label="Window">
        {WINDOW_PRESETS.map((p) => (
          <button
            key={p.id}
            className={`small${state.presetId === p.id ? ' on' : ''}`}
            data-testid={`preset-${p.id}`}
            title={`W ${p.window} / L ${p.level} HU (key ${p.key})`}
            onClick={() => set({ window: p.window, level: p.level, presetId: p.id })}
          >
            {p.name}
          </button>
        ))}
        <label className="wl">
          W
          <NumberField label="Window width (HU)" testId="window-input" value={state.window} min={1} max={10000} onValue={(v) => set({ window: v, presetId: 'custom' })} />
          L
          <NumberField label="Window level (HU)" testId="level-input" value={state.level} min={-3000} max={5000} onValue={(v) => set({ level: v, presetId: 'custom' })} />
          HU
        </label>
      </div>
      <div className="group" role="group" aria-label="Slab">
        <select
          data-testid="slab-mode"
          value={state.slab}
          onChange={(e) => {
            set({ slab: e.target.value as SlabMode });
            release(e);
          }}
        >
          {SLAB_MODES.map((m) => (
            <option key={m.id} value={m.id}>
              {m.name}
            </option>
          ))}
        </select>
        <input
          type="range"
          min={0}
          max={MAX_SLAB_MM}
          step={0.5}
          value={state.slabMm}
          data-testid="slab-thickness"
          disabled={state.slab === 'thin'}
          onChange={(e) => set({ slabMm: Number(e.target.value) })}
          onPointerUp={release}
        />
        <span className="muted">{state.slab === 'thin' ? 'thin' : `${state.slabMm.toFixed(1)} mm`}</span>
      </div>
      <div className="group" role="group" aria-label="Tool">
        <button className={`small${state.tool === 'navigate' ? ' on' : ''}`} onClick={() => set({ tool: 'navigate' })} title="Crosshair / pan (N)">
          Navigate
        </button>
        <button className={`small${state.tool === 'length' ? ' on' : ''}`} data-testid="tool-length" onClick={() => set({ tool: 'length' })} title="Length in mm (M)">
          Length
        </button>
        <button
          className={`small${state.tool === 'roi' ? ' on' : ''}`}
          data-testid="tool-roi"
          onClick={() => set({ tool: 'roi' })}
          title="HU region: click the centre, then the edge; mean, SD, min, max of the voxels inside (H)"
        >
          HU ROI
        </button>
      </div>
      <div className="group" role="group" aria-label="3D">
        <select
          data-testid="volume-preset"
          value={state.volumePreset}
          onChange={(e) => {
            set({ volumePreset: e.target.value as VolumePresetId });
            release(e);
          }}
        >
          {Object.entries(VOLUME_PRESETS).map(([id, p]) => (
            <option key={id} value={id}>
              3D: {p.name}
            </option>
          ))}
        </select>
      </div>
      <button className={`small${cine ? ' on' : ''}`} data-testid="cine" onClick={onCine} title="Cine (C)">
        {cine ? 'Stop cine' : 'Cine'}
      </button>
      <select
        data-testid="cine-rate"
        value={cineFps}
        title="Cine rate, slices per second"
        onChange={(e) => {
          onCineFps(Number(e.target.value));
          release(e);
        }}
      >
        {CINE_RATES.map((r) => (
          <option key={r} value={r}>
            {r}/s
          </option>
        ))}
      </select>
      <span className="spacer" />
      <button className="small" onClick={onHelp} data-testid="help-button" title="Keyboard shortcuts (?)">
        ?
      </button>
    </div>
  );
}
