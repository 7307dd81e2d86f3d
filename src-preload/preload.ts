// The preload script: runs sandboxed beside the window's page and exposes `window.porthole`,
// built on Electron's IPC. Never exposes ipcRenderer itself.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createApi } from './api';

contextBridge.exposeInMainWorld(
  'porthole',
  createApi({
    invoke: (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    on: (channel, listener) => {
      const forward = (_event: unknown, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => void ipcRenderer.removeListener(channel, forward);
    },
    pathForFile: (file) => webUtils.getPathForFile(file),
  }),
);
