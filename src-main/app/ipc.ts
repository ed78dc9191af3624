// IPC wiring: one `pulmo:<method>` handler per API method, each checking who is calling before dispatch
// validates the payload. Kept free of runtime electron imports so it is tested in plain Node.
import type { IpcMainInvokeEvent } from 'electron';
import { methodNames, type MethodName } from '../shared/api';
import type { Result } from '../shared/errors';
import { dispatch, type Handlers } from '../services/dispatch';
import { channelFor } from './channels';
import { isAppUrl } from './origin';

export { EVENT_CHANNEL, channelFor } from './channels';

/** The part of ipcMain this module uses (Electron's ipcMain satisfies it). */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown> | unknown): void;
  removeHandler(channel: string): void;
}

/** What we need to know about a caller; read from an IpcMainInvokeEvent by `describeSender`. */
export interface SenderInfo {
  /** URL of the frame that sent the message, null when the frame is gone. */
  frameUrl: string | null;
  /** The sending frame is the top frame of its page (not an iframe). */
  isMainFrame: boolean;
  /** webContents id of the sender. */
  webContentsId: number;
}

export function describeSender(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  return {
    frameUrl: frame ? frame.url : null,
    isMainFrame: !!frame && frame.parent === null,
    webContentsId: event.sender.id,
  };
}

/** A caller is trusted only when it is the main frame of one of our windows, showing our pulmo://app page. */
export function senderRefusal(sender: SenderInfo, trustedContents: ReadonlySet<number>): string | null {
  if (!trustedContents.has(sender.webContentsId)) return `webContents ${sender.webContentsId} is not a Pulmo window`;
  if (!sender.frameUrl) return 'the sending frame no longer exists';
  if (!sender.isMainFrame) return `frame ${sender.frameUrl} is not the main frame of its window`;
  if (!isAppUrl(sender.frameUrl)) return `frame ${sender.frameUrl} is not the pulmo://app origin`;
  return null;
}

export interface IpcOptions {
  handlers: Handlers;
  /** webContents ids of the windows we created (live set: windows are added and removed). */
  trustedContents: ReadonlySet<number>;
  /** Reads the caller from the event; replaceable so tests can pass plain objects. */
  describe?: (event: IpcMainInvokeEvent) => SenderInfo;
  onRefused?: (method: MethodName, reason: string) => void;
}

/** Registers a handler for every API method; returns a function that removes them all. */
export function registerIpcHandlers(ipcMain: IpcMainLike, opts: IpcOptions): () => void {
  const describe = opts.describe ?? describeSender;
  for (const method of methodNames) {
    ipcMain.handle(channelFor(method), async (event, ...args): Promise<Result<unknown>> => {
      const reason = senderRefusal(describe(event), opts.trustedContents);
      if (reason) {
        opts.onRefused?.(method, reason);
        return { ok: false, error: { kind: 'unauthorized', message: `Refused ${method}: ${reason}` } };
      }
      if (args.length > 1) {
        return { ok: false, error: { kind: 'validation', message: `${method} takes one argument object, got ${args.length} arguments` } };
      }
      return dispatch(opts.handlers, method, args[0]);
    });
  }
  return () => {
    for (const method of methodNames) ipcMain.removeHandler(channelFor(method));
  };
}
