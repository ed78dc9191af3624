// Pure view maths for the MPR viewer: which volume axis each view pages through, world (LPS mm) <-> screen
// (CSS px) transforms, and where findings (boxes, spheres, contour polygons) cut a view plane.
// Shared by the renderer (overlay layer, HU probe, measurements) and unit tests; no DOM, no vtk.
import type { Vec3, VolumeGeometry } from '../../src-main/shared/geometry';
import { axis, cross, dot, ijkToLps, lpsToIjk } from '../../src-main/shared/geometry';

export type ViewOrientation = 'axial' | 'coronal' | 'sagittal';

/** The orthonormal frame of a view: screen right, screen up, and the plane normal pointing out of the screen. */
export interface ViewBasis {
  right: Vec3;
  up: Vec3;
  normal: Vec3;
  /** The volume axis (0=i, 1=j, 2=k) a slice step moves along. */
  sliceAxis: 0 | 1 | 2;
  /** Distance between two slices of this view in mm (the spacing of sliceAxis). */
  sliceSpacingMm: number;
  /** Set when the plane was rotated off the volume axes: slices are then resampled, not the acquired ones. */
  obliqueDeg?: number;
}

/**
 * Radiological display convention in LPS: axial seen from the feet (patient left on screen right, anterior up),
 * coronal seen from the front (left on the right, superior up), sagittal seen from the patient's left
 * (anterior on the left, superior up).
 */
const PATIENT_FRAME: Record<ViewOrientation, { right: Vec3; up: Vec3 }> = {
  axial: { right: [1, 0, 0], up: [0, -1, 0] },
  coronal: { right: [1, 0, 0], up: [0, 0, 1] },
  sagittal: { right: [0, 1, 0], up: [0, 0, 1] },
};

export const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const scale = (a: Vec3, s: number): Vec3 => [a[0] * s, a[1] * s, a[2] * s];
export const norm = (a: Vec3): number => Math.hypot(a[0], a[1], a[2]);
export const distance = (a: Vec3, b: Vec3): number => norm(sub(a, b));

/**
 * The view frame built from the volume's own axes (the one closest to each patient direction), so an axial view of
 * a coronal or tilted-table acquisition still pages through real slices and the image is never resampled obliquely
 * unless the user rotates it.
 */
export function viewBasis(g: VolumeGeometry, orientation: ViewOrientation): ViewBasis {
  const target = PATIENT_FRAME[orientation];
  const targetNormal = cross(target.right, target.up);
  const axes = [axis(g, 0), axis(g, 1), axis(g, 2)];
  const pick = (want: Vec3, from: number[]): number => from.reduce((best, a) => (Math.abs(dot(axes[a], want)) > Math.abs(dot(axes[best], want)) ? a : best), from[0]);
  const n = pick(targetNormal, [0, 1, 2]);
  const rest = [0, 1, 2].filter((a) => a !== n);
  const r = pick(target.right, rest);
  const u = rest.find((a) => a !== r)!;
  const signed = (a: number, want: Vec3): Vec3 => (dot(axes[a], want) < 0 ? scale(axes[a], -1) : axes[a]);
  const right = signed(r, target.right);
  const up = signed(u, target.up);
  return { right, up, normal: cross(right, up), sliceAxis: n as 0 | 1 | 2, sliceSpacingMm: g.spacing[n] };
}

/** Oblique MPR: the basis rotated about the unit vector `about` (e.g. another view's normal) by `radians`. */
export function rotateBasis(b: ViewBasis, about: Vec3, radians: number): ViewBasis {
  const rot = (v: Vec3): Vec3 => {
    // Rodrigues' rotation formula; `about` must be a unit vector.
    const c = Math.cos(radians);
    const s = Math.sin(radians);
    const k = about;
    const kxv = cross(k, v);
    const kdv = dot(k, v);
    return [v[0] * c + kxv[0] * s + k[0] * kdv * (1 - c), v[1] * c + kxv[1] * s + k[1] * kdv * (1 - c), v[2] * c + kxv[2] * s + k[2] * kdv * (1 - c)];
  };
  const right = rot(b.right);
  const up = rot(b.up);
  return { ...b, right, up, normal: cross(right, up), obliqueDeg: (b.obliqueDeg ?? 0) + (radians * 180) / Math.PI };
}

