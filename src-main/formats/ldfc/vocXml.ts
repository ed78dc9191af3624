// Pascal VOC annotation XML (LDFC BMP_2D.zip "Annotations"): <filename>, <size><width/><height/><depth/></size>,
// and one <object><name/><bndbox><xmin/><ymin/><xmax/><ymax/></bndbox></object> per nodule, in pixels.
// The LDFC detection code converts these to COCO boxes as [xmin, ymin, xmax - xmin, ymax - ymin] (no +1),
// and so do we. Parsed with a few regular expressions: VOC files are flat and machine-written.
import fs from 'node:fs';
import path from 'node:path';
import { canonicalScanId } from './csv';

export interface VocObject { name: string; xmin: number; ymin: number; xmax: number; ymax: number; difficult: boolean }
export interface VocAnnotation { file: string; filename: string; imageId: string; width: number | null; height: number | null; depth: number | null; objects: VocObject[] }

const lineAt = (xml: string, offset: number) => xml.slice(0, offset).split('\n').length;

/** First <name> element of `xml`: its trimmed text, raw content, and where the content starts in `xml`. */
function tag(xml: string, name: string): { text: string; raw: string; offset: number } | null {
  const m = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? { text: m[1].trim(), raw: m[1], offset: m.index + m[0].indexOf('>') + 1 } : null;
}

export function parseVocXml(xml: string, file: string): VocAnnotation {
  const root = tag(xml, 'annotation');
  if (!root) throw new Error(`${file}: not a Pascal VOC annotation (no <annotation> element)`);
  const base = root.offset;
  const body = root.raw;
  const num = (parent: string, parentOffset: number, name: string, required: boolean): number | null => {
    const t = tag(parent, name);
    if (!t) {
      if (required) throw new Error(`${file}:${lineAt(xml, parentOffset)}: <${name}> missing`);
      return null;
    }
    const v = Number(t.text);
    if (t.text === '' || !Number.isFinite(v)) throw new Error(`${file}:${lineAt(xml, parentOffset + t.offset)}: <${name}> is not a number ("${t.text}")`);
    return v;
  };
  const filename = tag(body, 'filename')?.text ?? path.basename(file, path.extname(file));
  const size = tag(body, 'size');
  const sizeOffset = size ? base + size.offset : base;
  const objects: VocObject[] = [];
  for (const m of body.matchAll(/<object(?:\s[^>]*)?>([\s\S]*?)<\/object>/g)) {
    const o = m[1];
    const at = base + (m.index ?? 0) + m[0].indexOf('>') + 1;
    const box = tag(o, 'bndbox');
    if (!box) throw new Error(`${file}:${lineAt(xml, at)}: <object> without <bndbox>`);
    const bAt = at + box.offset;
    const [xmin, ymin, xmax, ymax] = ['xmin', 'ymin', 'xmax', 'ymax'].map((k) => num(box.raw, bAt, k, true) as number);
    if (xmax < xmin || ymax < ymin) throw new Error(`${file}:${lineAt(xml, bAt)}: <bndbox> has max < min (${xmin},${ymin})-(${xmax},${ymax})`);
    objects.push({ name: tag(o, 'name')?.text ?? 'nodule', xmin, ymin, xmax, ymax, difficult: tag(o, 'difficult')?.text === '1' });
  }
  return {
    file,
    filename,
    imageId: canonicalScanId(filename),
    width: size ? num(size.raw, sizeOffset, 'width', false) : null,
    height: size ? num(size.raw, sizeOffset, 'height', false) : null,
    depth: size ? num(size.raw, sizeOffset, 'depth', false) : null,
    objects,
  };
}

/** Every *.xml under `dir` (recursively, sorted), e.g. BMP_2D/Annotations. */
export function readVocDir(dir: string): VocAnnotation[] {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.xml$/i.test(e.name)) files.push(p);
    }
  };
  walk(dir);
  if (!files.length) throw new Error(`${dir}: no VOC .xml annotation files`);
  const out = files.map((f) => parseVocXml(fs.readFileSync(f, 'utf8'), f));
  const seen = new Map<string, string>();
  for (const a of out) {
    const prev = seen.get(a.imageId);
    if (prev) throw new Error(`${a.file}: image "${a.filename}" is also annotated in ${prev}`);
    seen.set(a.imageId, a.file);
  }
  return out;
}
