// Readers for the LDFC annotation CSVs. The data descriptor ("Data Records") describes, without naming columns:
//  - all_anno_3D.csv: nodule position in the IMAGE coordinate system (voxel indices): min, max and centre of x, y, z
//    and the diameter. The dataset's own augment.py reads the columns index, image, x_min, x_max, y_min, y_max,
//    z_min, z_max; x = column, y = row, z = slice of the "N.mhd" volume whose N is `index`.
//  - anno_WorldCoord.csv: nodule centre x, y, z in the "global coordinate system" plus diameter and radius.
//    The descriptor does not name the frame; we read it as the MetaImage/ITK world frame of the MHD volumes
//    (LPS, mm, the frame LUNA16 uses), and say so in the CLI output.
// Classification truth is a CSV of (image id, label) or the BMP_classification folders (see classificationFolder.ts).
import type { Vec3 } from '../../shared/geometry';
import { canonicalScanId, findColumn, numberCell, parseCsv, requireColumn, type CsvTable } from './csv';
import { cancerTypeOrThrow } from './cancerType';

const SCAN = ['seriesuid', 'index', 'scan', 'scanid', 'case', 'caseid', 'patient', 'patientid', 'id'];
const IMAGE = ['image', 'imageid', 'image_id', 'filename', 'file', 'name', 'id', 'index'];
const LABEL = ['label', 'class', 'cancer_type', 'cancertype', 'type', 'category', 'target', 'truth', 'y'];
const MIN = (a: string) => [`${a}_min`, `min_${a}`, `${a}min`, `${a}1`];
const MAX = (a: string) => [`${a}_max`, `max_${a}`, `${a}max`, `${a}2`];
const CENTER = (a: string) => [`coord${a}`, `${a}_center`, `center_${a}`, `${a}_centre`, `${a}c`, `world${a}`, `${a}_world`, `centroid_${a}`, a];
const DIAMETER = ['diameter_mm', 'diameter', 'diam', 'd'];
const RADIUS = ['radius_mm', 'radius', 'r'];

export interface ImageNodule { scanId: string; line: number; image: string | null; centerXyz: Vec3; min: Vec3 | null; max: Vec3 | null; diameterPx: number | null }
export interface WorldNodule { scanId: string; line: number; centerLPS: Vec3; diameterMm: number }
export interface Box2DRecord { imageId: string; line: number; category: string; xmin: number; ymin: number; xmax: number; ymax: number; score: number | null }
export interface LabelRecord { id: string; line: number; label: number }

export type LdfcCsv =
  | { kind: 'image3d'; file: string; nodules: ImageNodule[] }
  | { kind: 'world'; file: string; nodules: WorldNodule[] }
  | { kind: 'box2d'; file: string; boxes: Box2DRecord[] }
  | { kind: 'labels'; file: string; labels: LabelRecord[] };

/** Reads an LDFC-style annotation CSV, deciding from its header which of the four kinds it is. */
export function parseLdfcCsv(text: string, file: string): LdfcCsv {
  const t = parseCsv(text, file);
  const has = (aliases: string[]) => findColumn(t, aliases) >= 0;
  if (has(MIN('z')) || (has(MIN('x')) && has(CENTER('z')))) return { kind: 'image3d', file, nodules: imageNodules(t) };
  if (has(MIN('x')) && has(MAX('x'))) return { kind: 'box2d', file, boxes: boxes2d(t) };
  if (has(CENTER('x'))) return { kind: 'world', file, nodules: worldNodules(t) };
  if (has(LABEL)) return { kind: 'labels', file, labels: labels(t) };
  throw new Error(`${file}: not an LDFC annotation CSV: no box (x_min..), centre (coordX/x_center..) or label column in header ${t.header.join(', ')}`);
}

function imageNodules(t: CsvTable): ImageNodule[] {
  const scan = requireColumn(t, 'scan (index)', SCAN);
  const image = findColumn(t, ['image', 'filename']);
  const mins = (['x', 'y', 'z'] as const).map((a) => findColumn(t, MIN(a)));
  const maxs = (['x', 'y', 'z'] as const).map((a) => findColumn(t, MAX(a)));
  const cens = (['x', 'y', 'z'] as const).map((a) => findColumn(t, CENTER(a)));
  const diam = findColumn(t, DIAMETER);
  (['x', 'y', 'z'] as const).forEach((a, i) => {
    if (cens[i] < 0 && (mins[i] < 0 || maxs[i] < 0))
      throw new Error(`${t.file}: no ${a} centre column (${CENTER(a).join(', ')}) and no ${a}_min/${a}_max pair to compute it from`);
  });
  return t.rows.map((r) => {
    const num = (c: number) => numberCell(t, r, c);
    const min = mins.every((c) => c >= 0) ? (mins.map(num) as Vec3) : null;
    const max = maxs.every((c) => c >= 0) ? (maxs.map(num) as Vec3) : null;
    const centerXyz = [0, 1, 2].map((i) => (cens[i] >= 0 ? num(cens[i]) : (num(mins[i]) + num(maxs[i])) / 2)) as Vec3;
    return { scanId: canonicalScanId(r.cells[scan]), line: r.line, image: image >= 0 ? r.cells[image] : null, centerXyz, min, max, diameterPx: diam >= 0 ? num(diam) : null };
  });
}

function worldNodules(t: CsvTable): WorldNodule[] {
  const scan = requireColumn(t, 'scan (seriesuid/index)', SCAN);
  const c = (['x', 'y', 'z'] as const).map((a) => requireColumn(t, `${a} centre`, CENTER(a)));
  const diam = findColumn(t, DIAMETER);
  const rad = findColumn(t, RADIUS);
  if (diam < 0 && rad < 0) throw new Error(`${t.file}: no diameter (${DIAMETER.join(', ')}) or radius (${RADIUS.join(', ')}) column`);
  return t.rows.map((r) => ({
    scanId: canonicalScanId(r.cells[scan]),
    line: r.line,
    centerLPS: c.map((i) => numberCell(t, r, i)) as Vec3,
    diameterMm: diam >= 0 ? numberCell(t, r, diam) : 2 * numberCell(t, r, rad),
  }));
}

export function boxes2d(t: CsvTable): Box2DRecord[] {
  const image = requireColumn(t, 'image', IMAGE);
  const [x0, y0, x1, y1] = [MIN('x'), MIN('y'), MAX('x'), MAX('y')].map((a, i) => requireColumn(t, ['xmin', 'ymin', 'xmax', 'ymax'][i], a));
  const cat = findColumn(t, ['category', 'class', 'label', 'name']);
  const score = findColumn(t, ['score', 'confidence', 'conf', 'probability', 'prob']);
  return t.rows.map((r) => {
    const b = { xmin: numberCell(t, r, x0), ymin: numberCell(t, r, y0), xmax: numberCell(t, r, x1), ymax: numberCell(t, r, y1) };
    if (b.xmax < b.xmin || b.ymax < b.ymin) throw new Error(`${t.file}:${r.line}: box has max < min`);
    return { imageId: canonicalScanId(r.cells[image]), line: r.line, category: cat >= 0 ? r.cells[cat] : '', ...b, score: score >= 0 ? numberCell(t, r, score) : null };
  });
}

function labels(t: CsvTable): LabelRecord[] {
  const label = requireColumn(t, 'label', LABEL);
  const id = requireColumn(t, 'image id', IMAGE.concat(SCAN));
  return t.rows.map((r) => ({ id: canonicalScanId(r.cells[id]), line: r.line, label: cancerTypeOrThrow(r.cells[label], `${t.file}:${r.line}`) }));
}
