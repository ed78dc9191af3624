// The vtk.js scene of one open series: ONE vtkImageData and ONE WebGL2 context shared by every view
// (vtk.js "many render windows": each view is a child render window that draws with the parent's context and
// copies into its own 2D canvas), so the volume texture is uploaded once and each view re-renders alone.
// vtk objects live here, never in React state; the owner calls delete().
import '@kitware/vtk.js/Rendering/OpenGL/RenderWindow';
import '@kitware/vtk.js/Rendering/OpenGL/Profiles/Volume';
import '@kitware/vtk.js/Rendering/OpenGL/Profiles/Geometry';
import vtkDataArray from '@kitware/vtk.js/Common/Core/DataArray';
import vtkImageData from '@kitware/vtk.js/Common/DataModel/ImageData';
import vtkPlane from '@kitware/vtk.js/Common/DataModel/Plane';
import vtkPiecewiseFunction from '@kitware/vtk.js/Common/DataModel/PiecewiseFunction';
import vtkSphereSource from '@kitware/vtk.js/Filters/Sources/SphereSource';
import vtkActor from '@kitware/vtk.js/Rendering/Core/Actor';
import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction';
import vtkImageResliceMapper from '@kitware/vtk.js/Rendering/Core/ImageResliceMapper';
import { SlabTypes } from '@kitware/vtk.js/Rendering/Core/ImageResliceMapper/Constants';
import vtkImageSlice from '@kitware/vtk.js/Rendering/Core/ImageSlice';
import vtkMapper from '@kitware/vtk.js/Rendering/Core/Mapper';
import vtkRenderWindow from '@kitware/vtk.js/Rendering/Core/RenderWindow';
import vtkRenderWindowInteractor from '@kitware/vtk.js/Rendering/Core/RenderWindowInteractor';
import vtkRenderer from '@kitware/vtk.js/Rendering/Core/Renderer';
import vtkVolume from '@kitware/vtk.js/Rendering/Core/Volume';
import vtkVolumeMapper from '@kitware/vtk.js/Rendering/Core/VolumeMapper';
import type { HuVolume, Vec3 } from '../../src-main/shared/geometry';
import { add, scale, volumeCenter, type ViewFrame, type ViewOrientation } from './viewGeometry';
import { VOLUME_PRESETS, type SlabMode, type VolumePresetId } from './presets';
import { installExactSlabSampling } from './slabShader';

export type ViewId = ViewOrientation | '3d';

const SLAB_TYPE: Record<Exclude<SlabMode, 'thin'>, number> = { mip: SlabTypes.MAX, minip: SlabTypes.MIN, mean: SlabTypes.MEAN };
const CAMERA_DISTANCE_MM = 2000;

/* eslint-disable @typescript-eslint/no-explicit-any -- vtk.js objects are loosely typed at these seams */
type Vtk = any;

interface ChildView {
  id: ViewId;
  renderWindow: Vtk;
  glView: Vtk;
  renderer: Vtk;
  el: HTMLElement;
  cssSize: [number, number];
  dispose: () => void;
}

export interface MprParams {
  frame: ViewFrame;
  planeOrigin: Vec3;
  slab: SlabMode;
  slabMm: number;
  window: number;
  level: number;
}

export interface GlInfo {
  renderer: string;
  max3DTextureSize: number;
  norm16: boolean;
}

/** Probes WebGL2 before any volume is built, to size the texture (see downsampleVolume). */
export function probeWebGl(): GlInfo | null {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2');
  if (!gl) return null;
  const dbg = gl.getExtension('WEBGL_debug_renderer_info');
  const info: GlInfo = {
    renderer: String(gl.getParameter(dbg ? dbg.UNMASKED_RENDERER_WEBGL : gl.RENDERER)),
    max3DTextureSize: Number(gl.getParameter(gl.MAX_3D_TEXTURE_SIZE)),
    norm16: !!gl.getExtension('EXT_texture_norm16'),
  };
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return info;
}

export class MprScene {
  private readonly main: Vtk;
  private readonly mainView: Vtk;
  private readonly image: Vtk;
  private readonly views = new Map<ViewId, ChildView>();
  private readonly mpr = new Map<ViewId, { slice: Vtk; mapper: Vtk; plane: Vtk }>();
  private volumeActor: Vtk | null = null;
  private markerActors: Vtk[] = [];
  private readonly onLost: (e: Event) => void;
  private readonly onRestored: () => void;
  private deleted = false;

