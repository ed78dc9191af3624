// ONNX sessions are expensive to create (graph optimisation, GPU upload), so they are cached per model file
// and provider for the life of the process.
import type { InferenceSession } from 'onnxruntime-node';
import { loadOrt, shortenOrtMessage } from './providers';

const cache = new Map<string, Promise<InferenceSession>>();

export function sessionKey(modelKey: string, provider: string): string {
  return `${modelKey}\u0000${provider}`;
}

/**
 * A session for the model on exactly this provider (no silent fallback inside: the caller chose the provider
 * by probing and records it). `model` is a file path or the model bytes; `modelKey` identifies it (e.g. sha256).
 */
export function getSession(modelKey: string, model: string | Uint8Array, provider: string): Promise<InferenceSession> {
  const key = sessionKey(modelKey, provider);
  let s = cache.get(key);
  if (!s) {
    const ort = loadOrt();
    const opts: InferenceSession.SessionOptions = { executionProviders: [provider], logSeverityLevel: 3, graphOptimizationLevel: 'all' };
    s = (typeof model === 'string' ? ort.InferenceSession.create(model, opts) : ort.InferenceSession.create(model, opts)).catch((err: Error) => {
      cache.delete(key); // a failed load is not cached: the file may be fixed and retried
      throw new Error(`Cannot load model ${modelKey} on ${provider}: ${shortenOrtMessage(err.message)}`);
    });
    cache.set(key, s);
  }
  return s;
}

/** Releases every cached session (tests, shutdown, or after a model is replaced). */
export async function releaseSessions(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  for (const p of all) {
    try {
      await (await p).release();
    } catch {
      /* already failed or released */
    }
  }
}

export function cachedSessionCount(): number {
  return cache.size;
}
