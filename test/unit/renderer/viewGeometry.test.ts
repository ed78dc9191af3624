import { describe, expect, it } from 'vitest';
import type { Vec3, VolumeGeometry } from '../../../src-main/shared/geometry';
import { ijkToLps } from '../../../src-main/shared/geometry';
import {
  distance,
  effectiveBasis,
  fitMmPerPx,
  frameFor,
  orientationLabels,
  planeBoxIntersection,
  planePolygonIntersection,
  planeSphereIntersection,
  rotateBasis,
  sampleHU,
  screenToWorld,
  sliceIndexAt,
  stepSlice,
  viewBasis,
  worldToScreen,
  type ViewFrame,
} from '../../../src-renderer/viewer/viewGeometry';
import { downsampleFactors, downsampleVolume } from '../../../src-renderer/viewer/downsampleVolume';
import { findingOverlays } from '../../../src-renderer/viewer/overlayShapes';

const axialGeom: VolumeGeometry = {
  dims: [100, 80, 40],
  spacing: [0.7, 0.7, 2.5], // anisotropic: thick axial slices
  origin: [-35, -28, -120],
  direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
};

// A coronal acquisition: rows run left (i), columns run inferior (j = -S), slices step posterior (k = +P).
const coronalGeom: VolumeGeometry = {
  dims: [64, 50, 30],
  spacing: [0.8, 0.8, 3],
  origin: [-25, -40, 60],
  direction: [1, 0, 0, 0, 0, -1, 0, 1, 0],
};

// An oblique (30° about S) axial-ish acquisition.
const c30 = Math.cos(Math.PI / 6);
const s30 = Math.sin(Math.PI / 6);
const obliqueGeom: VolumeGeometry = {
  dims: [40, 40, 20],
  spacing: [1, 1, 2],
  origin: [0, 0, 0],
  direction: [c30, s30, 0, -s30, c30, 0, 0, 0, 1],
};

const close = (a: Vec3, b: Vec3, eps = 1e-9) => expect(distance(a, b)).toBeLessThan(eps);

describe('viewBasis', () => {
  it('follows the radiological convention for an axial acquisition', () => {
    const ax = viewBasis(axialGeom, 'axial');
    expect(ax.right).toEqual([1, 0, 0]);
    close(ax.up, [0, -1, 0]);
    expect(ax.normal).toEqual([0, 0, -1]); // camera below the feet looks up toward the head
    expect(ax.sliceAxis).toBe(2);
    expect(ax.sliceSpacingMm).toBe(2.5);
    const sag = viewBasis(axialGeom, 'sagittal');
    expect(sag.sliceAxis).toBe(0);
    expect(sag.sliceSpacingMm).toBe(0.7);
    expect(orientationLabels(sag)).toEqual({ left: 'A', right: 'P', top: 'S', bottom: 'I' });
    expect(orientationLabels(ax)).toEqual({ left: 'R', right: 'L', top: 'A', bottom: 'P' });
  });

  it('pages the axial view along the j axis of a coronal acquisition', () => {
    const ax = viewBasis(coronalGeom, 'axial');
    expect(ax.sliceAxis).toBe(1);
    expect(ax.sliceSpacingMm).toBe(0.8);
    const cor = viewBasis(coronalGeom, 'coronal');
    expect(cor.sliceAxis).toBe(2);
    expect(cor.sliceSpacingMm).toBe(3);
    close(cor.up, [0, 0, 1]); // j runs inferior, so up is -j
    expect(orientationLabels(cor)).toEqual({ left: 'R', right: 'L', top: 'S', bottom: 'I' });
  });

  it('uses the tilted volume axes of an oblique acquisition', () => {
    const ax = viewBasis(obliqueGeom, 'axial');
    close(ax.right, [c30, s30, 0]);
    close(ax.up, [s30, -c30, 0]);
    expect(ax.sliceAxis).toBe(2);
  });

  it('rotates an oblique plane about another view normal keeping an orthonormal frame', () => {
    const ax = viewBasis(axialGeom, 'axial');
    const r = rotateBasis(ax, [0, 0, 1], Math.PI / 2);
    close(r.right, [0, 1, 0]);
    close(r.normal, [0, 0, -1]);
  });
});