/** Oblique MPR state: the planes other than `about` are rotated about its normal by `radians`. */
export interface Oblique {
  about: ViewOrientation;
  radians: number;
}

/** The basis a view is drawn with: its volume-aligned basis, rotated when another view's rotation applies. */
export function effectiveBasis(g: VolumeGeometry, orientation: ViewOrientation, oblique: Oblique | null): ViewBasis {
  const b = viewBasis(g, orientation);
  if (!oblique || oblique.about === orientation || Math.abs(oblique.radians) < 1e-9) return b;
  return rotateBasis(b, viewBasis(g, oblique.about).normal, oblique.radians);
}

/** One rendered view: its frame, what world point sits at the viewport centre, zoom and the viewport size. */
export interface ViewFrame {
  basis: ViewBasis;
  /** LPS point at the centre of the viewport; it lies on the view plane. */
  center: Vec3;
  mmPerPx: number;
  widthPx: number;
  heightPx: number;
}

/** Screen position (CSS px from the viewport's top-left) and signed distance from the plane (mm, + toward viewer). */
export function worldToScreen(v: ViewFrame, p: Vec3): { x: number; y: number; depthMm: number } {
  const d = sub(p, v.center);
  return {
    x: v.widthPx / 2 + dot(d, v.basis.right) / v.mmPerPx,
    y: v.heightPx / 2 - dot(d, v.basis.up) / v.mmPerPx,
    depthMm: dot(d, v.basis.normal),
  };
}

/** The LPS point on the view plane under screen position (x, y). */
export function screenToWorld(v: ViewFrame, x: number, y: number): Vec3 {
  const dx = (x - v.widthPx / 2) * v.mmPerPx;
  const dy = (v.heightPx / 2 - y) * v.mmPerPx;
  return add(add(v.center, scale(v.basis.right, dx)), scale(v.basis.up, dy));
}

/** mm per CSS pixel that fits the whole volume extent (seen in this basis) into the viewport with a margin. */
export function fitMmPerPx(g: VolumeGeometry, b: ViewBasis, widthPx: number, heightPx: number): number {
  const corners = volumeCorners(g);
  const span = (dir: Vec3) => {
    const ps = corners.map((c) => dot(c, dir));
    return Math.max(...ps) - Math.min(...ps);
  };
  return Math.max(span(b.right) / Math.max(widthPx, 1), span(b.up) / Math.max(heightPx, 1)) * 1.05;
}

export function volumeCorners(g: VolumeGeometry): Vec3[] {
  const out: Vec3[] = [];
  for (const k of [0, g.dims[2] - 1]) for (const j of [0, g.dims[1] - 1]) for (const i of [0, g.dims[0] - 1]) out.push(ijkToLps(g, [i, j, k]));
  return out;
}

export function volumeCenter(g: VolumeGeometry): Vec3 {
  return ijkToLps(g, [(g.dims[0] - 1) / 2, (g.dims[1] - 1) / 2, (g.dims[2] - 1) / 2]);
}

/** Index (0-based, may be fractional) of the slice of `b.sliceAxis` through point p. */
export function sliceIndexAt(g: VolumeGeometry, b: ViewBasis, p: Vec3): number {
  return lpsToIjk(g, p)[b.sliceAxis];
}

/**
 * Moves p by whole slices along the view normal and snaps it onto the nearest slice centre inside the volume.
 * An oblique plane moves by the slice spacing along its normal and stops at the volume's bounding box.
 */
