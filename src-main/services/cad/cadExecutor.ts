// Where computeCad runs: in the CAD worker thread when the bundled worker exists (the app, the CLI, the server:
// heavy JavaScript stages must not block the event loop), otherwise in-process (tests run from sources).
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CadExecutor } from './runCad';
import { inProcessExecutor } from './runCad';
import { classicalDeps } from '../../cad/cadDeps';
import type { ComputeOutput } from '../../cad/computeCad';
import type { WorkerReply, WorkerRequest } from './workerProtocol';
import { CancelledError } from '../../shared/cancellation';

export function cadWorkerPath(): string | null {
  // Bundles live in dist/main/ (cli.js) and dist/main/app/ (main.js); the worker in dist/main/workers/.
  for (const dir of [__dirname, path.dirname(__dirname)]) {
    const p = path.join(dir, 'workers', 'cadWorker.js');
    if (fs.existsSync(p)) return p;
  }
  return null;
}

/** One long-lived worker (its ONNX session cache survives between runs); runs are queued one at a time. */
export function workerExecutor(file: string): CadExecutor {
  let worker: Worker | null = null;
  let nextId = 1;
  let queue: Promise<unknown> = Promise.resolve();
  const handlers = new Map<number, (r: WorkerReply) => void>();
  const ensure = (): Worker => {
    if (worker) return worker;
    const w = new Worker(file);
    w.unref(); // an idle worker must not keep the CLI alive
    w.on('message', (r: WorkerReply) => handlers.get(r.id)?.(r));
    w.on('error', (err) => {
      for (const h of handlers.values()) h({ type: 'error', id: -1, name: 'Error', message: `CAD worker crashed: ${err.message}` });
      worker = null;
    });
    w.on('exit', (code) => {
      if (code !== 0) for (const h of handlers.values()) h({ type: 'error', id: -1, name: 'Error', message: `CAD worker exited with code ${code}` });
      worker = null;
    });
    return (worker = w);
  };
  const exec: CadExecutor = (volume, input, opts) => {
    const run = (): Promise<ComputeOutput> =>
      new Promise<ComputeOutput>((resolve, reject) => {
        if (opts.signal?.aborted) return reject(new CancelledError('CAD run'));
        const id = nextId++;
        const w = ensure();
        w.ref(); // keep the process alive while a run is in flight
        const onAbort = () => w.postMessage({ type: 'cancel', id } satisfies WorkerRequest);
        opts.signal?.addEventListener('abort', onAbort, { once: true });
        const settle = () => {
          handlers.delete(id);
          opts.signal?.removeEventListener('abort', onAbort);
          w.unref();
        };
        handlers.set(id, (r) => {
          if (r.type === 'progress') return opts.onProgress?.(r.fraction, r.stage);
          settle();
          if (r.type === 'done') resolve(r.output);
          else reject(r.name === 'CancelledError' || r.name === 'AbortError' ? new CancelledError('CAD run') : new Error(r.message));
        });
        w.postMessage({ type: 'run', id, volume, input } satisfies WorkerRequest);
      });
    const p = queue.then(run, run);
    queue = p.catch(() => undefined);
    return p;
  };
  exec.where = 'worker thread';
  return exec;
}

export function defaultExecutor(): CadExecutor {
  const file = cadWorkerPath();
  return file ? workerExecutor(file) : inProcessExecutor(classicalDeps);
}
