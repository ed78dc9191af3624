// DICOMDIR: the media index of a CD/DVD/USB export. Its records name the image files (Referenced File ID,
// path components relative to the DICOMDIR's folder); the import adds them to the scan. A reference must stay
// inside that folder: '..', absolute components and symlinks leading out are refused with the reason.
import fs from 'node:fs';
import path from 'node:path';
import type { DataSet } from 'dicom-parser';
import type { FileError } from '../shared/types';
import { T } from './tags';

export interface DicomdirRefs {
  /** Absolute paths of the referenced files that exist inside the media folder. */
  referencedFiles: string[];
  /** References refused (outside the media folder). */
  refused: FileError[];
}

/** Case-insensitive match of each component, as on ISO 9660 media. */
export function readDicomdir(file: string, ds: DataSet): DicomdirRefs {
  const base = path.dirname(file);
  let realBase: string;
  try {
    realBase = fs.realpathSync(base);
  } catch {
    return { referencedFiles: [], refused: [] };
  }
  const out: DicomdirRefs = { referencedFiles: [], refused: [] };
  for (const item of ds.elements[T.directoryRecordSequence]?.items ?? []) {
    const rec = item.dataSet;
    if (!rec || !rec.elements[T.referencedFileID]) continue;
    const id = rec.string(T.referencedFileID);
    if (!id) continue;
    const parts = id.split('\\').map((p) => p.trim()).filter(Boolean);
    if (parts.length === 0) continue;
    const refuse = (why: string): void => {
      if (out.refused.length < 100) out.refused.push({ file: `${file} -> ${id.slice(0, 200)}`, code: 'outside_folder', reason: `DICOMDIR reference ${why}: not followed` });
    };
    if (parts.some((p) => p === '..' || p === '.' || p.includes('/') || path.isAbsolute(p) || p.includes('\0'))) {
      refuse(`"${id.slice(0, 200)}" leaves the media folder ${base}`);
      continue;
    }
    const found = resolveCaseInsensitive(base, parts);
    if (!found) continue;
    let real: string;
    try {
      real = fs.realpathSync(found);
    } catch {
      continue;
    }
    if (!isInside(realBase, real)) {
      refuse(`resolves to ${real}, outside the media folder ${realBase}`);
      continue;
    }
    out.referencedFiles.push(found);
  }
  return out;
}

/** Is `p` (a real path) `dir` itself or inside it? */
export function isInside(dir: string, p: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

function resolveCaseInsensitive(base: string, parts: string[]): string | null {
  let dir = base;
  for (const part of parts) {
    const direct = path.join(dir, part);
    if (fs.existsSync(direct)) {
      dir = direct;
      continue;
    }
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return null;
    }
    const match = names.find((n) => n.toUpperCase() === part.toUpperCase() || n.toUpperCase() === `${part.toUpperCase()}.`);
    if (!match) return null;
    dir = path.join(dir, match);
  }
  return dir;
}