describe('oblique MPR', () => {
  it('rotates the other planes about the chosen view normal and steps along the tilted normal', () => {
    const ob = { about: 'axial' as const, radians: Math.PI / 6 };
    const cor = effectiveBasis(axialGeom, 'coronal', ob);
    expect(cor.obliqueDeg).toBeCloseTo(30, 9);
    // Rotating about the axial normal (-S) keeps up = S and turns the coronal normal within the axial plane.
    close(cor.up, [0, 0, 1]);
    expect(cor.normal[2]).toBeCloseTo(0, 9);
    expect(Math.abs(cor.normal[0])).toBeCloseTo(0.5, 9);
    // The axial view itself is unchanged.
    expect(effectiveBasis(axialGeom, 'axial', ob).obliqueDeg).toBeUndefined();
    const p = ijkToLps(axialGeom, [50, 40, 20]);
    const q = stepSlice(axialGeom, cor, p, 2);
    expect(distance(p, q)).toBeCloseTo(2 * cor.sliceSpacingMm, 9);
    close(sub3(q, p), [2 * cor.sliceSpacingMm * cor.normal[0], 2 * cor.sliceSpacingMm * cor.normal[1], 2 * cor.sliceSpacingMm * cor.normal[2]], 1e-9);
  });
});

describe('world <-> screen', () => {
  it('round-trips on an oblique, anisotropic view and maps right/up to screen axes', () => {
    const basis = viewBasis(obliqueGeom, 'axial');
    const frame: ViewFrame = { basis, center: ijkToLps(obliqueGeom, [20, 20, 10]), mmPerPx: 0.25, widthPx: 300, heightPx: 200 };
    const p = screenToWorld(frame, 10, 190);
    const s = worldToScreen(frame, p);
    expect(s.x).toBeCloseTo(10, 9);
    expect(s.y).toBeCloseTo(190, 9);
    expect(s.depthMm).toBeCloseTo(0, 9);
    // One voxel step along i (1 mm along the oblique right axis) is 4 px to the right.
    const q = worldToScreen(frame, ijkToLps(obliqueGeom, [21, 20, 10]));
    expect(q.x).toBeCloseTo(154, 9);
    expect(q.y).toBeCloseTo(100, 9);
    // A point one slice (2 mm) toward the head is behind the plane (the axial camera looks from the feet).
    expect(worldToScreen(frame, ijkToLps(obliqueGeom, [20, 20, 11])).depthMm).toBeCloseTo(-2, 9);
  });

  it('fits the volume extent into the viewport', () => {
    const b = viewBasis(axialGeom, 'coronal');
    // Width 99*0.7 = 69.3 mm over 200 px, height 39*2.5 = 97.5 mm over 100 px -> height limits.
    expect(fitMmPerPx(axialGeom, b, 200, 100)).toBeCloseTo((97.5 / 100) * 1.05, 9);
  });
});

describe('slices', () => {
  it('steps whole thick slices along the view normal and clamps at the ends', () => {
    const ax = viewBasis(axialGeom, 'axial');
    const p = ijkToLps(axialGeom, [50, 40, 10.3]);
    const next = stepSlice(axialGeom, ax, p, 1);
    // + is toward the viewer, i.e. inferior for axial: k decreases by one slice of 2.5 mm.
    expect(sliceIndexAt(axialGeom, ax, next)).toBeCloseTo(9, 9);
    expect(next[2]).toBeCloseTo(-120 + 9 * 2.5, 9);
    expect(next[0]).toBeCloseTo(p[0], 9);
    expect(sliceIndexAt(axialGeom, ax, stepSlice(axialGeom, ax, p, -1000))).toBe(39);
  });

  it('samples the nearest voxel HU and returns null outside', () => {
    const voxels = new Int16Array(100 * 80 * 40);
    voxels[7 + 100 * (5 + 80 * 3)] = -734;
    expect(sampleHU(voxels, axialGeom, ijkToLps(axialGeom, [7.2, 4.8, 3.1]))).toBe(-734);
    expect(sampleHU(voxels, axialGeom, ijkToLps(axialGeom, [-1, 0, 0]))).toBeNull();
  });
});

