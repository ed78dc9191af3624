// Messages between the main thread and the import worker (structured-cloned plain data).
import type { BuildRequest } from './tasks';

export type WorkerCall = { type: 'headers'; files: string[] } | { type: 'build'; req: BuildRequest };
export type WorkerRequest = { id: number } & WorkerCall;

export type WorkerReply =
  | { id: number; type: 'progress'; progress: unknown }
  | { id: number; type: 'done'; value: unknown }
  | { id: number; type: 'error'; message: string };
