// Phase 2: fills the planned grid with HU, slice by slice. A slice that cannot be read raises SliceError
// naming its file, so the pipeline can report it and plan again without it.
import type { HuVolume } from '../shared/geometry';
import { voxelCount } from '../shared/geometry';
import { NO_DATA_HU } from './checkGeometry';
import { ParsedFileCache, readFrame } from './readFrame';
import { storedToHu } from './storedToHu';
import type { VolumePlan } from './types';

export class SliceError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'SliceError';
  }
}

export interface BuiltVolume {
  volume: HuVolume;
  minHU: number;
  maxHU: number;
  bytesRead: number;
}

export interface BuildProgress {
  slicesDone: number;
  slicesTotal: number;
  bytesRead: number;
}

export async function buildVolume(
  plan: VolumePlan,
  onProgress?: (p: BuildProgress) => void,
  signal?: AbortSignal,
): Promise<BuiltVolume> {
  const g = plan.geometry;
  const voxels = new Int16Array(voxelCount(g));
  const plane = g.dims[0] * g.dims[1];
  const cache = new ParsedFileCache();
  let min = Infinity;
  let max = -Infinity;
  let bytesRead = 0;
  for (let k = 0; k < plan.slices.length; k++) {
    if (signal?.aborted) throw new Error('cancelled');
    const s = plan.slices[k];
    if (!s) {
      voxels.fill(NO_DATA_HU, k * plane, (k + 1) * plane);
      min = Math.min(min, NO_DATA_HU);
      max = Math.max(max, NO_DATA_HU);
      continue;
    }
    const info = plan.files[s.file];
    if (!info) throw new SliceError(s.file, 'no pixel data location from phase 1');
    try {
      const frame = await readFrame(s.file, info, s.frameIndex, cache);
      bytesRead += frame.bytesRead;
      const r = storedToHu(frame.values, info.pixel, s.rescaleSlope, s.rescaleIntercept, voxels, k * plane, frame.shift);
      if (r.min < min) min = r.min;
      if (r.max > max) max = r.max;
    } catch (e) {
      if (e instanceof SliceError) throw e;
      throw new SliceError(s.file, e instanceof Error ? e.message : String(e));
    }
    onProgress?.({ slicesDone: k + 1, slicesTotal: plan.slices.length, bytesRead });
  }
  return { volume: { voxels, geometry: g }, minHU: min, maxHU: max, bytesRead };
}
