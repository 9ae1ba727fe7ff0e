/**
 * Preload: exposes the contract's named methods, an event subscription that returns its
 * unsubscribe function, and the few desktop-only calls. Never ipcRenderer itself, never the raw
 * IPC event. Bundled to one CommonJS file so it loads in the sandbox, where `require` knows only
 * `electron`, `events`, `timers` and `url` (electron/preload/sandbox.test.ts runs it that way).
 *
 * Events and menu commands are listened to from the start and held until the page subscribes:
 * main sends what it held as soon as `rendererReady` arrives, which may be before React mounted
 * the component that listens (the menu commands are subscribed in an effect).
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import type { AppEvent, RequestName } from '../../shared/contract.js';
import type { LanguageChoice, LanguageSetting } from '../../shared/i18n/language.js';
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

/** As many as main holds for a renderer that is not listening yet (rendererChannel.ts). */
const MAX_HELD = 5000;

/**
 * One channel from main: its messages go to the page's listeners, or wait (in order) until the
 * first one subscribes. Only the payload reaches the page, never the raw IPC event.
 */
function heldChannel<T>(channel: string) {
  const listeners = new Set<(payload: T) => void>();
  let held: T[] = [];
  const deliver = (payload: T) => {
    for (const listener of [...listeners]) listener(payload);
  };
  ipcRenderer.on(channel, (_event: unknown, payload: T) => {
    // Behind held messages, or with nobody listening: wait, so the order is kept.
    if (held.length > 0 || listeners.size === 0) {
      if (held.length >= MAX_HELD) held.shift();
      held.push(payload);
    } else deliver(payload);
  });
  const flush = () => {
    const waiting = held;
    held = [];
    for (const payload of waiting) deliver(payload);
  };
  return (listener: (payload: T) => void): (() => void) => {
    listeners.add(listener);
    // After the subscriber has its unsubscribe function, not inside its own call.
    if (held.length > 0) queueMicrotask(() => listeners.size > 0 && flush());
    return () => {
      listeners.delete(listener);
    };
  };
}

const onEvent = heldChannel<AppEvent>(IPC.event);
const onMenuCommand = heldChannel<MenuCommandMessage>(IPC.menuCommand);
const onLanguageChanged = heldChannel<LanguageSetting>(IPC.languageChanged);

const bridge: DesktopBridge = {
  ...requests,
  onEvent: (listener: (event: AppEvent) => void) => onEvent(listener),
  onMenuCommand: (listener: (message: MenuCommandMessage) => void) => onMenuCommand(listener),
  rendererReady: () => ipcRenderer.invoke(IPC.rendererReady),
  showContextMenu: (items: MenuItemModel[]) =>
    ipcRenderer.invoke(IPC.contextMenu, items) as Promise<string | null>,
  pickFolder: () => ipcRenderer.invoke(IPC.pickFolder) as Promise<string | null>,
  confirm: (model: ConfirmModel) => ipcRenderer.invoke(IPC.confirm, model) as Promise<boolean>,
  /** The path of a folder dropped on the window. */
  pathForFile: (file: File) => webUtils.getPathForFile(file),
  language: () => ipcRenderer.invoke(IPC.language) as Promise<LanguageSetting>,
  setLanguage: (choice: LanguageChoice) =>
    ipcRenderer.invoke(IPC.setLanguage, choice) as Promise<LanguageSetting>,
  onLanguageChanged: (listener: (setting: LanguageSetting) => void) => onLanguageChanged(listener),
};

contextBridge.exposeInMainWorld('mobileSessions', bridge);