  constructor(readonly volume: HuVolume, private readonly onContextChange: (lost: boolean) => void) {
    const g = volume.geometry;
    this.image = vtkImageData.newInstance();
    this.image.setDimensions(...g.dims);
    this.image.setSpacing(...g.spacing);
    this.image.setOrigin(...g.origin);
    this.image.setDirection(g.direction);
    // The voxel array is used as is (no copy): it is the one CPU copy of the volume.
    this.image.getPointData().setScalars(vtkDataArray.newInstance({ name: 'HU', numberOfComponents: 1, values: volume.voxels }));
    this.main = vtkRenderWindow.newInstance();
    this.mainView = this.main.newAPISpecificView('WebGL');
    this.main.addView(this.mainView);
    this.mainView.initialize();
    const canvas: HTMLCanvasElement = this.mainView.getCanvas();
    this.onLost = (e: Event) => {
      e.preventDefault(); // allows the browser to restore the context
      this.onContextChange(true);
    };
    this.onRestored = () => this.onContextChange(false);
    canvas.addEventListener('webglcontextlost', this.onLost);
    canvas.addEventListener('webglcontextrestored', this.onRestored);
  }

  /** The GL canvas that owns the context (tests lose/restore it through WEBGL_lose_context). */
  glCanvas(): HTMLCanvasElement {
    return this.mainView.getCanvas();
  }

  attach(id: ViewId, el: HTMLElement): void {
    this.detach(id);
    const renderWindow = vtkRenderWindow.newInstance();
    this.main.addRenderWindow(renderWindow);
    const glView = this.mainView.addMissingNode(renderWindow);
    renderWindow.addView(glView);
    glView.setContainer(el);
    const renderer = vtkRenderer.newInstance({ background: [0, 0, 0] });
    renderWindow.addRenderer(renderer);
    // The volume mapper asks the window's interactor whether it is animating. Our own handlers drive the
    // cameras, so this interactor binds no DOM events; it only renders.
    const interactor = vtkRenderWindowInteractor.newInstance();
    interactor.setView(glView);
    interactor.enable();
    const view: ChildView = {
      id,
      renderWindow,
      glView,
      renderer,
      el,
      cssSize: [1, 1],
      dispose: () => {
        interactor.delete();
        this.main.removeRenderWindow(renderWindow);
        this.mainView.removeNode(glView); // deletes glView (vtk.js 37), which also takes its canvas out of el
        if (!glView.isDeleted()) glView.delete();
        renderer.delete();
        renderWindow.delete();
      },
    };
    this.views.set(id, view);
    if (id === '3d') this.build3D(renderer);
    else this.buildMpr(id, renderer);
    this.resize(id, el.clientWidth, el.clientHeight);
  }

  detach(id: ViewId): void {
    const v = this.views.get(id);
    if (!v) return;
    if (id === '3d') {
      for (const a of this.markerActors) v.renderer.removeActor(a);
      if (this.volumeActor) v.renderer.removeVolume(this.volumeActor);
    } else {
      const m = this.mpr.get(id);
      if (m) {
        v.renderer.removeViewProp(m.slice);
        m.slice.delete();
        m.mapper.delete();
        m.plane.delete();
        this.mpr.delete(id);
      }
    }
    v.dispose();
    this.views.delete(id);
  }

  resize(id: ViewId, cssWidth: number, cssHeight: number): void {
    const v = this.views.get(id);
    if (!v) return;
    const w = Math.max(1, Math.floor(cssWidth));
    const h = Math.max(1, Math.floor(cssHeight));
    v.cssSize = [w, h];
    const dpr = window.devicePixelRatio || 1;
    v.glView.setSize(Math.floor(w * dpr), Math.floor(h * dpr));
    const canvas: HTMLCanvasElement = v.glView.getCanvas();
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    this.mainView.resizeFromChildRenderWindows();
  }

