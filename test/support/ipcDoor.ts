/**
 * The Electron front door as a test drives it: the IPC adapter registered on the `electron` double
 * for a fake app window, wired to a RendererChannel the way main/index.ts does, and a `call` that
 * invokes the stored `IPC.request` handler as the renderer's main frame would.
 *
 * `electron` is the double (vitest.config.ts aliases it).
 */

import {
  type DesktopDialogs,
  type LanguageControl,
  registerIpcAdapter,
} from '../../electron/main/ipcAdapter.js';
import { RendererChannel } from '../../electron/main/rendererChannel.js';
import type { AppService } from '../../electron/services/appService.js';
import type { AppEvent, Envelope } from '../../shared/contract.js';
import { type LanguageSetting, pickLanguage } from '../../shared/i18n/language.js';
import { IPC } from '../../shared/ipc.js';
import {
  asBrowserWindow,
  asIpcMain,
  asWebContents,
  FakeBrowserWindow,
  invokeHandler,
  trustedEvent,
} from './electronDouble.js';

/** Dialogs that record what they were asked and answer as told. */
export function fakeDialogs(
  answers: { folder?: string | null; confirm?: boolean; choice?: string | null } = {},
) {
  const calls: { kind: string; args: unknown[] }[] = [];
  const dialogs: DesktopDialogs = {
    showContextMenu: async (_window, items) => {
      calls.push({ kind: 'contextMenu', args: [items] });
      return answers.choice ?? null;
    },
    pickFolder: async () => {
      calls.push({ kind: 'pickFolder', args: [] });
      return answers.folder ?? null;
    },
    confirm: async (_window, model) => {
      calls.push({ kind: 'confirm', args: [model] });
      return answers.confirm ?? false;
    },
  };
  return { dialogs, calls };
}

/**
 * The language as main keeps it, for doors whose tests are about something else: a choice lasts in
 * memory only (a double of electron/main/language.ts's DesktopLanguage, which has its own tests).
 */
export function memoryLanguage(systemLanguages: readonly string[] = ['en-US']): LanguageControl {
  let setting: LanguageSetting = { choice: 'system', language: pickLanguage(systemLanguages) };
  return {
    setting: () => setting,
    choose: async (choice) => {
      setting = { choice, language: pickLanguage(systemLanguages, choice) };
      return setting;
    },
  };
}

export interface IpcDoor {
  window: FakeBrowserWindow;
  call(method: unknown, params?: unknown): Promise<Envelope<unknown>>;
  subscribe(listener: (event: AppEvent) => void): () => void;
  logged: { message: string; error: unknown }[];
  close(): void;
}

export async function openIpcDoor(service: AppService): Promise<IpcDoor> {
  const window = new FakeBrowserWindow();
  const channel = new RendererChannel(asWebContents(window.webContents));
  const logged: IpcDoor['logged'] = [];
  const listeners = new Set<(event: AppEvent) => void>();
  window.webContents.onSend = (sent, payload) => {
    if (sent === IPC.event) for (const listener of listeners) listener(payload as AppEvent);
  };
  const unsubscribeService = service.subscribe((event) => channel.sendEvent(event));
  const unregister = registerIpcAdapter({
    ipcMain: asIpcMain(),
    service,
    getWindow: () => asBrowserWindow(window),
    dialogs: fakeDialogs().dialogs,
    language: memoryLanguage(),
    onRendererReady: () => channel.markReady(),
    log: (message, error) => logged.push({ message, error }),
  });
  const ready = await invokeHandler(IPC.rendererReady, trustedEvent(window));
  if (ready !== true) {
    throw new Error(
      `The IPC adapter dropped a message from the app's own main frame (${window.webContents.mainFrame.url}): ` +
        `the sender check (security.ts isFromMainFrame) refuses the trusted sender. Logged: ${JSON.stringify(logged)}`,
    );
  }
  return {
    window,
    call: async (method, params) =>
      (await invokeHandler(IPC.request, trustedEvent(window), method, params)) as Envelope<unknown>,
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    logged,
    close: () => {
      unsubscribeService();
      unregister();
      window.destroy();
    },
  };
}
