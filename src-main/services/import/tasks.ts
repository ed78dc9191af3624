// The two heavy steps of an import as plain functions of plain data, run by an engine (a worker thread in
// the app and the CLI; inline in unit tests): reading headers (phase 1) and building + caching a volume (phase 2).
import fs from 'node:fs';
import path from 'node:path';
import { readHeader, type HeaderResult } from '../../dicom/readHeader';
import { SliceError, streamVolume } from '../../dicom/buildVolume';
import { VolumeCacheWriter } from '../../store/volumeCache';
import type { VolumePlan } from '../../dicom/types';

export interface HeaderProgress {
  filesDone: number;
  bytesRead: number;
}

export function readHeaders(files: string[], onProgress?: (p: HeaderProgress) => void, isCancelled?: () => boolean): HeaderResult[] {
  const out: HeaderResult[] = [];
  let bytesRead = 0;
  for (const f of files) {
    if (isCancelled?.()) break;
    const r = readHeader(f);
    bytesRead += r.bytesRead;
    out.push(r);
    onProgress?.({ filesDone: out.length, bytesRead });
  }
  return out;
}

export interface BuildRequest {
  plan: VolumePlan;
  volumesDir: string;
  volumeId: string;
}

export type BuildOutcome =
  | { ok: true; cachePath: string; byteLength: number; minHU: number; maxHU: number; bytesRead: number }
  | { ok: false; file: string; reason: string };

export interface BuildProgressMsg {
  slicesDone: number;
  slicesTotal: number;
  bytesRead: number;
}

/**
 * Builds the volume straight into its cache file (slab by slab, writing one slab while filling the next) and
 * renames the file into place; a slice that cannot be read is returned, not thrown, and leaves no file. A cancel
 * (isCancelled, polled per slice) throws after closing and removing the temporary file.
 */
export async function buildAndCache(req: BuildRequest, onProgress?: (p: BuildProgressMsg) => void, isCancelled?: () => boolean): Promise<BuildOutcome> {
  const writer = VolumeCacheWriter.open(req.volumesDir, req.volumeId, req.plan.geometry);
  try {
    const built = await streamVolume(req.plan, (slab, byteOffset, pageAligned) => writer.write(slab, byteOffset, pageAligned), { onProgress, isCancelled });
    const cachePath = await writer.commit();
    return { ok: true, cachePath, byteLength: writer.byteLength, minHU: built.minHU, maxHU: built.maxHU, bytesRead: built.bytesRead };
  } catch (e) {
    writer.abort();
    if (e instanceof SliceError) return { ok: false, file: e.file, reason: e.reason };
    throw e;
  }
}

/** Removes what a build left for a volume that was never committed (final or temporary names). */
export function removeVolumeFiles(volumesDir: string, volumeId: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(volumesDir);
  } catch {
    return;
  }
  for (const n of names) {
    if (n === `${volumeId}.raw` || n === `${volumeId}.json` || n.startsWith(`${volumeId}.raw.tmp-`) || n.startsWith(`${volumeId}.json.tmp-`)) {
      fs.rmSync(path.join(volumesDir, n), { force: true });
    }
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what killed imports left in the cache folder: temporary files of processes that are gone, and cache
 * files no volume row references that are older than `minAgeMs` (a live import commits right after its rename).
 */
export function sweepOrphanVolumes(volumesDir: string, referenced: Set<string>, minAgeMs = 60_000): number {
  let removed = 0;
  let names: string[];
  try {
    names = fs.readdirSync(volumesDir);
  } catch {
    return 0;
  }
  const now = Date.now();
  for (const n of names) {
    const full = path.join(volumesDir, n);
    const tmp = /\.tmp-(\d+)$/.exec(n);
    let orphan = false;
    if (tmp) orphan = Number(tmp[1]) !== process.pid && !pidAlive(Number(tmp[1]));
    else if (/\.(raw|json)$/.test(n) && !referenced.has(n.replace(/\.json$/, '.raw'))) {
      try {
        orphan = now - fs.statSync(full).mtimeMs > minAgeMs;
      } catch {
        orphan = false;
      }
    }
    if (orphan) {
      fs.rmSync(full, { force: true });
      removed++;
    }
  }
  return removed;
}