  private buildMpr(id: ViewId, renderer: Vtk): void {
    const plane = vtkPlane.newInstance();
    const mapper = vtkImageResliceMapper.newInstance();
    mapper.setInputData(this.image);
    mapper.setSlicePlane(plane);
    installExactSlabSampling(mapper);
    const slice = vtkImageSlice.newInstance();
    slice.setMapper(mapper);
    slice.getProperty().setInterpolationTypeToLinear();
    renderer.addViewProp(slice);
    const cam = renderer.getActiveCamera();
    cam.setParallelProjection(true);
    this.mpr.set(id, { slice, mapper, plane });
  }

  setMpr(id: ViewId, p: MprParams): void {
    const m = this.mpr.get(id);
    const v = this.views.get(id);
    if (!m || !v) return;
    const n = p.frame.basis.normal;
    m.plane.setOrigin(...p.planeOrigin);
    m.plane.setNormal(...n);
    if (p.slab === 'thin') m.mapper.setSlabThickness(0);
    else {
      m.mapper.setSlabType(SLAB_TYPE[p.slab]);
      m.mapper.setSlabThickness(p.slabMm);
    }
    const prop = m.slice.getProperty();
    prop.setColorWindow(p.window);
    prop.setColorLevel(p.level);
    const cam = v.renderer.getActiveCamera();
    const c = p.frame.center;
    cam.setFocalPoint(...c);
    cam.setPosition(...add(c, scale(n, CAMERA_DISTANCE_MM)));
    cam.setViewUp(...p.frame.basis.up);
    cam.setParallelScale((p.frame.heightPx * p.frame.mmPerPx) / 2);
    cam.setClippingRange(CAMERA_DISTANCE_MM / 2, CAMERA_DISTANCE_MM * 1.5);
  }

  private build3D(renderer: Vtk): void {
    if (!this.volumeActor) {
      const mapper = vtkVolumeMapper.newInstance();
      mapper.setInputData(this.image);
      const sp = this.volume.geometry.spacing;
      mapper.setSampleDistance(Math.min(...sp) * 0.9);
      const actor = vtkVolume.newInstance();
      actor.setMapper(mapper);
      const prop = actor.getProperty();
      prop.setInterpolationTypeToLinear();
      prop.setShade(true);
      prop.setAmbient(0.25);
      prop.setDiffuse(0.75);
      prop.setSpecular(0.2);
      this.volumeActor = actor;
      this.set3DPreset('lung');
    }
    renderer.addVolume(this.volumeActor);
    for (const a of this.markerActors) renderer.addActor(a);
    this.reset3DCamera();
  }

  set3DPreset(id: VolumePresetId): void {
    if (!this.volumeActor) return;
    const preset = VOLUME_PRESETS[id];
    const ctf = vtkColorTransferFunction.newInstance();
    for (const [hu, r, g, b] of preset.color) ctf.addRGBPoint(hu, r, g, b);
    const pwf = vtkPiecewiseFunction.newInstance();
    for (const [hu, o] of preset.opacity) pwf.addPoint(hu, o);
    const prop = this.volumeActor.getProperty();
    prop.setRGBTransferFunction(0, ctf);
    prop.setScalarOpacity(0, pwf);
    prop.setScalarOpacityUnitDistance(0, Math.max(...this.volume.geometry.spacing));
  }

  /** Finding markers in the 3D view: spheres at their centres (LPS), coloured per source. */
  setMarkers(markers: { center: Vec3; radiusMm: number; color: [number, number, number] }[]): void {
    const v3 = this.views.get('3d');
    for (const a of this.markerActors) {
      v3?.renderer.removeActor(a);
      a.getMapper().delete();
      a.delete();
    }
    this.markerActors = markers.map((m) => {
      const src = vtkSphereSource.newInstance({ center: m.center, radius: Math.max(2, m.radiusMm), thetaResolution: 16, phiResolution: 12 });
      const mapper = vtkMapper.newInstance();
      mapper.setInputConnection(src.getOutputPort());
      const actor = vtkActor.newInstance();
      actor.setMapper(mapper);
      actor.getProperty().setColor(...m.color);
      actor.getProperty().setOpacity(0.9);
      return actor;
    });
    for (const a of this.markerActors) v3?.renderer.addActor(a);
  }

