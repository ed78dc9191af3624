// The viewer of one loaded volume: owns the vtk scene (built once, deleted on unmount), lays out the views,
// and wires toolbar, keyboard shortcuts, cine, the findings panel and measurements.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { HuVolume, Vec3 } from '../../src-main/shared/geometry';
import type { Finding, Measurement } from '../../src-main/shared/types';
import { ijkToLps, lpsToIjk } from '../../src-main/shared/geometry';
import type { ViewOrientation } from './viewGeometry';
import { api } from '../api/client';
import { useViewerStore, type Layout, type ViewKey } from '../state/viewerStore';
import { FindingsPanel } from './FindingsPanel';
import { HelpSheet } from './HelpSheet';
import { MprScene } from './mprScene';
import { MprView, stepView } from './MprView';
import { Toolbar } from './Toolbar';
import { View3D } from './View3D';
import { useViewerKeys } from './useViewerKeys';
import { CadPanel } from '../review/CadPanel';
import { useCadFindings } from '../review/useCadFindings';

interface Props {
  volume: HuVolume;
  volumeId: string;
  seriesInstanceUID: string;
  findings: Finding[];
  measurements: Measurement[];
  onMeasurementsChange(ms: Measurement[]): void;
  notice: string | null;
  /** The volume is a reduced copy: HU under the cursor are block averages. */
  downsampled: boolean;
}

const LAYOUT_VIEWS: Record<Layout, ViewKey[]> = {
  '1x1': ['axial'],
  '1x3': ['axial', 'coronal', 'sagittal'],
  '2x2': ['axial', 'coronal', 'sagittal', '3d'],
};

