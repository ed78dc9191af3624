// Lists of the images or scans an evaluation covers (pycocotools' imgIds, LUNA16's seriesuids.csv): a text/CSV
// file with one id per line (the first comma-separated field; LUNA16's list has no header, a first line naming a
// column is skipped), or a folder whose image/volume files name them (BMP_2D/JPEGImages, MHD_3D). Ids are
// canonical ("0001.bmp" = "1"), as everywhere in the LDFC readers.
import fs from 'node:fs';
import { canonicalScanId } from './csv';

const HEADER_WORDS = new Set(['seriesuid', 'image', 'imageid', 'image_id', 'id', 'index', 'scan', 'scanid', 'filename', 'file', 'case']);
const ENTRY_FILE = /\.(mhd|mha|nrrd|nii|nii\.gz|bmp|png|jpe?g|tiff?|xml|dcm)$/i;

export function readIdList(p: string, what: 'image' | 'scan'): string[] {
  let ids: string[];
  if (fs.statSync(p).isDirectory()) {
    ids = fs.readdirSync(p).filter((f) => !f.startsWith('.') && ENTRY_FILE.test(f)).sort().map((f) => canonicalScanId(f.replace(/\.nii\.gz$/i, '').replace(/\.[^.]+$/, '')));
    if (!ids.length) throw new Error(`${p}: no ${what} files (.mhd, .mha, .nii, .bmp, .png, .jpg, .xml …) to list the ${what}s`);
  } else {
    const lines = fs.readFileSync(p, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/);
    ids = [];
    lines.forEach((line, i) => {
      const cell = line.split(',')[0].trim().replace(/^"(.*)"$/, '$1');
      if (!cell || cell.startsWith('#')) return;
      if (i === 0 && HEADER_WORDS.has(cell.toLowerCase())) return;
      ids.push(canonicalScanId(cell));
    });
    if (!ids.length) throw new Error(`${p}: the ${what} list is empty`);
  }
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) throw new Error(`${p}: ${what} ${id} is listed twice`);
    seen.add(id);
  }
  return ids;
}
