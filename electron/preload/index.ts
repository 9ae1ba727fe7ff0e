/**
 * Preload: exposes the contract's named methods, an event subscription that returns its
 * unsubscribe function, and the few desktop-only calls. Never ipcRenderer itself, never the raw
 * IPC event. Bundled to one CommonJS file so it loads in the sandbox.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { AppEvent, RequestName } from '../../shared/contract.js';
import {
  type ConfirmModel,
  type DesktopBridge,
  IPC,
  type MenuCommandMessage,
  type MenuItemModel,
  REQUEST_NAMES,
} from '../../shared/ipc.js';

const requests = Object.fromEntries(
  REQUEST_NAMES.map((name) => [
    name,
    (params: unknown = {}) => ipcRenderer.invoke(IPC.request, name, params),
  ]),
) as Record<RequestName, (params?: unknown) => Promise<unknown>>;

function listen<T>(channel: string, listener: (payload: T) => void): () => void {
  const wrapped = (_event: unknown, payload: T) => listener(payload);
  ipcRenderer.on(channel, wrapped);
  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const bridge: DesktopBridge = {
  ...requests,
  onEvent: (listener: (event: AppEvent) => void) => listen(IPC.event, listener),
  onMenuCommand: (listener: (message: MenuCommandMessage) => void) => listen(IPC.menuCommand, listener),
  rendererReady: () => ipcRenderer.invoke(IPC.rendererReady),
  showContextMenu: (items: MenuItemModel[]) =>
    ipcRenderer.invoke(IPC.contextMenu, items) as Promise<string | null>,
  pickFolder: () => ipcRenderer.invoke(IPC.pickFolder) as Promise<string | null>,
  confirm: (model: ConfirmModel) => ipcRenderer.invoke(IPC.confirm, model) as Promise<boolean>,
  /** The path of a folder dropped on the window. */
  pathForFile: (file: File) => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('mobileSessions', bridge);
