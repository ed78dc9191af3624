// Where the heavy import steps run. WorkerEngine (the app and CLI) keeps decoding off the main thread; the
// InlineEngine runs the same functions in-process (unit tests, and tools that have no built worker).
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { appRoot } from '../paths';
import type { HeaderResult } from '../../dicom/readHeader';
import { buildAndCache, readHeaders, type BuildOutcome, type BuildProgressMsg, type BuildRequest, type HeaderProgress } from './tasks';
import type { WorkerCall, WorkerReply, WorkerRequest } from './workerProtocol';

export interface ImportEngine {
  readHeaders(files: string[], onProgress: (p: HeaderProgress) => void, signal: AbortSignal): Promise<HeaderResult[]>;
  build(req: BuildRequest, onProgress: (p: BuildProgressMsg) => void, signal: AbortSignal): Promise<BuildOutcome>;
  close(): Promise<void>;
}

export class CancelledError extends Error {
  constructor() {
    super('import cancelled');
    this.name = 'CancelledError';
  }
}

export class InlineEngine implements ImportEngine {
  async readHeaders(files: string[], onProgress: (p: HeaderProgress) => void, signal: AbortSignal): Promise<HeaderResult[]> {
    const r = readHeaders(files, onProgress, () => signal.aborted);
    if (signal.aborted) throw new CancelledError();
    return r;
  }
  async build(req: BuildRequest, onProgress: (p: BuildProgressMsg) => void, signal: AbortSignal): Promise<BuildOutcome> {
    try {
      return await buildAndCache(req, onProgress, signal);
    } catch (e) {
      if (signal.aborted) throw new CancelledError();
      throw e;
    }
  }
  async close(): Promise<void> {}
}

export function importWorkerPath(): string {
  return path.join(appRoot(), 'dist', 'main', 'workers', 'importWorker.js');
}

/** One worker thread per import job; cancelling terminates it (its partial cache files are removed by the caller). */
export class WorkerEngine implements ImportEngine {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; progress: (p: never) => void }>();
  private dead: Error | null = null;

  constructor(workerPath = importWorkerPath()) {
    if (!fs.existsSync(workerPath)) {
      throw new Error(`The import worker ${workerPath} is missing: build it with "node scripts/build.mjs --main-only"`);
    }
    this.worker = new Worker(workerPath);
    this.worker.on('message', (m: WorkerReply) => {
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
    };
    this.worker.on('error', (e) => failAll(e));
    this.worker.on('exit', (code) => failAll(new Error(`import worker exited (code ${code})`)));
  }

  private call<R, P>(req: WorkerCall, onProgress: (p: P) => void, signal: AbortSignal): Promise<R> {
    if (this.dead) return Promise.reject(this.dead);
    if (signal.aborted) return Promise.reject(new CancelledError());
    const id = this.nextId++;
    return new Promise<R>((resolve, reject) => {
      const onAbort = (): void => {
        this.pending.delete(id);
        reject(new CancelledError());
        void this.worker.terminate();
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const done = <T>(f: (v: T) => void) => (v: T) => {
        signal.removeEventListener('abort', onAbort);
        f(v);
      };
      this.pending.set(id, { resolve: done(resolve as (v: unknown) => void), reject: done(reject), progress: onProgress as (p: never) => void });
      this.worker.postMessage({ ...req, id } as WorkerRequest);
    });
  }

  readHeaders(files: string[], onProgress: (p: HeaderProgress) => void, signal: AbortSignal): Promise<HeaderResult[]> {
    return this.call({ type: 'headers', files }, onProgress, signal);
  }
  build(req: BuildRequest, onProgress: (p: BuildProgressMsg) => void, signal: AbortSignal): Promise<BuildOutcome> {
    return this.call({ type: 'build', req }, onProgress, signal);
  }
  async close(): Promise<void> {
    if (!this.dead) {
      this.dead = new Error('import worker closed');
      await this.worker.terminate();
    }
  }
}
