// Characterise one nodule around a seed point: segmentation at a solid and at a ground-glass threshold (both
// relative to the local lung background), type, volume, Lung-RADS axes, HU, location, juxtapleural flag and an
// axial contour. Pure: reads the volume only.
//
// Thresholds: solid T_s = background/2 (about -425 HU: halfway between aerated lung and soft tissue, so
// partial-volume edges split evenly); ground-glass T_g = (background - 600)/2 (about -725 HU: halfway to a
// typical -600 HU ground-glass opacity). A region grown at T_g that extends beyond the solid one by more than a
// partial-volume halo, and holds clearly more than the solid part (solid share < 45 % of the volume), is
// sub-solid: ground-glass when the solid part is absent or tiny, else part-solid.
import type { Contour, NoduleType } from '../../shared/types';
import type { HuVolume, Vec3 } from '../../shared/geometry';
import { ijkToLps, lpsToIjk } from '../../shared/geometry';
import type { Grid } from '../voxel/grid';
import { clampBox, cropToFloat } from '../voxel/grid';
import { squaredDistanceTo, invert } from '../voxel/morphology';
import { localLungRegion } from './localLungRegion';
import { axialAxes } from './noduleAxes';
import { radialContour } from './noduleContour';
import { regionFeatures } from './regionFeatures';
import type { NoduleSegmentation } from './segmentNodule';
import { segmentNodule } from './segmentNodule';

export interface NoduleCharacteristics {
  centerLPS: Vec3;
  boxLPS: { min: Vec3; max: Vec3 };
  volumeMm3: number;
  longAxisMm: number;
  shortAxisMm: number;
  /** Mean of long and short axis, rounded to 0.1 mm (Lung-RADS v2022). */
  diameterMm: number;
  meanHU: number;
  maxHU: number;
  type: NoduleType;
  /** Long axis of the solid component (part-solid only). */
  solidComponentMm: number | null;
  location: { side: 'left' | 'right'; zone: 'upper' | 'middle' | 'lower' };
  juxtapleural: boolean;
  contours: Contour[];
}

export interface CharacterizeOptions {
  radiusHintMm?: number;
  /** z range (LPS mm) of the lungs, for the zone; default: the volume's z range. */
  lungZRangeMm?: [number, number];
  /** x (LPS mm) of the patient's midline; default: the centre of the volume. */
  midlineXMm?: number;
}

const GGO_LEVEL_HU = -600;
/** Solid when the solid region holds at least this share of the ground-glass region's volume (a thin
 *  ground-glass rim around a large solid nodule is spiculation and partial volume, not a part-solid lesion). */
const SOLID_SHARE = 0.45;

