// Where the heavy import steps run. WorkerEngine (the app and CLI) keeps decoding off the main thread; the
// InlineEngine runs the same functions in-process (unit tests, and tools that have no built worker).
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { appRoot } from '../paths';
import type { HeaderResult } from '../../dicom/readHeader';
import { buildAndCache, readHeaders, type BuildOutcome, type BuildProgressMsg, type BuildRequest, type HeaderProgress } from './tasks';
import type { WorkerCall, WorkerInit, WorkerReply, WorkerRequest } from './workerProtocol';
import { CancelledError } from '../../shared/cancellation';

export interface ImportEngine {
  readHeaders(files: string[], onProgress: (p: HeaderProgress) => void, signal: AbortSignal): Promise<HeaderResult[]>;
  build(req: BuildRequest, onProgress: (p: BuildProgressMsg) => void, signal: AbortSignal): Promise<BuildOutcome>;
  close(): Promise<void>;
}

export class InlineEngine implements ImportEngine {
  async readHeaders(files: string[], onProgress: (p: HeaderProgress) => void, signal: AbortSignal): Promise<HeaderResult[]> {
    const r = readHeaders(files, onProgress, () => signal.aborted);
    if (signal.aborted) throw new CancelledError('import');
    return r;
  }
  async build(req: BuildRequest, onProgress: (p: BuildProgressMsg) => void, signal: AbortSignal): Promise<BuildOutcome> {
    try {
      return await buildAndCache(req, onProgress, () => signal.aborted);
    } catch (e) {
      if (signal.aborted) throw new CancelledError('import');
      throw e;
    }
  }
  async close(): Promise<void> {}
}

export function importWorkerPath(): string {
  return path.join(appRoot(), 'dist', 'main', 'workers', 'importWorker.js');
}

/** How long close() waits for a cancelled call to clean up (close and remove its files) before terminating. */
const DRAIN_MS = 5000;

/**
 * One worker thread per import job. A cancel rejects the call at once and raises a shared flag the worker polls
 * per slice, so it closes and removes its temporary cache file itself; close() waits for that (DRAIN_MS at most)
 * before terminating the thread, so no descriptor of a removed file outlives the job.
 */
export class WorkerEngine implements ImportEngine {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress: (p: never) => void }>();
  /** Calls the worker has not answered yet (cancelled ones included), settled by its reply or its exit. */
  private unanswered = new Map<number, () => void>();
  private readonly cancelled = new Int32Array(new SharedArrayBuffer(4));
  private dead: Error | null = null;
  private closing: Promise<void> | null = null;

  constructor(workerPath = importWorkerPath()) {
    if (!fs.existsSync(workerPath)) {
      throw new Error(`The import worker ${workerPath} is missing: build it with "node scripts/build.mjs --main-only"`);
    }
    this.worker = new Worker(workerPath, { workerData: { cancel: this.cancelled.buffer as SharedArrayBuffer } satisfies WorkerInit });
    this.worker.on('message', (m: WorkerReply) => {
      if (m.type !== 'progress') {
        this.unanswered.get(m.id)?.();
        this.unanswered.delete(m.id);
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') p.progress(m.progress as never);
      else {
        this.pending.delete(m.id);
        if (m.type === 'done') p.resolve(m.value);
        else p.reject(new Error(m.message));
      }
    });
    const failAll = (e: Error): void => {
      this.dead = e;
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
      for (const settle of this.unanswered.values()) settle();
      this.unanswered.clear();
    };
    this.worker.on('error', (e) => failAll(e));
    this.worker.on('exit', (code) => failAll(new Error(`import worker exited (code ${code})`)));
  }

  private call<R, P>(req: WorkerCall, onProgress: (p: P) => void, signal: AbortSignal): Promise<R> {
    if (this.dead) return Promise.reject(this.dead);
    if (signal.aborted) return Promise.reject(new CancelledError('import'));
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const onAbort = (): void => {
        this.pending.delete(id);
        Atomics.store(this.cancelled, 0, Math.max(Atomics.load(this.cancelled, 0), id));
        reject(new CancelledError('import'));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = <T>(f: (v: T) => void) => (v: T) => {
        signal.removeEventListener('abort', onAbort);
        f(v);
      };
      this.pending.set(id, { resolve: done(resolve as (v: unknown) => void), reject: done(reject), progress: onProgress as (p: never) => void });
      this.unanswered.set(id, () => {});
      this.worker.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  readHeaders(files: string[], onProgress: (p: HeaderProgress) => void, signal: AbortSignal): Promise<HeaderResult[]> {
    return this.call({ type: 'headers', files }, onProgress, signal);
  }
  build(req: BuildRequest, onProgress: (p: BuildProgressMsg) => void, signal: AbortSignal): Promise<BuildOutcome> {
    return this.call({ type: 'build', req }, onProgress, signal);
  }
  close(): Promise<void> {
    this.closing ??= this.drainAndTerminate();
    return this.closing;
  }

  private async drainAndTerminate(): Promise<void> {
    if (this.dead) return;
    this.dead = new Error('import worker closed');
    Atomics.store(this.cancelled, 0, 0x7fffffff); // whatever still runs is cancelled
    const answered = [...this.unanswered.keys()].map((id) => new Promise<void>((r) => this.unanswered.set(id, r)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(answered), new Promise<void>((r) => (timer = setTimeout(r, DRAIN_MS)))]);
    clearTimeout(timer);
    await this.worker.terminate();
  }
}