export function Viewer({ volume, volumeId, seriesInstanceUID, findings: stored, measurements, onMeasurementsChange, notice, downsampled }: Props) {
  // Findings as reviewed: reloaded after CAD runs, CAD ones filtered at the operating point for lists and overlay.
  const review = useCadFindings(seriesInstanceUID, stored);
  const findings = review.visible;
  const sceneRef = useRef<MprScene | null>(null);
  // Counts scenes built; views are keyed by it so they re-attach to a rebuilt scene. 0 = none yet.
  const [sceneId, setSceneId] = useState(0);
  const [contextLost, setContextLost] = useState(false);
  // Bumped to rebuild the scene on a fresh WebGL context (vtk.js cannot reuse a restored one, vtk-js#2425).
  const [sceneGen, setSceneGen] = useState(0);
  const [help, setHelp] = useState(false);
  const [cine, setCine] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ensure = useViewerStore((s) => s.ensure);
  const update = useViewerStore((s) => s.update);
  const state = useViewerStore((s) => s.cases[volumeId]);

  // Start at the middle voxel, on real slices of every axis (not between two).
  useEffect(() => ensure(volumeId, ijkToLps(volume.geometry, volume.geometry.dims.map((d) => Math.floor((d - 1) / 2)) as Vec3)), [ensure, volumeId, volume]);

  useEffect(() => {
    const scene = new MprScene(volume, (lost) => {
      setContextLost(lost);
      if (!lost) setSceneGen((n) => n + 1);
    });
    sceneRef.current = scene;
    (window as unknown as { __pulmoScene?: MprScene }).__pulmoScene = scene; // for the e2e tests and the bench
    setSceneId((n) => n + 1);
    return () => {
      sceneRef.current = null;
      try {
        scene.delete();
      } catch (err) {
        // A scene whose context was lost may fail to release GPU objects; they died with the context anyway.
        console.warn('Releasing the previous scene failed:', err);
      }
    };
  }, [volume, sceneGen]);

  // Cine: step the active MPR view ~10 slices per second, looping.
  useEffect(() => {
    if (!cine) return;
    const id = window.setInterval(() => {
      update(volumeId, (s) => {
        const view: ViewOrientation = s.active === '3d' ? 'axial' : s.active;
        return { crosshair: stepView(volume, view, s.oblique, s.crosshair, 1, true) };
      });
    }, 100);
    return () => window.clearInterval(id);
  }, [cine, update, volumeId, volume]);

  // Test and bench hook: put the crosshair at an LPS point.
  useEffect(() => {
    (window as unknown as { __pulmoJump?: (p: Vec3) => void }).__pulmoJump = (p) => update(volumeId, { crosshair: p });
  }, [update, volumeId]);

  // Jump to a finding: its centre snapped to the nearest voxel, so every view shows a real slice, not a blend.
  const jumpToPoint = useCallback(
    (p: Vec3) => {
      const g = volume.geometry;
      const ijk = lpsToIjk(g, p).map((v, a) => Math.min(g.dims[a] - 1, Math.max(0, Math.round(v)))) as Vec3;
      update(volumeId, (s) => ({ crosshair: ijkToLps(g, ijk), active: s.active === '3d' ? 'axial' : s.active }));
    },
    [update, volumeId, volume],
  );
  const jumpTo = useCallback((f: Finding) => jumpToPoint(f.centerLPS), [jumpToPoint]);

  const onDeleteMeasurement = useCallback(
    async (m: Measurement) => {
      try {
        await api().call('measurements.delete', { id: m.id });
        onMeasurementsChange(measurements.filter((x) => x.id !== m.id));
      } catch (err) {
        setError(`Measurement not deleted: ${(err as Error).message}`);
      }
    },
    [measurements, onMeasurementsChange],
  );

  const onMeasure = useCallback(
    async (points: [Vec3, Vec3]) => {
      try {
        const m = await api().call('measurements.add', { seriesInstanceUID, kind: 'length', pointsLPS: points });
        onMeasurementsChange([...measurements, m]);
      } catch (err) {
        setError(`Measurement not saved: ${(err as Error).message}`);
      }
    },
    [seriesInstanceUID, measurements, onMeasurementsChange],
  );

  useViewerKeys({ volume, volumeId, findings, onHelp: () => setHelp((h) => !h), onCine: () => setCine((c) => !c), onJump: jumpTo });

  if (!state) return null;
  const scene = sceneRef.current;
  const shown: ViewKey[] = state.maximized ? [state.maximized] : state.layout === '1x1' ? [state.active] : LAYOUT_VIEWS[state.layout];
  const grid = shown.length === 1 ? 'grid-1x1' : shown.length === 3 ? 'grid-1x3' : 'grid-2x2';
  const toggleMax = (v: ViewKey) => update(volumeId, (s) => ({ maximized: s.maximized ? null : v, active: v }));

  return (
    <div className="viewer" data-testid="viewer">
      <Toolbar volumeId={volumeId} state={state} cine={cine} onCine={() => setCine((c) => !c)} onHelp={() => setHelp(true)} />
      {(notice || error || contextLost) && (
        <div className="viewer-notices">
          {notice && <div className="warn" data-testid="viewer-notice">{notice}</div>}
          {error && <div className="error">{error}</div>}
          {contextLost && (
            <div className="error" data-testid="context-lost">
              The graphics context was lost (GPU reset or memory pressure); the views come back when the browser restores it.{' '}
              <button
                className="small"
                onClick={() => {
                  setContextLost(false);
                  setSceneGen((n) => n + 1);
                }}
              >
                Rebuild views now
              </button>
            </div>
          )}
        </div>
      )}
      <div className="viewer-body">
        <div className={`view-grid ${grid}`} data-testid="view-grid" data-layout={state.maximized ? 'max' : state.layout}>
          {sceneId > 0 && scene &&
            shown.map((v) =>
              v === '3d' ? (
                <View3D
                  key={`3d-${sceneId}`}
                  scene={scene}
                  findings={findings}
                  preset={state.volumePreset}
                  active={state.active === '3d'}
                  onJump={jumpTo}
                  onActivate={() => update(volumeId, { active: '3d' })}
                  onToggleMaximize={() => toggleMax('3d')}
                />
              ) : (
                <MprView
                  key={`${v}-${sceneId}`}
                  scene={scene}
                  volume={volume}
                  volumeId={volumeId}
                  orientation={v}
                  state={state}
                  findings={findings}
                  measurements={measurements}
                  onMeasure={onMeasure}
                  huNote={downsampled ? 'block average, reduced volume' : 'nearest voxel'}
                  onToggleMaximize={() => toggleMax(v)}
                />
              ),
            )}
        </div>
        <FindingsPanel
          findings={findings}
          measurements={measurements}
          crosshair={state.crosshair}
          onJump={jumpTo}
          onJumpTo={jumpToPoint}
          onDeleteMeasurement={(m) => void onDeleteMeasurement(m)}
        >
          <CadPanel seriesInstanceUID={seriesInstanceUID} review={review} onJump={jumpTo} />
        </FindingsPanel>
      </div>
      {help && <HelpSheet onClose={() => setHelp(false)} />}
    </div>
  );
}
