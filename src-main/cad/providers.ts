// The ONNX Runtime execution providers this build ships, as onnxruntime-node reports them.
import type { ExecutionProviderInfo } from '../shared/types';

export function listExecutionProviders(): ExecutionProviderInfo[] {
  try {
    // Loaded lazily: the native binding is heavy and not needed for most commands.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ort = require('onnxruntime-node') as { listSupportedBackends?: () => { name: string; bundled: boolean }[] };
    const backends = ort.listSupportedBackends?.() ?? [{ name: 'cpu', bundled: true }];
    return backends.map((b) => ({
      name: b.name,
      bundled: b.bundled,
      status: b.name === 'cpu' ? 'available' : b.bundled ? 'untested' : 'unavailable',
      detail: b.bundled ? undefined : 'not bundled with onnxruntime-node; its libraries must be installed separately',
    }));
  } catch (err) {
    return [{ name: 'cpu', bundled: false, status: 'unavailable', detail: `onnxruntime-node failed to load: ${(err as Error).message}` }];
  }
}
