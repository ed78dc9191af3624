// Classification truth from the LDFC BMP_classification layout (descriptor, "Data Records"): train/ and test/,
// each with subfolders '0', '1', '2' holding the images of each class (mapping in cancerType.ts). An image is
// identified by its file name without extension, as a prediction CSV names it.
import fs from 'node:fs';
import path from 'node:path';
import { cancerTypeIndex } from './cancerType';
import { canonicalScanId } from './csv';
import type { LabelRecord } from './annotations';

const IMAGE_EXT = /\.(bmp|png|jpe?g|tiff?|dcm|mhd)$/i;

/** Labels of every image under `dir` whose parent folder is named 0, 1 or 2 (or benign/AC/SCC). */
export function readClassificationFolder(dir: string): (LabelRecord & { file: string })[] {
  const out: (LabelRecord & { file: string })[] = [];
  const seen = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      if (!IMAGE_EXT.test(e.name)) continue;
      const label = cancerTypeIndex(path.basename(d));
      if (label === null) continue;
      const id = canonicalScanId(e.name);
      const prev = seen.get(id);
      if (prev) throw new Error(`${p}: image id "${id}" also names ${prev}; ids must be unique to match predictions`);
      seen.set(id, p);
      out.push({ id, line: 0, label, file: p });
    }
  };
  walk(dir);
  if (!out.length) throw new Error(`${dir}: no images in class folders 0/1/2 (LDFC BMP_classification layout)`);
  return out;
}
