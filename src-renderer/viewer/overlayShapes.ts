// Derives what the overlay draws on one MPR view from the findings and measurements (data, in LPS mm):
// 2D shapes in the view's CSS pixels, computed with the shared view geometry. Pure; tested through the e2e DOM.
import type { Vec3 } from '../../src-main/shared/geometry';
import type { Finding, Measurement } from '../../src-main/shared/types';
import { dot } from '../../src-main/shared/geometry';
import {
  planeBoxIntersection,
  planePolygonIntersection,
  planeSphereIntersection,
  sub,
  worldToScreen,
  type Plane,
  type ViewFrame,
} from './viewGeometry';

export interface Pt {
  x: number;
  y: number;
}

export type Shape =
  | { kind: 'polygon'; points: Pt[] }
  | { kind: 'segment'; a: Pt; b: Pt }
  | { kind: 'circle'; c: Pt; r: number };

export interface FindingOverlay {
  finding: Finding;
  color: string;
  shapes: Shape[];
  /** Where the label goes (top-right of the drawn shapes). */
  anchor: Pt;
}

export const SOURCE_COLORS: Record<Finding['source'], string> = { cad: '#ffd23f', reference: '#27e1ff', reader: '#7dff6b' };

const toPt = (frame: ViewFrame, p: Vec3): Pt => {
  const s = worldToScreen(frame, p);
  return { x: s.x, y: s.y };
};

/**
 * Every finding that meets the plane: CAD findings as the circle of their sphere (diameter) or the cut of their
 * box; reader/reference findings as their contours (whole on their own slice, chords on other planes), or the box.
 * `toleranceMm` is half the slice spacing or half the slab, whichever is larger.
 */
export function findingOverlays(frame: ViewFrame, plane: Plane, findings: Finding[], toleranceMm: number): FindingOverlay[] {
  const out: FindingOverlay[] = [];
  for (const f of findings) {
    const shapes: Shape[] = [];
    if (f.source !== 'cad' && f.contours.length) {
      for (const c of f.contours) {
        const cut = planePolygonIntersection(plane, c.pointsLPS, toleranceMm);
        if (cut.kind === 'inPlane') shapes.push({ kind: 'polygon', points: cut.points.map((p) => toPt(frame, p)) });
        else if (cut.kind === 'crossing') for (const [a, b] of cut.segments) shapes.push({ kind: 'segment', a: toPt(frame, a), b: toPt(frame, b) });
      }
    } else if (f.diameterMm && f.diameterMm > 0) {
      const circle = planeSphereIntersection(plane, f.centerLPS, f.diameterMm / 2);
      if (circle) shapes.push({ kind: 'circle', c: toPt(frame, circle.center), r: circle.radiusMm / frame.mmPerPx });
    } else {
      const poly = planeBoxIntersection(plane, f.boxLPS);
      if (poly.length >= 3) shapes.push({ kind: 'polygon', points: poly.map((p) => toPt(frame, p)) });
    }
    if (!shapes.length) continue;
    const pts = shapes.flatMap((s) => (s.kind === 'polygon' ? s.points : s.kind === 'segment' ? [s.a, s.b] : [{ x: s.c.x + s.r, y: s.c.y - s.r }]));
    out.push({
      finding: f,
      color: SOURCE_COLORS[f.source],
      shapes,
      anchor: { x: Math.max(...pts.map((p) => p.x)) + 4, y: Math.min(...pts.map((p) => p.y)) - 4 },
    });
  }
  return out;
}

/** Measurements whose both ends lie within tolerance of the plane, as screen segments with their length. */
export function measurementOverlays(frame: ViewFrame, plane: Plane, ms: Measurement[], toleranceMm: number): { m: Measurement; a: Pt; b: Pt }[] {
  return ms
    .filter((m) => m.pointsLPS.every((p) => Math.abs(dot(sub(p, plane.origin), plane.normal)) <= toleranceMm))
    .map((m) => ({ m, a: toPt(frame, m.pointsLPS[0]), b: toPt(frame, m.pointsLPS[1]) }));
}

function distToSegment(p: Pt, a: Pt, b: Pt): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 ? Math.min(1, Math.max(0, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2)) : 0;
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

function insidePolygon(p: Pt, pts: Pt[]): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    if (pts[i].y > p.y !== pts[j].y > p.y && p.x < ((pts[j].x - pts[i].x) * (p.y - pts[i].y)) / (pts[j].y - pts[i].y) + pts[i].x) inside = !inside;
  }
  return inside;
}

/**
 * The finding mark under the cursor: inside one of its shapes or within `tolPx` of its outline (a 2 px line is
 * too thin to hover). The nearest outline wins when marks overlap; null when none is near.
 */
export function overlayAt(overlays: FindingOverlay[], p: Pt, tolPx = 6): FindingOverlay | null {
  let best: { o: FindingOverlay; d: number } | null = null;
  for (const o of overlays)
    for (const s of o.shapes) {
      let d: number;
      if (s.kind === 'circle') {
        const r = Math.hypot(p.x - s.c.x, p.y - s.c.y);
        d = r <= s.r ? Math.max(0, s.r - r) * 0.01 : r - s.r;
      } else if (s.kind === 'segment') d = distToSegment(p, s.a, s.b);
      else {
        const edge = Math.min(...s.points.map((a, i) => distToSegment(p, a, s.points[(i + 1) % s.points.length])));
        d = insidePolygon(p, s.points) ? edge * 0.01 : edge;
      }
      if (d <= tolPx && (!best || d < best.d)) best = { o, d };
    }
  return best?.o ?? null;
}
