// The viewer of one loaded series: lays out the views over the shared vtk scene (useMprScene), and wires the
// toolbar, keyboard shortcuts, cine, the findings panel, measurements and the CAD panel. The series' data
// (findings, measurements, patient) comes from useSeriesData, which owns it.
import { useCallback, useEffect, useState } from 'react';
import type { Vec3 } from '../../src-main/shared/geometry';
import type { Finding, Measurement } from '../../src-main/shared/types';
import { ijkToLps, lpsToIjk } from '../../src-main/shared/geometry';
import type { ViewOrientation } from './viewGeometry';
import { useViewerStore, type Layout, type ViewKey } from '../state/viewerStore';
import { CadPanel } from '../review/CadPanel';
import { useCadRuns } from '../review/useCadRuns';
import { useDisplayFilter, useVisibleFindings } from '../review/displayFilter';
import { FindingsPanel } from './FindingsPanel';
import { layoutFor, rememberLayout } from './hangingProtocol';
import { HelpSheet } from './HelpSheet';
import { MprView, stepView } from './MprView';
import { Toolbar } from './Toolbar';
import { View3D } from './View3D';
import { exposeForTests } from './testHooks';
import { useMprScene } from './useMprScene';
import type { SeriesData } from './useSeriesData';
import { useViewerKeys } from './useViewerKeys';
import { ReadPanel } from '../review/ReadPanel';

const LAYOUT_VIEWS: Record<Layout, ViewKey[]> = {
  '1x1': ['axial'],
  '1+2': ['axial', 'coronal', 'sagittal'],
  '1x3': ['axial', 'coronal', 'sagittal'],
  '2x2': ['axial', 'coronal', 'sagittal', '3d'],
};

