// The preload (sandboxed, bundled into one file that requires only 'electron'): exposes window.pulmo.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld(
  'pulmo',
  createBridge({
    invoke: (channel, arg) => ipcRenderer.invoke(channel, arg),
    on: (channel, listener) => {
      ipcRenderer.on(channel, listener);
    },
    removeListener: (channel, listener) => {
      ipcRenderer.removeListener(channel, listener);
    },
    getPathForFile: (file) => webUtils.getPathForFile(file as File),
  }),
);
