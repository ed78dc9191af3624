// Worker thread entry for CAD runs: computeCad on a cached volume, progress and cancel over messages.
// The database is never touched here; the main thread stores the findings in one transaction.
import { parentPort } from 'node:worker_threads';
import { computeCad } from '../cad/computeCad';
import { classicalDeps } from '../cad/cadDeps';
import { readVolumeCache } from '../store/volumeCache';
import type { WorkerReply, WorkerRequest } from '../services/cad/workerProtocol';

const port = parentPort;
if (!port) throw new Error('cadWorker must run as a worker thread');
const running = new Map<number, AbortController>();

port.on('message', (msg: WorkerRequest) => {
  if (msg.type === 'cancel') {
    running.get(msg.id)?.abort();
    return;
  }
  const ac = new AbortController();
  running.set(msg.id, ac);
  const reply = (r: WorkerReply) => port.postMessage(r);
  let last = 0;
  (async () => {
    const vol = readVolumeCache(msg.volume.volumesDir, msg.volume.cachePath, msg.volume.geometry);
    return computeCad(vol, msg.input, classicalDeps, {
      signal: ac.signal,
      onProgress: (fraction, stage) => {
        const now = Date.now();
        if (now - last < 100 && fraction < 1) return; // throttled: the job emits at most ~10 events/s anyway
        last = now;
        reply({ type: 'progress', id: msg.id, fraction, stage });
      },
    });
  })().then(
    (output) => reply({ type: 'done', id: msg.id, output }),
    (err: Error) => reply({ type: 'error', id: msg.id, name: err.name, message: err.message }),
  ).finally(() => running.delete(msg.id));
});