  /**
   * 3D quality: 'preview' renders a third of the pixels along each axis with rays sampled 3x more coarsely (about
   * 1/27 of the work, shown first); 'full' renders every pixel at 0.9 of the finest voxel spacing.
   */
  set3DQuality(q: 'preview' | 'full'): void {
    const v = this.views.get('3d');
    if (!v || !this.volumeActor) return;
    const k = q === 'preview' ? 3 : 1;
    this.volumeActor.getMapper().setSampleDistance(Math.min(...this.volume.geometry.spacing) * 0.9 * k);
    const dpr = window.devicePixelRatio || 1;
    v.glView.setSize(Math.max(1, Math.floor((v.cssSize[0] * dpr) / k)), Math.max(1, Math.floor((v.cssSize[1] * dpr) / k)));
    const canvas: HTMLCanvasElement = v.glView.getCanvas();
    canvas.style.width = `${v.cssSize[0]}px`;
    canvas.style.height = `${v.cssSize[1]}px`;
    this.mainView.resizeFromChildRenderWindows();
  }

  /**
   * Waits for the GPU to finish what was drawn (a 1-pixel read-back), so a frame time measured around render()
   * is the real one: WebGL calls return before the (software) GPU has done the work.
   */
  finish(): void {
    const gl: WebGL2RenderingContext | null = this.mainView.getContext?.() ?? null;
    if (!gl || gl.isContextLost()) return;
    gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  }

  reset3DCamera(): void {
    const v = this.views.get('3d');
    if (!v) return;
    const cam = v.renderer.getActiveCamera();
    const c = volumeCenter(this.volume.geometry);
    cam.setParallelProjection(false);
    cam.setFocalPoint(...c);
    cam.setPosition(c[0], c[1] - 1000, c[2]); // seen from the front (anterior is -y in LPS)
    cam.setViewUp(0, 0, 1);
    v.renderer.resetCamera();
  }

  rotate3D(dxPx: number, dyPx: number): void {
    const v = this.views.get('3d');
    if (!v) return;
    const cam = v.renderer.getActiveCamera();
    cam.azimuth(-dxPx * 0.4);
    cam.elevation(dyPx * 0.4);
    cam.orthogonalizeViewUp();
    v.renderer.resetCameraClippingRange();
  }

  zoom3D(factor: number): void {
    const v = this.views.get('3d');
    if (!v) return;
    v.renderer.getActiveCamera().dolly(factor);
    v.renderer.resetCameraClippingRange();
  }

  /** CSS-pixel position of an LPS point in the 3D view (for clickable marker labels), or null if behind. */
  project3D(p: Vec3): { x: number; y: number } | null {
    const v = this.views.get('3d');
    if (!v) return null;
    const [w, h] = v.cssSize;
    const nd = v.renderer.worldToNormalizedDisplay(p[0], p[1], p[2], w / h);
    if (nd[2] < 0 || nd[2] > 1) return null;
    return { x: nd[0] * w, y: (1 - nd[1]) * h };
  }

  render(id: ViewId): void {
    if (this.deleted) return;
    this.views.get(id)?.renderWindow.render();
  }

  renderAll(): void {
    for (const id of this.views.keys()) this.render(id);
  }

  /**
   * Bytes of the volume: the CPU voxel array, the shared scalar texture (0 until first render) and all GPU
   * resources vtk.js holds in the one context (lookup tables included).
   */
  memory(): { cpuBytes: number; textureBytes: number; gpuBytes: number } {
    const res = this.mainView.getGraphicsResourceForObject(this.image.getPointData().getScalars());
    const textureBytes: number = res?.oglObject?.getAllocatedGPUMemoryInBytes?.() ?? 0;
    return { cpuBytes: this.volume.voxels.byteLength, textureBytes, gpuBytes: Number(this.mainView.getGraphicsMemoryInfo?.() ?? 0) };
  }

  delete(): void {
    if (this.deleted) return;
    for (const id of [...this.views.keys()]) this.detach(id);
    this.setMarkers([]);
    this.volumeActor?.getMapper().delete();
    this.volumeActor?.delete();
    const canvas = this.glCanvas();
    canvas.removeEventListener('webglcontextlost', this.onLost);
    canvas.removeEventListener('webglcontextrestored', this.onRestored);
    this.mainView.delete();
    this.main.delete();
    this.image.delete();
    this.deleted = true;
  }
}
