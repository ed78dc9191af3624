// DICOMDIR: the media index of a CD/DVD/USB export. Its records name the image files (Referenced File ID,
// path components relative to the DICOMDIR's folder); the import adds them to the scan.
import fs from 'node:fs';
import path from 'node:path';
import type { DataSet } from 'dicom-parser';
import { T } from './tags';

/** Absolute paths of the files the DICOMDIR references that exist (case-insensitive match, as on ISO 9660 media). */
export function readDicomdir(file: string, ds: DataSet): string[] {
  const base = path.dirname(file);
  const out: string[] = [];
  for (const item of ds.elements[T.directoryRecordSequence]?.items ?? []) {
    const rec = item.dataSet;
    if (!rec || !rec.elements[T.referencedFileID]) continue;
    const id = rec.string(T.referencedFileID);
    if (!id) continue;
    const parts = id.split('\\').map((p) => p.trim()).filter(Boolean);
    if (parts.length === 0) continue;
    const found = resolveCaseInsensitive(base, parts);
    if (found) out.push(found);
  }
  return out;
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