export function stepSlice(g: VolumeGeometry, b: ViewBasis, p: Vec3, steps: number): Vec3 {
  if (b.obliqueDeg) {
    const q = add(p, scale(b.normal, steps * b.sliceSpacingMm));
    const ijk = lpsToIjk(g, q).map((v, a) => Math.min(g.dims[a] - 1, Math.max(0, v))) as Vec3;
    return ijkToLps(g, ijk);
  }
  const ijk = lpsToIjk(g, p);
  const a = b.sliceAxis;
  // The basis normal may point against the volume axis; step in screen-normal terms (+ = toward the viewer).
  const sign = dot(axis(g, a), b.normal) >= 0 ? 1 : -1;
  ijk[a] = Math.min(g.dims[a] - 1, Math.max(0, Math.round(ijk[a]) + sign * steps));
  return ijkToLps(g, ijk);
}

/** HU of the voxel nearest to p, or null outside the volume. */
export function sampleHU(voxels: Int16Array, g: VolumeGeometry, p: Vec3): number | null {
  const [fi, fj, fk] = lpsToIjk(g, p);
  const i = Math.round(fi);
  const j = Math.round(fj);
  const k = Math.round(fk);
  if (i < 0 || j < 0 || k < 0 || i >= g.dims[0] || j >= g.dims[1] || k >= g.dims[2]) return null;
  return voxels[i + g.dims[0] * (j + g.dims[1] * k)];
}

export interface Plane {
  origin: Vec3;
  normal: Vec3; // unit
}

/** Polygon where an LPS axis-aligned box cuts the plane, vertices in order around it; [] when they miss. */
export function planeBoxIntersection(plane: Plane, box: { min: Vec3; max: Vec3 }): Vec3[] {
  const c: Vec3[] = [];
  for (const z of [box.min[2], box.max[2]]) for (const y of [box.min[1], box.max[1]]) for (const x of [box.min[0], box.max[0]]) c.push([x, y, z]);
  const edges = [
    [0, 1], [2, 3], [4, 5], [6, 7], // along x
    [0, 2], [1, 3], [4, 6], [5, 7], // along y
    [0, 4], [1, 5], [2, 6], [3, 7], // along z
  ];
  const dist = c.map((p) => dot(sub(p, plane.origin), plane.normal));
  const pts: Vec3[] = [];
  for (const [a, b] of edges) {
    const da = dist[a];
    const db = dist[b];
    if ((da < 0 && db < 0) || (da > 0 && db > 0)) continue;
    if (da === db) {
      // Edge lies in the plane: both ends are on it.
      if (da === 0) pts.push(c[a], c[b]);
      continue;
    }
    const t = da / (da - db);
    pts.push(add(c[a], scale(sub(c[b], c[a]), t)));
  }
  return orderAroundCentroid(dedupe(pts), plane.normal);
}

/** Circle where a sphere cuts the plane (centre on the plane, radius mm), or null. */
export function planeSphereIntersection(plane: Plane, center: Vec3, radiusMm: number): { center: Vec3; radiusMm: number } | null {
  const d = dot(sub(center, plane.origin), plane.normal);
  if (Math.abs(d) > radiusMm) return null;
  return { center: sub(center, scale(plane.normal, d)), radiusMm: Math.sqrt(radiusMm * radiusMm - d * d) };
}

export type PolygonCut =
  | { kind: 'inPlane'; points: Vec3[] } // the polygon lies in (or within tolerance of) the plane: draw it whole
  | { kind: 'crossing'; segments: [Vec3, Vec3][] } // the plane crosses it: draw the chords
  | { kind: 'none' };

/**
 * How a closed planar polygon (e.g. a reader contour on an axial image) meets a view plane. `toleranceMm` is
 * half a slice: a contour drawn on this slice counts as in-plane even if positions differ by rounding.
 */
