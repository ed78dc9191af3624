// Viewer toolbar: layout, window/level presets, slab mode and thickness, tool, 3D preset, cine, help.
import { useViewerStore, type CaseViewState, type Layout } from '../state/viewerStore';
import { MAX_SLAB_MM, SLAB_MODES, VOLUME_PRESETS, WINDOW_PRESETS, type SlabMode, type VolumePresetId } from './presets';

interface Props {
  volumeId: string;
  state: CaseViewState;
  cine: boolean;
  onCine(): void;
  onHelp(): void;
}

const LAYOUTS: Layout[] = ['1x1', '1x3', '2x2'];

export function Toolbar({ volumeId, state, cine, onCine, onHelp }: Props) {
  const update = useViewerStore((s) => s.update);
  const set = (p: Partial<CaseViewState>) => update(volumeId, p);
  return (
    <div className="viewer-toolbar" data-testid="viewer-toolbar">
      <div className="group" role="group" aria-label="Layout">
        {LAYOUTS.map((l) => (
          <button key={l} className={`small${state.layout === l && !state.maximized ? ' on' : ''}`} data-testid={`layout-${l}`} onClick={() => set({ layout: l, maximized: null })}>
            {l.replace('x', '×')}
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
          <input type="number" data-testid="window-input" value={state.window} min={1} onChange={(e) => set({ window: Math.max(1, Number(e.target.value) || 1), presetId: 'custom' })} />
          L
          <input type="number" data-testid="level-input" value={state.level} onChange={(e) => set({ level: Number(e.target.value) || 0, presetId: 'custom' })} />
          HU
        </label>
      </div>
      <div className="group" role="group" aria-label="Slab">
        <select data-testid="slab-mode" value={state.slab} onChange={(e) => set({ slab: e.target.value as SlabMode })}>
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
      </div>
      <div className="group" role="group" aria-label="3D">
        <select data-testid="volume-preset" value={state.volumePreset} onChange={(e) => set({ volumePreset: e.target.value as VolumePresetId })}>
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
      <span className="spacer" />
      <button className="small" onClick={onHelp} data-testid="help-button" title="Keyboard shortcuts (?)">
        ?
      </button>
    </div>
  );
}