describe('plane intersections', () => {
  const box = { min: [0, 0, 0] as Vec3, max: [10, 20, 30] as Vec3 };

  it('cuts an axis-aligned box with an axial plane into its rectangle', () => {
    const poly = planeBoxIntersection({ origin: [0, 0, 12], normal: [0, 0, 1] }, box);
    expect(poly).toHaveLength(4);
    for (const p of poly) expect(p[2]).toBeCloseTo(12, 9);
    const xs = poly.map((p) => p[0]).sort((a, b) => a - b);
    expect(xs).toEqual([0, 0, 10, 10]);
    // Consecutive vertices share an edge of the rectangle (ordered around, not criss-crossed).
    for (let i = 0; i < 4; i++) {
      const a = poly[i];
      const b = poly[(i + 1) % 4];
      expect(a[0] === b[0] || a[1] === b[1]).toBe(true);
    }
    expect(planeBoxIntersection({ origin: [0, 0, 31], normal: [0, 0, 1] }, box)).toEqual([]);
  });

  it('cuts a box with an oblique plane into a hexagon through the centre', () => {
    const n = 1 / Math.sqrt(3);
    const cube = { min: [-1, -1, -1] as Vec3, max: [1, 1, 1] as Vec3 };
    const poly = planeBoxIntersection({ origin: [0, 0, 0], normal: [n, n, n] }, cube);
    expect(poly).toHaveLength(6);
    for (const p of poly) expect(p[0] + p[1] + p[2]).toBeCloseTo(0, 9);
    // Regular hexagon: all sides equal, sqrt(2).
    for (let i = 0; i < 6; i++) expect(distance(poly[i], poly[(i + 1) % 6])).toBeCloseTo(Math.SQRT2, 9);
  });

  it('gives the circle of a sphere on a plane', () => {
    const c = planeSphereIntersection({ origin: [0, 0, 3], normal: [0, 0, 1] }, [1, 2, 0], 5);
    expect(c?.radiusMm).toBeCloseTo(4, 9);
    close(c!.center, [1, 2, 3]);
    expect(planeSphereIntersection({ origin: [0, 0, 6], normal: [0, 0, 1] }, [1, 2, 0], 5)).toBeNull();
  });

  it('draws an axial contour whole on its own slice and as chords on a coronal plane', () => {
    const square: Vec3[] = [[0, 0, -110], [10, 0, -110], [10, 10, -110], [0, 10, -110]];
    const own = planePolygonIntersection({ origin: [5, 5, -110.4], normal: [0, 0, -1] }, square, 1.25);
    expect(own.kind).toBe('inPlane');
    if (own.kind === 'inPlane') for (const p of own.points) expect(p[2]).toBeCloseTo(-110.4, 9);
    expect(planePolygonIntersection({ origin: [5, 5, -112.5], normal: [0, 0, 1] }, square, 1.25).kind).toBe('none');
    const cor = planePolygonIntersection({ origin: [0, 4, 0], normal: [0, -1, 0] }, square, 1.25);
    expect(cor.kind).toBe('crossing');
    if (cor.kind === 'crossing') {
      expect(cor.segments).toHaveLength(1);
      const [a, b] = cor.segments[0];
      expect(Math.min(a[0], b[0])).toBeCloseTo(0, 9);
      expect(Math.max(a[0], b[0])).toBeCloseTo(10, 9);
      expect(a[1]).toBeCloseTo(4, 9);
    }
  });

  it('pairs chords of a non-convex (U-shaped) contour', () => {
    const u: Vec3[] = [[0, 0, 0], [9, 0, 0], [9, 9, 0], [6, 9, 0], [6, 3, 0], [3, 3, 0], [3, 9, 0], [0, 9, 0]];
    const cut = planePolygonIntersection({ origin: [0, 6, 0], normal: [0, 1, 0] }, u, 0.5);
    expect(cut.kind).toBe('crossing');
    if (cut.kind === 'crossing') {
      const xs = cut.segments.map(([a, b]) => [Math.min(a[0], b[0]), Math.max(a[0], b[0])]).sort((p, q) => p[0] - q[0]);
      expect(xs).toEqual([[0, 3], [6, 9]]);
    }
  });
});

describe('frameFor', () => {
  it('puts the view plane through the crosshair without sliding the picture when paging', () => {
    const basis = viewBasis(axialGeom, 'axial');
    const a = frameFor(axialGeom, basis, ijkToLps(axialGeom, [10, 10, 5]), 1, [0, 0], 400, 300);
    const b = frameFor(axialGeom, basis, ijkToLps(axialGeom, [80, 70, 30]), 1, [0, 0], 400, 300);
    expect(a.center[2]).toBeCloseTo(-120 + 5 * 2.5, 9);
    expect(b.center[2]).toBeCloseTo(-120 + 30 * 2.5, 9);
    expect(a.center[0]).toBeCloseTo(b.center[0], 9);
    expect(a.center[1]).toBeCloseTo(b.center[1], 9);
    const zoomed = frameFor(axialGeom, basis, a.center, 2, [5, 0], 400, 300);
    expect(zoomed.mmPerPx).toBeCloseTo(a.mmPerPx / 2, 9);
    expect(zoomed.center[0] - a.center[0]).toBeCloseTo(5, 9);
  });
});

