// What the preload exposes on window.pulmo, built from injected primitives so it is tested in Node: one function
// per API method, onEvent, pathForFile. Never ipcRenderer itself, and never the raw IPC event object (it carries
// the sender), only (eventName, payload).
// The method list comes from the API contract itself, so the bridge cannot drift from it (this bundles zod's
// schemas into the preload, ~0.7 MB unminified: the price of never keeping a second list).
import { methodNames, type EventName, type MethodName } from '../shared/api';
import type { Result } from '../shared/errors';
import { EVENT_CHANNEL, channelFor } from './channels';

export interface BridgeDeps {
  invoke(channel: string, arg: unknown): Promise<unknown>;
  on(channel: string, listener: (ipcEvent: unknown, ...args: unknown[]) => void): void;
  removeListener(channel: string, listener: (ipcEvent: unknown, ...args: unknown[]) => void): void;
  /** webUtils.getPathForFile: the absolute path of a dropped File ('' for files not from disk). */
  getPathForFile(file: unknown): string;
}

export type EventListener = (event: EventName, payload: unknown) => void;

export type Bridge = { [M in MethodName]: (args?: unknown) => Promise<Result<unknown>> } & {
  onEvent(listener: EventListener): () => void;
  pathForFile(file: unknown): string;
};

export function createBridge(deps: BridgeDeps): Bridge {
  const api: Record<string, unknown> = {};
  for (const method of methodNames) {
    const channel = channelFor(method);
    api[method] = (args?: unknown) => deps.invoke(channel, args ?? {}) as Promise<Result<unknown>>;
  }
  api.onEvent = (listener: EventListener) => {
    if (typeof listener !== 'function') throw new TypeError('pulmo.onEvent needs a function');
    const wrapped = (_ipcEvent: unknown, event: unknown, payload: unknown) => listener(event as EventName, payload);
    deps.on(EVENT_CHANNEL, wrapped as (ipcEvent: unknown, ...args: unknown[]) => void);
    return () => deps.removeListener(EVENT_CHANNEL, wrapped as (ipcEvent: unknown, ...args: unknown[]) => void);
  };
  api.pathForFile = (file: unknown) => deps.getPathForFile(file);
  return Object.freeze(api) as Bridge;
}
