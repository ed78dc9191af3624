// worker_threads entry for DICOM import: header reading and volume building, off the main thread.
// Loaded from dist/main/workers/importWorker.js; the functions it wraps are tested on their own.
import { parentPort, workerData } from 'node:worker_threads';
import { buildAndCache, readHeaders } from '../services/import/tasks';
import { scanPaths } from '../dicom/scanFolder';
import { errorMessage } from '../shared/errorCodes';
import type { WorkerInit, WorkerReply, WorkerRequest } from '../services/import/workerProtocol';

const port = parentPort;
if (!port) throw new Error('importWorker must run in a worker thread');
const init = workerData as WorkerInit | null;
const cancelled = init?.cancel ? new Int32Array(init.cancel) : null;

const PROGRESS_EVERY_MS = 100;

port.on('message', async (m: WorkerRequest) => {
  const reply = (r: WorkerReply): void => port.postMessage(r);
  const isCancelled = (): boolean => cancelled !== null && Atomics.load(cancelled, 0) >= m.id;
  let last = 0;
  const progress = (p: unknown): void => {
    const now = Date.now();
    if (now - last >= PROGRESS_EVERY_MS) {
      last = now;
      reply({ id: m.id, type: 'progress', progress: p });
    }
  };
  try {
    if (m.type === 'scan') {
      const value = scanPaths(m.paths, isCancelled);
      reply(isCancelled() ? { id: m.id, type: 'error', message: 'cancelled' } : { id: m.id, type: 'done', value });
    } else if (m.type === 'headers') {
      const value = readHeaders(m.files, progress, isCancelled);
      reply(isCancelled() ? { id: m.id, type: 'error', message: 'cancelled' } : { id: m.id, type: 'done', value });
    } else reply({ id: m.id, type: 'done', value: await buildAndCache(m.req, progress, isCancelled) });
  } catch (e) {
    reply({ id: m.id, type: 'error', message: errorMessage(e) });
  }
});
