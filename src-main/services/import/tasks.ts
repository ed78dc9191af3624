// The two heavy steps of an import as plain functions of plain data, run by an engine (a worker thread in
// the app and the CLI; inline in unit tests): reading headers (phase 1) and building + caching a volume (phase 2).
import { readHeader, type HeaderResult } from '../../dicom/readHeader';
import { SliceError, streamVolume } from '../../dicom/buildVolume';
import { VolumeCacheWriter } from '../../store/volumeCache';
import { diskFullError } from '../../store/diskSpace';
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
    throw diskFullError(e, req.volumesDir, writer.byteLength, 'this volume') ?? e;
  }
}