export function planePolygonIntersection(plane: Plane, polygon: Vec3[], toleranceMm: number): PolygonCut {
  if (polygon.length === 0) return { kind: 'none' };
  const dist = polygon.map((p) => dot(sub(p, plane.origin), plane.normal));
  if (dist.every((d) => Math.abs(d) <= toleranceMm)) return { kind: 'inPlane', points: polygon.map((p, i) => sub(p, scale(plane.normal, dist[i]))) };
  const hits: Vec3[] = [];
  for (let i = 0; i < polygon.length; i++) {
    const j = (i + 1) % polygon.length;
    const da = dist[i];
    const db = dist[j];
    if ((da < 0 && db < 0) || (da > 0 && db > 0) || da === db) continue;
    const t = da / (da - db);
    // Half-open edges [a, b) so a vertex exactly on the plane is counted once.
    if (t === 1) continue;
    hits.push(add(polygon[i], scale(sub(polygon[j], polygon[i]), t)));
  }
  if (hits.length < 2) return { kind: 'none' };
  // Pair the hits along the line of intersection (even-odd rule for a non-convex polygon).
  const lineDir = hits.length > 1 ? sub(hits[hits.length - 1], hits[0]) : ([1, 0, 0] as Vec3);
  hits.sort((a, b) => dot(a, lineDir) - dot(b, lineDir));
  const segments: [Vec3, Vec3][] = [];
  for (let i = 0; i + 1 < hits.length; i += 2) segments.push([hits[i], hits[i + 1]]);
  return { kind: 'crossing', segments };
}

function dedupe(pts: Vec3[]): Vec3[] {
  const out: Vec3[] = [];
  for (const p of pts) if (!out.some((q) => distance(p, q) < 1e-9)) out.push(p);
  return out;
}

function orderAroundCentroid(pts: Vec3[], normal: Vec3): Vec3[] {
  if (pts.length < 3) return pts;
  const c = scale(pts.reduce(add, [0, 0, 0] as Vec3), 1 / pts.length);
  // Any in-plane reference direction works for the angle sort.
  const ref = sub(pts[0], c);
  const ref2 = cross(normal, ref);
  return [...pts].sort((a, b) => {
    const da = sub(a, c);
    const db = sub(b, c);
    return Math.atan2(dot(da, ref2), dot(da, ref)) - Math.atan2(dot(db, ref2), dot(db, ref));
  });
}

/** The orientation letters at the four screen edges (L/R/A/P/S/I), from the dominant LPS component. */
export function orientationLabels(b: ViewBasis): { left: string; right: string; top: string; bottom: string } {
  const letter = (v: Vec3): string => {
    const names: [string, string][] = [['L', 'R'], ['P', 'A'], ['S', 'I']];
    let best = 0;
    for (let a = 1; a < 3; a++) if (Math.abs(v[a]) > Math.abs(v[best])) best = a;
    return v[best] >= 0 ? names[best][0] : names[best][1];
  };
  return { right: letter(b.right), left: letter(scale(b.right, -1)), top: letter(b.up), bottom: letter(scale(b.up, -1)) };
}

/**
 * The frame of an MPR view: the volume centre (shifted by the pan, mm along right/up) brought onto the plane
 * through the crosshair, so moving the crosshair pages slices without sliding the picture sideways.
 */
export function frameFor(g: VolumeGeometry, basis: ViewBasis, crosshair: Vec3, zoom: number, pan: [number, number], widthPx: number, heightPx: number): ViewFrame {
  const w = Math.max(1, widthPx);
  const h = Math.max(1, heightPx);
  let c = add(add(volumeCenter(g), scale(basis.right, pan[0])), scale(basis.up, pan[1]));
  c = sub(c, scale(basis.normal, dot(sub(c, crosshair), basis.normal)));
  return { basis, center: c, mmPerPx: fitMmPerPx(g, basis, w, h) / zoom, widthPx: w, heightPx: h };
}
