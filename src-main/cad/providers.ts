// ONNX Runtime execution providers: which ones this build ships, which ones really work on this machine
// (probed by creating a session with a tiny built model and running it), and the choice for a run: the first
// that works in a configurable order, falling back to the CPU with the reason recorded.
import type { ExecutionProviderInfo } from '../shared/types';
import { GraphBuilder } from './onnx/graphBuilder';

type Ort = typeof import('onnxruntime-node');

/**
 * Preferred order: CUDA where its libraries load, then the platform GPU APIs, WebGPU (Dawn), and the CPU.
 * PULMO_PROVIDERS (comma-separated, e.g. "webgpu,cpu") replaces it, for a site that wants a fixed choice.
 */
export function defaultProviderOrder(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = env.PULMO_PROVIDERS?.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (configured?.length) return configured;
  const order = ['cuda'];
  if (platform === 'win32') order.push('dml');
  if (platform === 'darwin') order.push('coreml');
  order.push('webgpu', 'cpu');
  return order;
}

export interface ProbeResult {
  name: string;
  ok: boolean;
  /** Why it cannot be used (onnxruntime's message, shortened). */
  reason?: string;
  ms: number;
}

let ortModule: Ort | null = null;
/** Loaded lazily: the native binding is heavy and not needed for most commands. */
export function loadOrt(): Ort {
  if (!ortModule) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    ortModule = require('onnxruntime-node') as Ort;
    // Failures reach us as exceptions whose message we record; onnxruntime's own stderr log would only repeat
    // them (e.g. every CUDA probe on a machine without CUDA). PULMO_ORT_LOG=warning|info|verbose turns it back on.
    ortModule.env.logLevel = (process.env.PULMO_ORT_LOG as Ort['env']['logLevel']) ?? 'fatal';
  }
  return ortModule;
}

function bundledBackends(): { name: string; bundled: boolean }[] {
  const ort = loadOrt() as Ort & { listSupportedBackends?: () => { name: string; bundled: boolean }[] };
  return ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
}

/** onnxruntime messages start with a source path and an assertion; keep the sentence a user can act on. */
export function shortenOrtMessage(msg: string): string {
  const firstLine = msg.split('\n').find((l) => l.trim()) ?? msg;
  const m = /was false\. (.*)$/.exec(firstLine);
  return (m ? m[1] : firstLine).replace(/^\/onnxruntime_src\/\S+ /, '').trim();
}

let probeModel: Uint8Array | null = null;
function tinyModel(): Uint8Array {
  if (!probeModel) {
    // A 3D conv is what CAD models run; a provider that loads but cannot run Conv is of no use.
    const g = new GraphBuilder('probe');
    g.input('x', 'float32', [1, 1, 4, 4, 4]);
    g.initializer('w', 'float32', [1, 1, 3, 3, 3], new Float32Array(27).fill(1 / 27));
    g.node('Conv', ['x', 'w'], ['y'], { pads: { kind: 'ints', value: [1, 1, 1, 1, 1, 1] } });
    g.output('y', 'float32', [1, 1, 4, 4, 4]);
    probeModel = g.build();
  }
  return probeModel;
}

const probeCache = new Map<string, Promise<ProbeResult>>();
const settled = new Map<string, ProbeResult>();

/** Creates a session with the provider alone and runs it once; the result is cached for the process. */
export function probeProvider(name: string): Promise<ProbeResult> {
  let p = probeCache.get(name);
  if (!p) {
    p = (async (): Promise<ProbeResult> => {
      const t0 = performance.now();
      let ort: Ort;
      try {
        ort = loadOrt();
      } catch (err) {
        return { name, ok: false, reason: `onnxruntime-node failed to load: ${(err as Error).message}`, ms: 0 };
      }
      const known = bundledBackends().find((b) => b.name === name);
      if (!known) return { name, ok: false, reason: `not available in onnxruntime-node on ${process.platform}-${process.arch}`, ms: 0 };
      try {
        const s = await ort.InferenceSession.create(tinyModel(), { executionProviders: [name], logSeverityLevel: 4 });
        try {
          await s.run({ x: new ort.Tensor('float32', new Float32Array(64).fill(1), [1, 1, 4, 4, 4]) });
        } finally {
          await s.release();
        }
        return { name, ok: true, ms: performance.now() - t0 };
      } catch (err) {
        const why = shortenOrtMessage((err as Error).message);
        const hint = known.bundled ? '' : ' (not bundled with onnxruntime-node; its libraries must be installed separately)';
        return { name, ok: false, reason: `${why}${hint}`, ms: performance.now() - t0 };
      }
    })().then((r) => {
      settled.set(name, r);
      return r;
    });
    probeCache.set(name, p);
  }
  return p;
}

export interface ProviderChoice {
  /** The provider sessions are created with. */
  provider: string;
  /** Providers tried before it, with why each was passed over. */
  skipped: { name: string; reason: string }[];
}

/**
 * The first provider of `order` that works here. `requested` (e.g. --provider webgpu) goes first; the CPU is
 * always the last resort, so a run never fails only because a GPU is missing.
 */
export async function chooseProvider(requested?: string, order: string[] = defaultProviderOrder()): Promise<ProviderChoice> {
  const list = requested ? [requested, ...(requested === 'cpu' ? [] : ['cpu'])] : [...order];
  if (!list.includes('cpu')) list.push('cpu');
  const skipped: ProviderChoice['skipped'] = [];
  for (const name of list) {
    const r = await probeProvider(name);
    if (r.ok) return { provider: name, skipped };
    skipped.push({ name, reason: r.reason ?? 'failed' });
  }
  throw new Error(`No ONNX execution provider works on this machine: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/** Synchronous listing for diagnostics; includes probe results where a probe has already completed. */
export function listExecutionProviders(): ExecutionProviderInfo[] {
  let backends: { name: string; bundled: boolean }[];
  try {
    backends = bundledBackends();
  } catch (err) {
    return [{ name: 'cpu', bundled: false, status: 'unavailable', detail: `onnxruntime-node failed to load: ${(err as Error).message}` }];
  }
  return backends.map((b) => {
    const probed = settled.get(b.name);
    if (probed) return { name: b.name, bundled: b.bundled, status: probed.ok ? 'available' : 'unavailable', detail: probed.reason };
    return {
      name: b.name,
      bundled: b.bundled,
      status: b.name === 'cpu' ? 'available' : b.bundled ? 'untested' : 'unavailable',
      detail: b.bundled ? undefined : 'not bundled with onnxruntime-node; its libraries must be installed separately',
    };
  });
}

/** Probes every backend this build lists and returns the listing with real statuses. */
export async function probeAllProviders(): Promise<ExecutionProviderInfo[]> {
  for (const b of bundledBackends()) await probeProvider(b.name);
  return listExecutionProviders();
}
