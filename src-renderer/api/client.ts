// The renderer's one client of the API, over the Electron preload bridge or loopback HTTP. Views never know which.
import type { EventName, Events, Input, MethodName, Output } from '../../src-main/shared/api';
import type { ApiErrorBody, Result } from '../../src-main/shared/errors';

export class ApiCallError extends Error {
  constructor(readonly body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiCallError';
  }
}

/** What the Electron preload exposes on window.pulmo: one function per API method, plus event subscription. */
export type PulmoBridge = { [M in MethodName]: (args: Input<M>) => Promise<Result<Output<M>>> } & {
  onEvent(listener: (event: EventName, payload: unknown) => void): () => void;
  /** The local path of a dropped file or folder (Electron's webUtils.getPathForFile). */
  pathForFile(file: File): string;
};

export interface PulmoClient {
  readonly transport: 'electron' | 'http';
  call<M extends MethodName>(method: M, args: Input<M>): Promise<Output<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /** Fetches bulk voxel data with progress (bytes so far, total). */
  fetchBytes(url: string, onProgress?: (loaded: number, total: number) => void): Promise<ArrayBuffer>;
}

function unwrap<T>(r: Result<T>): T {
  if (r.ok) return r.value;
  throw new ApiCallError(r.error);
}

async function readWithProgress(res: Response, onProgress?: (loaded: number, total: number) => void): Promise<ArrayBuffer> {
  const total = Number(res.headers.get('Content-Length') ?? 0);
  if (!res.body || !total) return res.arrayBuffer();
  const out = new Uint8Array(total);
  const reader = res.body.getReader();
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value, loaded);
    loaded += value.length;
    onProgress?.(loaded, total);
  }
  return out.buffer;
}

function httpClient(token: string): PulmoClient {
  const headers = { Authorization: `Bearer ${token}` };
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let source: EventSource | null = null;
  return {
    transport: 'http',
    async call(method, args) {
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify(args ?? {}),
      });
      return unwrap(await res.json());
    },
    on(event, listener) {
      if (!source) {
        source = new EventSource('/api/events'); // authorised by the HttpOnly session cookie
      }
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        source.addEventListener(event, (e) => {
          const payload = JSON.parse((e as MessageEvent).data);
          for (const l of listeners.get(event) ?? []) l(payload);
        });
      }
      set.add(listener as (p: unknown) => void);
      return () => set.delete(listener as (p: unknown) => void);
    },
    async fetchBytes(url, onProgress) {
      const res = await fetch(url, { headers });
      if (!res.ok) {
        const body = await res.json().catch(() => ({ error: { kind: 'io', message: `HTTP ${res.status}` } }));
        throw new ApiCallError(body.error);
      }
      return readWithProgress(res, onProgress);
    },
  };
}

function electronClient(bridge: PulmoBridge): PulmoClient {
  return {
    transport: 'electron',
    async call(method, args) {
      const fn = bridge[method] as (a: unknown) => Promise<Result<Output<typeof method>>>;
      return unwrap(await fn(args));
    },
    on(event, listener) {
      return bridge.onEvent((e, payload) => {
        if (e === event) listener(payload as Events[typeof event]);
      });
    },
    async fetchBytes(url, onProgress) {
      const res = await fetch(`pulmo:/${url}`); // pulmo://volume/<id>
      if (!res.ok) throw new ApiCallError({ kind: 'io', message: `Could not load ${url}: ${res.status}` });
      return readWithProgress(res, onProgress);
    },
  };
}

/** Picks the transport: the Electron bridge when present, else HTTP with the token from the launch URL. */
export function createClient(): PulmoClient {
  const bridge = (window as unknown as { pulmo?: PulmoBridge }).pulmo;
  if (bridge) return electronClient(bridge);
  const params = new URLSearchParams(window.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    sessionStorage.setItem('pulmo.token', fromUrl);
    // Keep the token out of the address bar, history and screenshots.
    params.delete('token');
    const rest = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`);
  }
  return httpClient(fromUrl ?? sessionStorage.getItem('pulmo.token') ?? '');
}

/** Local paths of dropped files/folders, or null where the transport cannot know them (a browser never can). */
export function localPathsOf(files: FileList): string[] | null {
  const bridge = (window as unknown as { pulmo?: PulmoBridge }).pulmo;
  if (!bridge) return null;
  return Array.from(files)
    .map((f) => bridge.pathForFile(f))
    .filter((p) => p.length > 0);
}

let client: PulmoClient | null = null;
export function api(): PulmoClient {
  return (client ??= createClient());
}
