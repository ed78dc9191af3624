// Lists every regular file under the given paths (recursively, any name, with or without .dcm), in a time
// linear in the number of entries: an explicit stack (no recursion depth limit), one stat per folder (its
// device:inode, so a folder reached twice, e.g. through a link loop, is walked once) and a realpath only for
// symbolic links. A link is followed only when its target lies inside one of the chosen paths; FIFOs, devices
// and sockets are listed as rejected, never opened. Cancellable between entries; run in the import worker.
import fs from 'node:fs';
import path from 'node:path';
import type { FileError } from '../shared/types';
import { isInside } from './dicomdir';

export interface ScanResult {
  files: string[];
  errors: FileError[];
}

/** Rejections of one kind past this many are counted in one summary entry instead of listed. */
const MAX_LISTED = 200;

export function scanPaths(paths: string[], isCancelled: () => boolean = () => false): ScanResult {
  const files: string[] = [];
  const seenFiles = new Set<string>();
  const errors: FileError[] = [];
  const seenDirs = new Set<string>();
  let unlisted = 0;
  const reject = (e: FileError): void => {
    if (errors.length < MAX_LISTED) errors.push(e);
    else unlisted++;
  };
  const roots: string[] = [];
  for (const p of paths) {
    try {
      roots.push(fs.realpathSync(path.resolve(p)));
    } catch {
      /* reported below when visited */
    }
  }
  const inRoots = (real: string): boolean => roots.some((r) => isInside(r, real));
  const addFile = (p: string): void => {
    if (seenFiles.has(p)) return;
    seenFiles.add(p);
    files.push(p);
  };
  const stack: string[] = [];
  const pushDir = (dir: string): void => {
    let st: fs.Stats;
    try {
      st = fs.statSync(dir);
    } catch (e) {
      reject({ file: dir, code: 'unreadable', reason: `cannot read folder: ${(e as Error).message}` });
      return;
    }
    const key = `${st.dev}:${st.ino}`;
    if (seenDirs.has(key)) return;
    seenDirs.add(key);
    stack.push(dir);
  };
  const special = (p: string, st: fs.Stats | fs.Dirent): void => {
    const what = st.isFIFO() ? 'a FIFO (named pipe)' : st.isSocket() ? 'a socket' : 'a device';
    reject({ file: p, code: 'not_regular_file', reason: `${what}: only regular files are read` });
  };
  /** A path given by the user, or a symbolic link met in the walk (then it must resolve inside the roots). */
  const visit = (p: string, isLink: boolean): void => {
    let real: string;
    let st: fs.Stats;
    try {
      real = fs.realpathSync(p);
      st = fs.statSync(real);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') reject({ file: p, code: 'not_found', reason: isLink ? 'broken symbolic link' : 'not found' });
      else reject({ file: p, code: 'unreadable', reason: `cannot read: ${(e as Error).message}` });
      return;
    }
    if (isLink && !inRoots(real)) {
      reject({ file: p, code: 'outside_folder', reason: `symbolic link to ${real}, outside the chosen folders: not followed` });
      return;
    }
    if (st.isDirectory()) pushDir(isLink ? real : p);
    else if (st.isFile()) addFile(isLink ? real : p);
    else special(p, st);
  };

  for (const p of paths) {
    visit(path.resolve(p), false);
    while (stack.length > 0) {
      if (isCancelled()) return { files, errors };
      const dir = stack.pop()!;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        reject({ file: dir, code: 'unreadable', reason: `cannot read folder: ${(e as Error).message}` });
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const subdirs: string[] = [];
      for (const ent of entries) {
        const full = path.join(dir, ent.name);
        if (ent.isDirectory()) subdirs.push(full);
        else if (ent.isFile()) addFile(full);
        else if (ent.isSymbolicLink()) visit(full, true);
        else special(full, ent);
      }
      for (const d of subdirs.reverse()) pushDir(d); // popped in name order
    }
  }
  if (unlisted > 0) errors.push({ file: paths.join(', '), code: 'unreadable', reason: `${unlisted} more files or folders left out (not listed one by one)` });
  return { files, errors };
}