export function characterizeNodule(vol: HuVolume, seedLPS: Vec3, opts: CharacterizeOptions = {}): NoduleCharacteristics | null {
  const g = vol.geometry;
  const seed = lpsToIjk(g, seedLPS);
  for (let a = 0; a < 3; a++) if (seed[a] < -0.5 || seed[a] > g.dims[a] - 0.5) return null;
  const half = Math.min(60, Math.max(20, 2.5 * (opts.radiusHintMm ?? 0)));
  const box = clampBox(
    { min: seed.map((s, a) => s - half / g.spacing[a]) as Vec3, max: seed.map((s, a) => s + half / g.spacing[a] + 1) as Vec3 },
    g.dims,
  );
  const crop = cropToFloat(vol.voxels, g.dims, box);
  const grid: Grid = { dims: crop.dims, spacing: g.spacing };
  const local: Vec3 = [seed[0] - box.min[0], seed[1] - box.min[1], seed[2] - box.min[2]];
  const lung = localLungRegion(vol, box, crop.data, grid);
  const bg = Math.min(-700, Math.max(-950, lung.backgroundHU));
  const tSolid = bg / 2;
  const tGgo = Math.min(tSolid - 100, (bg + GGO_LEVEL_HU) / 2);
  // A seed just outside the lung region (a reader's mark on a juxtapleural nodule, in the wall) moves to the
  // nearest opaque voxel inside it; a seed far from any lung is measured without the lung constraint.
  const inLung = nearestInRegion(crop.data, grid, lung.region, local, Math.max(3, opts.radiusHintMm ?? 0), tGgo);
  const allowed = inLung ? lung.region : undefined;
  if (inLung) local.splice(0, 3, ...inLung);
  const search = Math.max(2, Math.min(5, (opts.radiusHintMm ?? 2) * 0.75));
  const solid = segmentNodule(crop.data, grid, local, tSolid, { allowed, searchRadiusMm: search });
  const ggo = segmentNodule(crop.data, grid, local, tGgo, { allowed, searchRadiusMm: search });
  if (!solid && !ggo) return null;
  const fs = solid ? regionFeatures(crop.data, grid, solid.mask) : null;
  const fg = ggo ? regionFeatures(crop.data, grid, ggo.mask) : null;
  const halo = fs && fg ? fg.equivalentDiameterMm / 2 - fs.equivalentDiameterMm / 2 : Infinity;
  const haloLimit = 1.0 + 0.25 * Math.max(...g.spacing);
  let type: NoduleType;
  let chosen: NoduleSegmentation;
  const solidShare = fs && fg ? fs.volumeMm3 / fg.volumeMm3 : 1;
  if (solid && fs && (!fg || halo <= haloLimit || solidShare >= SOLID_SHARE)) { type = 'solid'; chosen = solid; }
  // A tube-shaped "solid part" is a vessel crossing a ground-glass lesion, not a solid component.
  else if (!solid || !fs || (fg && fs.equivalentDiameterMm < 0.25 * fg.equivalentDiameterMm) || fs.sphericity < 0.5 || fs.elongation > 2.5) { type = 'ground-glass'; chosen = ggo!; }
  else { type = 'part-solid'; chosen = ggo!; }
  const f = regionFeatures(crop.data, grid, chosen.mask);
  const axes = axialAxes(chosen.mask, grid);
  if (!f || !axes) return null;
  const solidAxes = type === 'part-solid' && solid ? axialAxes(solid.mask, grid) : null;
  const toLps = (ijk: Vec3): Vec3 => ijkToLps(g, [ijk[0] + box.min[0], ijk[1] + box.min[1], ijk[2] + box.min[2]]);
  const centerLPS = toLps(f.centroidIjk);
  const boxLPS = maskBoxLps(chosen.mask, grid, toLps);
  const kc = Math.round(f.centroidIjk[2]);
  const contourIj = radialContour(chosen.mask, grid, kc).length ? radialContour(chosen.mask, grid, kc) : radialContour(chosen.mask, grid, axes.slice);
  const kContour = contourIj.length && radialContour(chosen.mask, grid, kc).length ? kc : axes.slice;
  const contours: Contour[] = contourIj.length ? [{ pointsLPS: contourIj.map(([i, j]) => toLps([i, j, kContour])) }] : [];
  const midline = opts.midlineXMm ?? ijkToLps(g, [(g.dims[0] - 1) / 2, (g.dims[1] - 1) / 2, 0])[0];
  const zr = opts.lungZRangeMm ?? volumeZRange(vol);
  const t = (centerLPS[2] - zr[0]) / Math.max(1e-6, zr[1] - zr[0]);
  return {
    centerLPS,
    boxLPS,
    volumeMm3: f.volumeMm3,
    longAxisMm: round1(axes.longAxisMm),
    shortAxisMm: round1(axes.shortAxisMm),
    diameterMm: round1((axes.longAxisMm + axes.shortAxisMm) / 2),
    meanHU: Math.round(f.meanHU),
    maxHU: Math.round(f.maxHU),
    type,
    solidComponentMm: solidAxes ? round1(solidAxes.longAxisMm) : null,
    location: { side: centerLPS[0] > midline ? 'left' : 'right', zone: t > 2 / 3 ? 'upper' : t < 1 / 3 ? 'lower' : 'middle' },
    juxtapleural: isJuxtapleural(chosen.mask, grid, allowed, crop.data, tSolid),
    contours,
  };
}

