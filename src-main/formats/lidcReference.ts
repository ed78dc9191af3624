// Reference findings from LIDC-IDRI reads: each reader's nodule outlines are converted to LPS with the series
// geometry, marks of different readers whose centres lie close together are clustered into one nodule, and
// each cluster becomes one Finding (source 'reference') with the number of readers who marked it. LUNA16
// counts a nodule >= 3 mm marked by 3 or 4 readers as real; the count is in the label so callers can filter.
import type { Finding, NoduleType, Contour } from '../shared/types';
import type { Vec3, VolumeGeometry } from '../shared/geometry';
import { ijkToLps } from '../shared/geometry';
import type { LidcNodule, LidcRead } from './lidcXml';
import { parseLidcXml } from './lidcXml';

export interface LidcReferenceOptions {
  seriesInstanceUID?: string;
  /** SOP Instance UIDs of the slices present; outlines on other slices give no contour (but count for the centre). */
  slices?: { sopInstanceUID: string; z: number }[];
  /** Include nodules < 3 mm (single points). Default false, as LUNA16. */
  includeSmall?: boolean;
  /** Reader marks within this distance (mm) of a cluster centre, or within the cluster radius, join it. Default 5. */
  clusterDistanceMm?: number;
}

export interface ReferenceNodule {
  finding: Finding;
  readers: number;
  totalReaders: number;
  /** Median reader malignancy rating (1-5), null if none rated. */
  malignancy: number | null;
}

interface Mark { reader: number; center: Vec3; diameterMm: number; nodule: LidcNodule; points: Vec3[]; contours: Contour[] }

/** One Finding per clustered nodule (most readers first). */
export function lidcReferenceFindings(xml: string | LidcRead, geometry: VolumeGeometry, opts: LidcReferenceOptions = {}): Finding[] {
  return lidcReferenceNodules(xml, geometry, opts).map((n) => n.finding);
}

/** The clustered nodules with their reader count and median malignancy rating. */
export function lidcReferenceNodules(xml: string | LidcRead, geometry: VolumeGeometry, opts: LidcReferenceOptions = {}): ReferenceNodule[] {
  const read = typeof xml === 'string' ? parseLidcXml(xml) : xml;
  const present = opts.slices ? new Set(opts.slices.map((s) => s.sopInstanceUID)) : null;
  const marks: Mark[] = [];
  read.sessions.forEach((s, reader) => {
    for (const n of s.nodules) {
      if (n.small && !opts.includeSmall) continue;
      const m = toMark(n, reader, geometry, present);
      if (m) marks.push(m);
    }
  });
  const clusters: Mark[][] = [];
  const dMax = opts.clusterDistanceMm ?? 5;
  // Larger marks first so small satellite marks join the nodule they sit on.
  for (const m of [...marks].sort((a, b) => b.diameterMm - a.diameterMm)) {
    let best: Mark[] | null = null;
    let bestD = Infinity;
    for (const c of clusters) {
      if (c.some((o) => o.reader === m.reader)) continue;
      const cc = mean(c.map((o) => o.center));
      const d = dist(cc, m.center);
      const limit = Math.max(dMax, mean1(c.map((o) => o.diameterMm)) / 2);
      if (d <= limit && d < bestD) { best = c; bestD = d; }
    }
    if (best) best.push(m);
    else clusters.push([m]);
  }
  const series = opts.seriesInstanceUID ?? read.seriesInstanceUID ?? '';
  const total = read.sessions.length;
  return clusters
    .map((c, idx): ReferenceNodule => {
      const center = mean(c.map((m) => m.center));
      const pts = c.flatMap((m) => m.points);
      const lo: Vec3 = [0, 1, 2].map((a) => Math.min(...pts.map((p) => p[a]))) as Vec3;
      const hi: Vec3 = [0, 1, 2].map((a) => Math.max(...pts.map((p) => p[a]))) as Vec3;
      const texture = median(c.map((m) => m.nodule.characteristics.texture).filter((v) => Number.isFinite(v)));
      const malignancy = median(c.map((m) => m.nodule.characteristics.malignancy).filter((v) => Number.isFinite(v)));
      const finding: Finding = {
        id: `lidc-${idx + 1}`,
        seriesInstanceUID: series,
        source: 'reference',
        label: `LIDC nodule (${c.length}/${total} readers)`,
        centerLPS: center,
        boxLPS: { min: lo, max: hi },
        diameterMm: Math.round(mean1(c.map((m) => m.diameterMm)) * 10) / 10,
        longAxisMm: null,
        shortAxisMm: null,
        volumeMm3: null,
        meanHU: null,
        type: texture === null ? null : textureToType(texture),
        lungRads: null,
        brock: null,
        classProbs: null,
        score: null,
        modelId: null,
        modelVersion: null,
        runId: null,
        contours: c.flatMap((m) => m.contours),
      };
      return { finding, readers: c.length, totalReaders: total, malignancy };
    })
    .sort((a, b) => b.readers - a.readers || (b.finding.diameterMm ?? 0) - (a.finding.diameterMm ?? 0));
}

