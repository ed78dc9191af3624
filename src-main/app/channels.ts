// IPC channel names, shared by main (ipc.ts) and the preload (bridge.ts).
import type { MethodName } from '../shared/api';

export const CHANNEL_PREFIX = 'pulmo:';
/** main → renderer: (eventName, payload) for service events and menu actions. */
export const EVENT_CHANNEL = 'pulmo:event';

export function channelFor(method: MethodName): string {
  return `${CHANNEL_PREFIX}${method}`;
}
