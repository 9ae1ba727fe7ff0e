/**
 * The Electron IPC front door: maps invoke() calls onto the contract's dispatch, and the
 * desktop-only calls (native context menu, folder picker, confirmation, the language) onto Electron's UI.
 * Every handler first checks that the message comes from the app's own window's main frame;
 * anything else is dropped (answered with null) and logged.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import type { LanguageChoice, LanguageSetting } from '../../shared/i18n/language.js';
import { type ConfirmModel, IPC, type MenuItemModel } from '../../shared/ipc.js';
import type { AppService } from '../services/appService.js';
import { dispatch } from '../services/dispatch.js';
import { APP_ORIGIN } from './appProtocol.js';
import { isLanguageChoice } from './language.js';
import { frameUrl, isFromMainFrame } from './security.js';

export interface DesktopDialogs {
  showContextMenu(window: BrowserWindow, items: MenuItemModel[]): Promise<string | null>;
  pickFolder(window: BrowserWindow): Promise<string | null>;
  confirm(window: BrowserWindow, model: ConfirmModel): Promise<boolean>;
}

/** The app's language as the window sees it (language.ts's DesktopLanguage). */
export interface LanguageControl {
  setting(): LanguageSetting;
  choose(choice: LanguageChoice): Promise<LanguageSetting>;
}

export interface IpcAdapterOptions {
  ipcMain: IpcMain;
  service: AppService;
  getWindow: () => BrowserWindow | null;
  dialogs: DesktopDialogs;
  language: LanguageControl;
  onRendererReady: () => void;
  log: (message: string, error?: unknown) => void;
  /** The origin the renderer is served from (app://renderer). */
  origin?: string;
}

const optional = (value: unknown, type: 'string' | 'boolean') => value === undefined || typeof value === type;

const isMenuModel = (value: unknown): value is MenuItemModel[] =>
  Array.isArray(value) &&
  value.length <= 50 &&
  value.every(
    (item) =>
      item !== null &&
      typeof item === 'object' &&
      ((item.type === 'separator' && Object.keys(item).length === 1) ||
        (item.type === 'item' &&
          typeof item.id === 'string' &&
          item.id.length <= 100 &&
          typeof item.label === 'string' &&
          item.label.length < 200 &&
          optional(item.enabled, 'boolean') &&
          optional(item.accelerator, 'string'))),
  );

const isConfirmModel = (value: unknown): value is ConfirmModel => {
  if (value === null || typeof value !== 'object') return false;
  const model = value as ConfirmModel;
  return (
    typeof model.message === 'string' &&
    typeof model.confirmLabel === 'string' &&
    optional(model.detail, 'string') &&
    optional(model.cancelLabel, 'string') &&
    optional(model.destructive, 'boolean')
  );
};

export function registerIpcAdapter(options: IpcAdapterOptions): () => void {
  const { ipcMain, service, getWindow, dialogs, language, log } = options;
  const origin = options.origin ?? APP_ORIGIN;

  /** Runs `handle` only for the main frame of our window; drops anything else. */
  const trusted =
    <A extends unknown[], R>(
      channel: string,
      handle: (window: BrowserWindow, ...args: A) => Promise<R> | R,
    ) =>
    async (event: IpcMainInvokeEvent, ...args: A): Promise<R | null> => {
      const window = getWindow();
      if (!window || !isFromMainFrame(event, window, origin)) {
        log(
          `dropped ${channel} from an untrusted sender (${frameUrl(event.senderFrame) ?? 'a frame that is gone'})`,
        );
        return null;
      }
      return handle(window, ...args);
    };

  ipcMain.handle(
    IPC.request,
    trusted(IPC.request, (_window, method: unknown, params: unknown) =>
      dispatch(service, method, params, log),
    ),
  );
  ipcMain.handle(
    IPC.contextMenu,
    trusted(IPC.contextMenu, (window, items: unknown) =>
      isMenuModel(items) ? dialogs.showContextMenu(window, items) : null,
    ),
  );
  ipcMain.handle(
    IPC.pickFolder,
    trusted(IPC.pickFolder, (window) => dialogs.pickFolder(window)),
  );
  ipcMain.handle(
    IPC.confirm,
    trusted(IPC.confirm, (window, model: unknown) =>
      isConfirmModel(model) ? dialogs.confirm(window, model) : false,
    ),
  );
  ipcMain.handle(
    IPC.rendererReady,
    trusted(IPC.rendererReady, () => {
      options.onRendererReady();
      return true;
    }),
  );
  ipcMain.handle(
    IPC.language,
    trusted(IPC.language, () => language.setting()),
  );
  ipcMain.handle(
    IPC.setLanguage,
    trusted(IPC.setLanguage, (_window, choice: unknown) => {
      if (isLanguageChoice(choice)) return language.choose(choice);
      log(`refused ${IPC.setLanguage}: ${JSON.stringify(choice)?.slice(0, 80)} is not a language choice`);
      return null;
    }),
  );
  return () => {
    for (const channel of [
      IPC.request,
      IPC.contextMenu,
      IPC.pickFolder,
      IPC.confirm,
      IPC.rendererReady,
      IPC.language,
      IPC.setLanguage,
    ]) {
      ipcMain.removeHandler(channel);
    }
  };
}