/** LIDC texture rating: 1 = non-solid (ground-glass), 3 = part-solid, 5 = solid. */
function textureToType(t: number): NoduleType {
  return t <= 2 ? 'ground-glass' : t < 4 ? 'part-solid' : 'solid';
}

function toMark(n: LidcNodule, reader: number, g: VolumeGeometry, present: Set<string> | null): Mark | null {
  const rois = n.rois.filter((r) => r.inclusion && r.points.length > 0);
  if (rois.length === 0) return null;
  const kOf = (z: number): number => (z - g.origin[2]) / (g.spacing[2] * (g.direction[8] || 1));
  let wsum = 0;
  const acc: Vec3 = [0, 0, 0];
  const points: Vec3[] = [];
  const contours: Contour[] = [];
  let diameter = 0;
  for (const r of rois) {
    const k = kOf(r.z);
    const lps = r.points.map(([x, y]) => ijkToLps(g, [x, y, k]));
    points.push(...lps);
    const { area, centroid } = polygonCentroid(lps);
    const w = Math.max(area, 1e-3);
    for (let a = 0; a < 3; a++) acc[a] += centroid[a] * w;
    wsum += w;
    for (let a = 0; a < lps.length; a++) for (let b = a + 1; b < lps.length; b++) diameter = Math.max(diameter, dist(lps[a], lps[b]));
    const onSlice = present ? present.has(r.sopInstanceUID) : true;
    if (onSlice && lps.length >= 3) contours.push({ pointsLPS: lps });
  }
  return { reader, center: [acc[0] / wsum, acc[1] / wsum, acc[2] / wsum], diameterMm: diameter, nodule: n, points, contours };
}

/** Area and area centroid of a planar polygon (axial: uses x, y); falls back to the point mean. */
function polygonCentroid(p: Vec3[]): { area: number; centroid: Vec3 } {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0; i < p.length; i++) {
    const [x0, y0] = p[i];
    const [x1, y1] = p[(i + 1) % p.length];
    const c = x0 * y1 - x1 * y0;
    a += c; cx += (x0 + x1) * c; cy += (y0 + y1) * c;
  }
  a /= 2;
  const m = mean(p);
  if (Math.abs(a) < 1e-6) return { area: 0, centroid: m };
  return { area: Math.abs(a), centroid: [cx / (6 * a), cy / (6 * a), m[2]] };
}

function mean(v: Vec3[]): Vec3 {
  const s: Vec3 = [0, 0, 0];
  for (const p of v) for (let a = 0; a < 3; a++) s[a] += p[a] / v.length;
  return s;
}
function mean1(v: number[]): number {
  return v.reduce((a, b) => a + b, 0) / Math.max(1, v.length);
}
function median(v: number[]): number | null {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function dist(a: Vec3, b: Vec3): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}
