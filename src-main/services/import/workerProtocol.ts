// Messages between the main thread and the import worker (structured-cloned plain data).
import type { BuildRequest } from './tasks';

export type WorkerCall = { type: 'scan'; paths: string[] } | { type: 'headers'; files: string[] } | { type: 'build'; req: BuildRequest };
export type WorkerRequest = { id: number } & WorkerCall;

export type WorkerReply =
  | { id: number; type: 'progress'; progress: unknown }
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'error'; message: string };

/**
 * workerData of the import worker. `cancel` holds one Int32: every call whose id is at most that value is
 * cancelled. The worker polls it between files and slices, so a cancel needs no turn of its event loop, and the
 * worker closes and removes what it has open before it replies.
 */
export interface WorkerInit {
  cancel: SharedArrayBuffer;
}
