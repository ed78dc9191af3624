// Small pure helpers of the MPR views that the overlay, the mouse handling and the tests share: keep a point
// inside the volume, zoom about the cursor, the slice number a radiologist expects, and HU statistics of a
// circular region. No DOM, no vtk.
import type { Vec3, VolumeGeometry } from '../../src-main/shared/geometry';
import { dot, ijkToLps, lpsToIjk } from '../../src-main/shared/geometry';
import { screenToWorld, type ViewBasis, type ViewFrame, type ViewOrientation } from './viewGeometry';

/** p moved to the nearest point inside the volume (voxel centres span [0, dims-1] on each axis). */
export function clampToVolume(g: VolumeGeometry, p: Vec3): Vec3 {
  const ijk = lpsToIjk(g, p).map((v, a) => Math.min(g.dims[a] - 1, Math.max(0, v))) as Vec3;
  return ijkToLps(g, ijk);
}

/**
 * The pan that keeps the world point under screen position (x, y) in place when the zoom goes from `zoom` to
 * `nextZoom` (mm per pixel scales by zoom / nextZoom); pan is mm along the view's right and up axes.
 */
export function panForZoomAbout(frame: ViewFrame, pan: [number, number], x: number, y: number, zoom: number, nextZoom: number): [number, number] {
  const keep = 1 - zoom / nextZoom;
  return [pan[0] + (x - frame.widthPx / 2) * frame.mmPerPx * keep, pan[1] + (frame.heightPx / 2 - y) * frame.mmPerPx * keep];
}

/** The patient direction slice numbers count from: head for axial, front for coronal, the patient's right for sagittal. */
const COUNT_FROM: Record<ViewOrientation, Vec3> = { axial: [0, 0, 1], coronal: [0, -1, 0], sagittal: [-1, 0, 0] };

/**
 * The slice number shown for a view, 1-based and counted from the head (axial), the front (coronal) or the
 * patient's right (sagittal), so scrolling toward the feet raises the number as in a PACS; and, for an axial view
 * of a volume built from whole slices, the DICOM Instance Number (0020,0013) of the slice under the crosshair.
 */
export function sliceLabel(g: VolumeGeometry, orientation: ViewOrientation, b: ViewBasis, k: number): { number: number; of: number; instanceNumber: number | null } {
  const n = g.dims[b.sliceAxis];
  const idx = Math.min(n - 1, Math.max(0, Math.round(k)));
  const axisDir: Vec3 = [g.direction[b.sliceAxis * 3], g.direction[b.sliceAxis * 3 + 1], g.direction[b.sliceAxis * 3 + 2]];
  const number = dot(axisDir, COUNT_FROM[orientation]) > 0 ? n - idx : idx + 1;
  const nums = g.instanceNumbers;
  const instanceNumber = nums && nums.length === n && b.sliceAxis === 2 ? (nums[idx] ?? null) : null;
  return { number, of: n, instanceNumber };
}

export interface RoiStats {
  n: number;
  mean: number;
  sd: number;
  min: number;
  max: number;
  areaMm2: number;
}

/**
 * HU statistics of the voxels of the displayed slice whose centres lie within a circle (centre on the view plane,
 * radius in mm), read from the voxel array. Volume-aligned views only (null on an oblique plane, where a slice
 * is resampled and has no voxels of its own).
 */
export function roiStats(voxels: Int16Array, g: VolumeGeometry, b: ViewBasis, center: Vec3, radiusMm: number): RoiStats | null {
  if (b.obliqueDeg) return null;
  const c = lpsToIjk(g, center);
  const ax = b.sliceAxis;
  const k = Math.round(c[ax]);
  if (k < 0 || k >= g.dims[ax]) return null;
  const [u, v] = ([0, 1, 2] as const).filter((a) => a !== ax);
  const values: number[] = [];
  const ijk: Vec3 = [0, 0, 0];
  ijk[ax] = k;
  for (let iu = Math.max(0, Math.floor(c[u] - radiusMm / g.spacing[u])); iu <= Math.min(g.dims[u] - 1, Math.ceil(c[u] + radiusMm / g.spacing[u])); iu++)
    for (let iv = Math.max(0, Math.floor(c[v] - radiusMm / g.spacing[v])); iv <= Math.min(g.dims[v] - 1, Math.ceil(c[v] + radiusMm / g.spacing[v])); iv++) {
      // In-plane distance in mm between the voxel centre and the circle centre (axes are orthonormal).
      if (((iu - c[u]) * g.spacing[u]) ** 2 + ((iv - c[v]) * g.spacing[v]) ** 2 > radiusMm * radiusMm) continue;
      ijk[u] = iu;
      ijk[v] = iv;
      values.push(voxels[ijk[0] + g.dims[0] * (ijk[1] + g.dims[1] * ijk[2])]);
    }
  if (!values.length) return null;
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  const sd = values.length > 1 ? Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (values.length - 1)) : 0;
  let min = Infinity;
  let max = -Infinity;
  for (const x of values) {
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { n: values.length, mean, sd, min, max, areaMm2: values.length * g.spacing[u] * g.spacing[v] };
}

/** The LPS point under screen (x, y), kept inside the volume: a click in the black margin never leaves it. */
export function clickedPoint(g: VolumeGeometry, frame: ViewFrame, x: number, y: number): Vec3 {
  return clampToVolume(g, screenToWorld(frame, x, y));
}
