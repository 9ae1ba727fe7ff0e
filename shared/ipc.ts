/**
 * The Electron IPC surface, declared once for main and preload. No zod here: the preload is
 * bundled for the sandbox and stays small; main validates every message against the contract.
 */
import type { MenuCommand } from './commands.js';
import type { AppEvent, RequestName } from './contract.js';
import type { LanguageChoice, LanguageSetting } from './i18n/language.js';

export const IPC = {
  /** invoke(method, params) → Envelope */
  request: 'mobile-sessions:request',
  /** main → renderer: AppEvent */
  event: 'mobile-sessions:event',
  /** renderer → main: listening, send queued events */
  rendererReady: 'mobile-sessions:renderer-ready',
  /** invoke(MenuItemModel[]) → chosen id or null */
  contextMenu: 'mobile-sessions:context-menu',
  /** invoke() → folder path or null */
  pickFolder: 'mobile-sessions:pick-folder',
  /** invoke(ConfirmModel) → boolean */
  confirm: 'mobile-sessions:confirm',
  /** main → renderer: a MenuCommandMessage */
  menuCommand: 'mobile-sessions:menu-command',
  /** invoke() → LanguageSetting: the admin's choice and the language in use */
  language: 'mobile-sessions:language',
  /** invoke(LanguageChoice) → LanguageSetting; main keeps it and re-translates its menus */
  setLanguage: 'mobile-sessions:set-language',
  /** main → renderer: a LanguageSetting, when the language changed (from the native menu too) */
  languageChanged: 'mobile-sessions:language-changed',
} as const;

/** Every contract request, so the preload can expose one named method each. */
export const REQUEST_NAMES = [
  'getState',
  'openRoot',
  'inspectFolder',
  'openDemo',
  'closeRoot',
  'recentRoots',
  'listApps',
  'querySessions',
  'getSession',
  'locateSession',
  'listProblems',
  'setStatus',
  'setStatusMatching',
  'deleteSessions',
  'deleteMatching',
  'previewCleanup',
  'cleanup',
  'undo',
  'reveal',
  'refresh',
  'readHistory',
  'exportCsv',
  'getPushState',
  'saveServerSettings',
  'prePushCheck',
  'push',
  'forgetServerSettings',
  'readServerCertificate',
] as const satisfies readonly RequestName[];

/** A context menu as plain data: the renderer builds it, main shows it natively, the chosen id comes back. */
export type MenuItemModel =
  | { type: 'item'; id: string; label: string; enabled?: boolean; accelerator?: string }
  | { type: 'separator' };

export interface ConfirmModel {
  message: string;
  detail?: string;
  confirmLabel: string;
  cancelLabel?: string;
  destructive?: boolean;
}

/**
 * What the application menu (or a notification's click, `focus-session`) asks the renderer to do:
 * the commands of the one vocabulary (shared/commands.ts) that the main process may send.
 */
export type { MenuCommand };

export interface MenuCommandMessage {
  command: MenuCommand;
  ref?: string;
}

/** What the preload exposes as `window.mobileSessions` (the renderer's desktop transport). */
export type DesktopBridge = {
  [M in (typeof REQUEST_NAMES)[number]]: (params?: unknown) => Promise<unknown>;
} & {
  onEvent(listener: (event: AppEvent) => void): () => void;
  onMenuCommand(listener: (message: MenuCommandMessage) => void): () => void;
  rendererReady(): Promise<unknown>;
  showContextMenu(items: MenuItemModel[]): Promise<string | null>;
  pickFolder(): Promise<string | null>;
  confirm(model: ConfirmModel): Promise<boolean>;
  pathForFile(file: File): string;
  language(): Promise<LanguageSetting>;
  setLanguage(choice: LanguageChoice): Promise<LanguageSetting>;
  onLanguageChanged(listener: (setting: LanguageSetting) => void): () => void;
};

// Every request of the contract has a name in REQUEST_NAMES (a type error otherwise).
type MissingFromIpc = Exclude<RequestName, (typeof REQUEST_NAMES)[number]>;
export const IPC_NAMES_COMPLETE: MissingFromIpc extends never ? true : never = true;