describe('downsampling for the GPU texture', () => {
  it('picks the smallest factors that fit the texture size and byte budget, in-plane first', () => {
    const limits = { max3DTextureSize: 2048, maxBytes: 2 * 1024 ** 3, bytesPerVoxel: 4 };
    expect(downsampleFactors([512, 512, 300], limits)).toEqual([1, 1, 1]);
    // 512x512x1500 as float32 is 1.5 GiB: fits a 2 GiB budget, not a 1 GiB one.
    expect(downsampleFactors([512, 512, 1500], limits)).toEqual([1, 1, 1]);
    expect(downsampleFactors([512, 512, 1500], { ...limits, maxBytes: 1024 ** 3 })).toEqual([2, 2, 1]);
    // More slices than the GPU allows along one side.
    expect(downsampleFactors([512, 512, 3000], { ...limits, bytesPerVoxel: 2 })).toEqual([1, 1, 2]);
  });

  it('averages blocks in HU and keeps voxel centres in place (LPS)', () => {
    const g: VolumeGeometry = { dims: [4, 2, 3], spacing: [0.5, 0.5, 2], origin: [10, 20, 30], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1] };
    const voxels = new Int16Array(24).map((_, n) => n * 10);
    const out = downsampleVolume({ voxels, geometry: g }, [2, 2, 1]);
    expect(out.geometry.dims).toEqual([2, 1, 3]);
    expect(out.geometry.spacing).toEqual([1, 1, 2]);
    expect(out.geometry.origin).toEqual([10.25, 20.25, 30]);
    // Block (i 0-1, j 0-1, k 0): voxels 0, 1, 4, 5 -> HU 0, 10, 40, 50 -> 25.
    expect(out.voxels[0]).toBe(25);
    expect(out.voxels[1]).toBe(45); // 2, 3, 6, 7
    expect(out.voxels[2]).toBe(105); // k = 1: 8, 9, 12, 13
    // The centre of the first new voxel is the mean of the old centres it covers.
    close(ijkToLps(out.geometry, [0, 0, 0]), [10.25, 20.25, 30]);
  });
});

describe('overlay shapes of findings on a view', () => {
  const g = axialGeom;
  const basis = viewBasis(g, 'axial');
  const center = ijkToLps(g, [50, 40, 20]);
  const frame = frameFor(g, basis, center, 1, [0, 0], 400, 400);
  const plane = { origin: center, normal: basis.normal };
  const base = {
    id: 'f1', seriesInstanceUID: '1.2', label: 'N1', longAxisMm: null, shortAxisMm: null, volumeMm3: null, meanHU: null, type: null,
    lungRads: null, brock: null, classProbs: null, score: 0.8, modelId: null, modelVersion: null, runId: null,
  } as const;

  it('draws a CAD sphere as the circle of its cut, radius in screen pixels', () => {
    const f = { ...base, source: 'cad' as const, centerLPS: add3(center, [0, 0, 3]), boxLPS: { min: center, max: center }, diameterMm: 10, contours: [] };
    const [o] = findingOverlays(frame, plane, [f], 1.25);
    expect(o.shapes).toHaveLength(1);
    const s = o.shapes[0];
    expect(s.kind).toBe('circle');
    if (s.kind === 'circle') {
      expect(s.r).toBeCloseTo(4 / frame.mmPerPx, 9); // sqrt(5² - 3²) = 4 mm
      expect(s.c.x).toBeCloseTo(worldToScreen(frame, center).x, 9); // the cut circle is centred under the sphere
    }
    expect(findingOverlays(frame, plane, [{ ...f, centerLPS: add3(center, [0, 0, 6]) }], 1.25)).toEqual([]);
  });

  it('draws a reference contour on its slice and nothing two slices away', () => {
    const ring: Vec3[] = [0, 1, 2, 3].map((q) => add3(center, [5 * Math.cos((q * Math.PI) / 2), 5 * Math.sin((q * Math.PI) / 2), 0.4]));
    const f = { ...base, source: 'reference' as const, centerLPS: center, boxLPS: { min: center, max: center }, diameterMm: 10, contours: [{ pointsLPS: ring }] };
    const [o] = findingOverlays(frame, plane, [f], g.spacing[2] / 2);
    expect(o.shapes[0].kind).toBe('polygon');
    const far = { origin: add3(center, [0, 0, 5]), normal: basis.normal };
    expect(findingOverlays(frame, far, [f], g.spacing[2] / 2)).toEqual([]);
  });
});

function sub3(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}

function add3(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}