function nearestInRegion(data: Float32Array, grid: Grid, region: Uint8Array, c: Vec3, radiusMm: number, minHU: number): Vec3 | null {
  const [nx, ny, nz] = grid.dims;
  const r = grid.spacing.map((s) => Math.ceil(radiusMm / s));
  const ci = Math.round(c[0]), cj = Math.round(c[1]), ck = Math.round(c[2]);
  let best: Vec3 | null = null;
  let bestD = radiusMm * radiusMm + 1e-6;
  for (let k = Math.max(0, ck - r[2]); k <= Math.min(nz - 1, ck + r[2]); k++)
    for (let j = Math.max(0, cj - r[1]); j <= Math.min(ny - 1, cj + r[1]); j++)
      for (let i = Math.max(0, ci - r[0]); i <= Math.min(nx - 1, ci + r[0]); i++) {
        const p = i + nx * (j + ny * k);
        if (!region[p] || data[p] < minHU) continue;
        const d = ((i - c[0]) * grid.spacing[0]) ** 2 + ((j - c[1]) * grid.spacing[1]) ** 2 + ((k - c[2]) * grid.spacing[2]) ** 2;
        if (d <= bestD) { bestD = d; best = [i, j, k]; }
      }
  return best;
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function volumeZRange(vol: HuVolume): [number, number] {
  const g = vol.geometry;
  const a = ijkToLps(g, [0, 0, 0])[2];
  const b = ijkToLps(g, [0, 0, g.dims[2] - 1])[2];
  return [Math.min(a, b), Math.max(a, b)];
}

function maskBoxLps(mask: Uint8Array, grid: Grid, toLps: (ijk: Vec3) => Vec3): { min: Vec3; max: Vec3 } {
  const [nx, ny] = grid.dims;
  const lo: Vec3 = [Infinity, Infinity, Infinity];
  const hi: Vec3 = [-Infinity, -Infinity, -Infinity];
  for (let p = 0; p < mask.length; p++) {
    if (!mask[p]) continue;
    const ijk: Vec3 = [p % nx, Math.floor(p / nx) % ny, Math.floor(p / (nx * ny))];
    for (let a = 0; a < 3; a++) { if (ijk[a] < lo[a]) lo[a] = ijk[a]; if (ijk[a] > hi[a]) hi[a] = ijk[a]; }
  }
  // Voxel edges, then to LPS; min/max per LPS axis (the direction may flip axes).
  const c1 = toLps([lo[0] - 0.5, lo[1] - 0.5, lo[2] - 0.5]);
  const c2 = toLps([hi[0] + 0.5, hi[1] + 0.5, hi[2] + 0.5]);
  return { min: [0, 1, 2].map((a) => Math.min(c1[a], c2[a])) as Vec3, max: [0, 1, 2].map((a) => Math.max(c1[a], c2[a])) as Vec3 };
}

/** Juxtapleural: within 2 mm of the pleura (outside the lung region), or, without a lung region, surrounded by tissue. */
function isJuxtapleural(mask: Uint8Array, grid: Grid, allowed: Uint8Array | undefined, data: Float32Array, tSolid: number): boolean {
  if (allowed) {
    const d2 = squaredDistanceTo(invert(allowed), grid);
    for (let p = 0; p < mask.length; p++) if (mask[p] && d2[p] <= 4 + 1e-6) return true;
    return false;
  }
  // No lung around the seed: count tissue in a 2-5 mm shell around the nodule.
  const d2 = squaredDistanceTo(mask, grid);
  let shell = 0, tissue = 0;
  for (let p = 0; p < mask.length; p++) {
    if (mask[p] || d2[p] < 4 || d2[p] > 25) continue;
    shell++;
    if (data[p] >= tSolid) tissue++;
  }
  return shell > 0 && tissue / shell > 0.3;
}
