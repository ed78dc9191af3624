// The preload bridge: one function per API method plus onEvent and pathForFile, nothing else, wired to IPC channels.
import { describe, expect, it } from 'vitest';
import { createBridge, type BridgeDeps } from '../../../src-main/app/bridge';
import { EVENT_CHANNEL } from '../../../src-main/app/channels';
import { methodNames } from '../../../src-main/shared/api';

type Listener = (ipcEvent: unknown, ...args: unknown[]) => void;

/** ipcRenderer/webUtils do not exist without an Electron binary; this records what the bridge asks of them. */
function recordingDeps() {
  const invoked: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<Listener>>();
  const deps: BridgeDeps = {
    invoke: async (channel, arg) => {
      invoked.push([channel, arg]);
      return { ok: true, value: channel };
    },
    on: (channel, l) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    },
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
    getPathForFile: (file) => `/abs/${(file as { name: string }).name}`,
  };
  const emit = (channel: string, ...args: unknown[]) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'IPC EVENT WITH SENDER' }, ...args);
  };
  return { deps, invoked, listeners, emit };
}

describe('createBridge', () => {
  it('exposes exactly the API methods, onEvent and pathForFile, all functions, frozen', () => {
    const bridge = createBridge(recordingDeps().deps);
    expect(Object.keys(bridge).sort()).toEqual([...methodNames, 'onEvent', 'pathForFile'].sort());
    for (const v of Object.values(bridge)) expect(typeof v).toBe('function');
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(bridge).not.toHaveProperty('invoke');
    expect(bridge).not.toHaveProperty('ipcRenderer');
  });

  it('invokes pulmo:<method> with the argument object (an empty one when omitted)', async () => {
    const { deps, invoked } = recordingDeps();
    const bridge = createBridge(deps);
    await expect(bridge['cases.list']({ text: 'smith' })).resolves.toEqual({ ok: true, value: 'pulmo:cases.list' });
    await bridge['jobs.list']();
    expect(invoked).toEqual([
      ['pulmo:cases.list', { text: 'smith' }],
      ['pulmo:jobs.list', {}],
    ]);
  });

  it('onEvent passes (name, payload) without the IPC event, and unsubscribes', () => {
    const { deps, listeners, emit } = recordingDeps();
    const bridge = createBridge(deps);
    const seen: unknown[][] = [];
    const off = bridge.onEvent((...args) => seen.push(args));
    emit(EVENT_CHANNEL, 'job.progress', { jobId: 'j1' });
    expect(seen).toEqual([['job.progress', { jobId: 'j1' }]]);
    off();
    expect(listeners.get(EVENT_CHANNEL)?.size).toBe(0);
    emit(EVENT_CHANNEL, 'cases.changed', { reason: 'x' });
    expect(seen).toHaveLength(1);
    expect(() => bridge.onEvent('not a function' as never)).toThrow(/needs a function/);
  });

  it('pathForFile goes through webUtils.getPathForFile', () => {
    const bridge = createBridge(recordingDeps().deps);
    expect(bridge.pathForFile({ name: 'CT001.dcm' })).toBe('/abs/CT001.dcm');
  });
});
