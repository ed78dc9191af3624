// Phase 1 of an import: find files, skip those already indexed (same path, size and mtime), read the headers
// of the rest (in the engine), follow DICOMDIR references, and turn every unreadable file into a FileError.
import fs from 'node:fs';
import { scanPaths } from '../../dicom/scanFolder';
import type { DicomHeader } from '../../dicom/types';
import type { FileError } from '../../shared/types';
import type { Db } from '../../store/db';
import { knownFiles } from '../../store/instances';
import type { ImportEngine } from './engine';
import type { HeaderProgress } from './tasks';

export interface CollectedHeaders {
  filesScanned: number;
  /** Files skipped because the index already holds them unchanged. */
  filesUnchanged: number;
  headers: DicomHeader[];
  errors: FileError[];
  bytesRead: number;
}

export interface CollectProgress {
  filesScanned: number;
  filesTotal: number;
  bytesRead: number;
}

export async function collectHeaders(
  db: Db,
  engine: ImportEngine,
  paths: string[],
  onProgress: (p: CollectProgress) => void,
  signal: AbortSignal,
): Promise<CollectedHeaders> {
  const scan = scanPaths(paths, signal);
  const errors: FileError[] = [...scan.errors];
  const known = knownFiles(db);
  const seen = new Set<string>();
  const headers: DicomHeader[] = [];
  let filesUnchanged = 0;
  let bytesRead = 0;
  let done = 0;
  let total = scan.files.length;

  const unchanged = (f: string): boolean => {
    const k = known.get(f);
    if (!k) return false;
    try {
      const st = fs.statSync(f);
      return st.size === k.size && Math.floor(st.mtimeMs) === k.mtimeMs;
    } catch {
      return false;
    }
  };

  let batch = scan.files;
  while (batch.length > 0) {
    const toRead: string[] = [];
    for (const f of batch) {
      if (seen.has(f)) continue;
      seen.add(f);
      if (unchanged(f)) {
        filesUnchanged++;
        done++;
      } else toRead.push(f);
    }
    onProgress({ filesScanned: done, filesTotal: total, bytesRead });
    const base = done;
    const baseBytes = bytesRead;
    const results = await engine.readHeaders(
      toRead,
      (p: HeaderProgress) => onProgress({ filesScanned: base + p.filesDone, filesTotal: total, bytesRead: baseBytes + p.bytesRead }),
      signal,
    );
    const next: string[] = [];
    for (const r of results) {
      done++;
      bytesRead += r.bytesRead;
      if (r.kind === 'header') headers.push(r.header);
      else if (r.kind === 'error') errors.push({ file: r.file, code: r.code, reason: r.reason });
      else {
        // DICOMDIR: add what it references that the folder walk did not reach.
        const extra = r.referencedFiles.filter((f) => !seen.has(f));
        total += extra.length;
        next.push(...extra);
      }
    }
    onProgress({ filesScanned: done, filesTotal: total, bytesRead });
    batch = next;
  }
  return { filesScanned: done, filesUnchanged, headers, errors, bytesRead };
}
