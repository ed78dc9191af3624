// Messages between the main thread and the CAD worker (structured-cloned plain data).
import type { ComputeInput, ComputeOutput } from '../../cad/computeCad';
import type { HuVolume } from '../../shared/geometry';

/** Where the worker reads the volume from: the cache file, not the voxels (they are never cloned). */
export interface CadVolumeRef {
  volumesDir: string;
  cachePath: string;
  geometry: HuVolume['geometry'];
}

export type WorkerRequest = { type: 'run'; id: number; volume: CadVolumeRef; input: ComputeInput } | { type: 'cancel'; id: number };
export type WorkerReply =
  | { type: 'progress'; id: number; fraction: number; stage: string }
  | { type: 'done'; id: number; output: ComputeOutput }
  | { type: 'error'; id: number; name: string; message: string };
