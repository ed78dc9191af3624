// Lists every regular file under the given paths (recursively, any name, with or without .dcm).
// Symbolic links are followed once; a folder reached twice (link loop) is not walked again.
import fs from 'node:fs';
import path from 'node:path';
import type { FileError } from '../shared/types';

export interface ScanResult {
  files: string[];
  errors: FileError[];
}

export function scanPaths(paths: string[], signal?: AbortSignal): ScanResult {
  const files = new Set<string>();
  const errors: FileError[] = [];
  const seenDirs = new Set<string>();

  const walk = (dir: string): void => {
    let real: string;
    try {
      real = fs.realpathSync(dir);
    } catch (e) {
      errors.push({ file: dir, code: 'unreadable', reason: `cannot read folder: ${(e as Error).message}` });
      return;
    }
    if (seenDirs.has(real)) return;
    seenDirs.add(real);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push({ file: dir, code: 'unreadable', reason: `cannot read folder: ${(e as Error).message}` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      if (signal?.aborted) return;
      const full = path.join(dir, ent.name);
      if (ent.isDirectory()) walk(full);
      else if (ent.isFile()) files.add(full);
      else if (ent.isSymbolicLink()) visit(full);
    }
  };

  const visit = (p: string): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      errors.push(
        (e as NodeJS.ErrnoException).code === 'ENOENT' ? { file: p, code: 'not_found', reason: 'not found' } : { file: p, code: 'unreadable', reason: `cannot read: ${(e as Error).message}` },
      );
      return;
    }
    if (st.isDirectory()) walk(p);
    else if (st.isFile()) files.add(p);
  };

  for (const p of paths) visit(path.resolve(p));
  return { files: [...files], errors };
}