export function Viewer({ data }: { data: SeriesData }) {
  const { volume, detail } = data;
  const volumeId = detail.volume.volumeId;
  const seriesInstanceUID = detail.series.seriesInstanceUID;
  const modality = detail.series.modality;
  const cad = useCadRuns(seriesInstanceUID);
  const [displayFilter, setDisplayFilter] = useDisplayFilter(seriesInstanceUID, cad.operatingPoint);
  const findings = useVisibleFindings(data.findings, displayFilter);
  const { scene, generation, contextLost, rebuild } = useMprScene(volume);
  const [help, setHelp] = useState(false);
  const [cine, setCine] = useState(false);
  const [cineFps, setCineFps] = useState(10);
  const [error, setError] = useState<string | null>(null);
  const ensure = useViewerStore((s) => s.ensure);
  const update = useViewerStore((s) => s.update);
  const state = useViewerStore((s) => s.cases[volumeId]);

  // Start at the middle voxel, on real slices of every axis (not between two), in the hanging protocol's layout.
  useEffect(
    () => ensure(volumeId, ijkToLps(volume.geometry, volume.geometry.dims.map((d) => Math.floor((d - 1) / 2)) as Vec3), layoutFor(modality)),
    [ensure, volumeId, volume, modality],
  );

  // Cine: step the active MPR view at cineFps, one slice per step, looping. Steps are timed against the clock
  // (requestAnimationFrame), so a slow frame delays the next one instead of piling timers up.
  useEffect(() => {
    if (!cine) return;
    let raf = 0;
    let next = performance.now();
    const tick = (now: number) => {
      if (now >= next) {
        next = Math.max(next + 1000 / cineFps, now - 1000 / cineFps);
        update(volumeId, (s) => {
          const view: ViewOrientation = s.active === '3d' ? 'axial' : s.active;
          return { crosshair: stepView(volume, view, s.oblique, s.crosshair, 1, true) };
        });
      }
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(raf);
  }, [cine, cineFps, update, volumeId, volume]);

  // Test and bench hook: put the crosshair at an LPS point.
  useEffect(() => exposeForTests('__pulmoJump', (p: Vec3) => update(volumeId, { crosshair: p })), [update, volumeId]);

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

  const { addLengthMeasurement, deleteMeasurement } = data;
  const onMeasure = useCallback(
    (points: [Vec3, Vec3]) => void addLengthMeasurement(points).catch((err: Error) => setError(`Measurement not saved: ${err.message}`)),
    [addLengthMeasurement],
  );
  const onDeleteMeasurement = useCallback(
    (m: Measurement) => void deleteMeasurement(m).catch((err: Error) => setError(`Measurement not deleted: ${err.message}`)),
    [deleteMeasurement],
  );

  useViewerKeys({ volume, volumeId, findings, onHelp: () => setHelp((h) => !h), onCine: () => setCine((c) => !c), onJump: jumpTo });

  if (!state) return null;
  const shown: ViewKey[] = state.maximized ? [state.maximized] : state.layout === '1x1' ? [state.active] : LAYOUT_VIEWS[state.layout];
  const grid = shown.length === 1 ? 'grid-1x1' : state.layout === '1+2' ? 'grid-1p2' : shown.length === 3 ? 'grid-1x3' : 'grid-2x2';
  const toggleMax = (v: ViewKey) => update(volumeId, (s) => ({ maximized: s.maximized ? null : v, active: v }));

  return (
    <div className="viewer" data-testid="viewer">
      <Toolbar
        volumeId={volumeId}
        state={state}
        cine={cine}
        cineFps={cineFps}
        onCine={() => setCine((c) => !c)}
        onCineFps={setCineFps}
        onHelp={() => setHelp(true)}
        onLayout={(l) => rememberLayout(modality, l)}
      />
      {(data.notice || error || contextLost) && (
        <div className="viewer-notices">
          {data.notice && <div className="warn" data-testid="viewer-notice">{data.notice}</div>}
          {error && <div className="error">{error}</div>}
          {contextLost && (
            <div className="error" data-testid="context-lost">
              The graphics context was lost (GPU reset or memory pressure); the views come back when the browser restores it.{' '}
              <button className="small" onClick={rebuild}>
                Rebuild views now
              </button>
            </div>
          )}
        </div>
      )}
      <div className="viewer-body">
        <div className={`view-grid ${grid}`} data-testid="view-grid" data-layout={state.maximized ? 'max' : state.layout}>
          {scene &&
            shown.map((v) =>
              v === '3d' ? (
                <View3D
                  key={`3d-${generation}`}
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
                  key={`${v}-${generation}`}
                  scene={scene}
                  volume={volume}
                  volumeId={volumeId}
                  orientation={v}
                  state={state}
                  findings={findings}
                  measurements={data.measurements}
                  onMeasure={onMeasure}
                  huNote={data.downsampled ? 'block average, reduced volume' : 'nearest voxel'}
                  onToggleMaximize={() => toggleMax(v)}
                />
              ),
            )}
        </div>
        <FindingsPanel
          findings={findings}
          geometry={volume.geometry}
          measurements={data.measurements}
          crosshair={state.crosshair}
          onJump={jumpTo}
          onJumpTo={jumpToPoint}
          onDeleteMeasurement={onDeleteMeasurement}
        >
          <ReadPanel
            seriesInstanceUID={seriesInstanceUID}
            crosshair={state.crosshair}
            onJumpTo={jumpToPoint}
            onFindingsChanged={() => void data.reloadFindings().catch((err: Error) => setError(err.message))}
          />
          <CadPanel
            seriesInstanceUID={seriesInstanceUID}
            patient={detail.patient}
            cad={cad}
            all={data.findings}
            visible={findings}
            displayFilter={displayFilter}
            onDisplayFilter={setDisplayFilter}
            onFindingsChanged={() => void data.reloadFindings().catch((err: Error) => setError(err.message))}
            onFindingEdited={data.replaceFinding}
            onJump={jumpTo}
          />
        </FindingsPanel>
      </div>
      {help && <HelpSheet onClose={() => setHelp(false)} />}
    </div>
  );
}
