/**
 * Updates of the installed app, through electron-updater and the generic feed of
 * electron-builder.yml (`publish`; electron-builder writes it into the app's resources as
 * app-update.yml). The policy:
 * - a check a few seconds after the window's first paint, never in the way of the start, and
 *   silent when it fails (the log has it); a check from the menu says what it found, errors included;
 * - a newer version downloads in the background; once it is there the admin is asked (Restart Now /
 *   Later) and it is installed only on Restart Now: never on quit (`autoInstallOnAppQuit` false);
 * - a run from source or the browser mode (not packaged) checks nothing and says so from the menu.
 * electron-updater is handed in (`updater`) and touched only when packaged: its `autoUpdater` picks
 * the platform's installer when first read (the deb's DebUpdater from resources/package-type).
 * Every word shown is in updateTexts.ts, in the app's language at the moment it is shown.
 */
import { type BrowserWindow, dialog, type MessageBoxOptions } from 'electron';
import type { AppUpdater, Logger, UpdateInfo } from 'electron-updater';
import type { Translate } from '../../shared/i18n/translator.js';
import { RESTART_NOW, type UpdateMessage, type UpdateTexts, updateTexts } from './updateTexts.js';

/** The start-up check waits this long after the window's first paint: the start comes first. */
export const STARTUP_CHECK_DELAY_MS = 3_000;

/** What the app uses of electron-updater's updater. */
export type Updater = Pick<
  AppUpdater,
  'autoDownload' | 'autoInstallOnAppQuit' | 'logger' | 'on' | 'checkForUpdates' | 'quitAndInstall'
>;

export interface UpdatesOptions {
  /** `app.isPackaged`: only an installed app has a feed (app-update.yml) and an installer to replace. */
  packaged: boolean;
  /** The running version (`app.getVersion()`). */
  version: string;
  /** electron-updater's `autoUpdater`, read only when packaged. */
  updater: () => Updater;
  /** The window the dialogs belong to, if there is one (macOS and Windows keep running without). */
  window: () => BrowserWindow | null;
  /** The main process's log (electron-log): the start-up check's failures and electron-updater's own lines. */
  log: Logger;
  /** The app's translator now: asked at each dialog, so a change of language applies to the next one. */
  translate: () => Translate;
  startupDelayMs?: number;
}

/** The first line of an error: electron-updater's messages go on with headers and stacks (the log has those). */
const reasonOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';

export class DesktopUpdates {
  private updater: Updater | null = null;
  /** The version downloaded and offered: a check that finds it again says no "downloading". */
  private downloadedVersion: string | null = null;
  private asking = false;

  constructor(private readonly options: UpdatesOptions) {}

  /** The words in the app's language as it is now (not as it was when this was made). */
  private words(): UpdateTexts {
    return updateTexts(this.options.translate());
  }

  /** After the window's first paint: the check starts a few seconds later, in the background. */
  checkSoonAfterStart(): void {
    if (!this.options.packaged) return;
    const timer = setTimeout(() => {
      // Silent: no dialog at start. electron-updater has logged the error itself (through `log`).
      void this.check().catch((error: unknown) =>
        this.options.log.warn(`the update check at start failed: ${reasonOf(error)}`),
      );
    }, this.options.startupDelayMs ?? STARTUP_CHECK_DELAY_MS);
    // A pending check never keeps the app alive.
    timer.unref?.();
  }

  /** The menu's Check for Updates…: reports up to date, a download under way, or the error. */
  async checkFromMenu(): Promise<void> {
    if (!this.options.packaged) {
      await this.show((words) => words.notInstalled());
      return;
    }
    let found: Awaited<ReturnType<Updater['checkForUpdates']>>;
    try {
      found = await this.check();
    } catch (error) {
      await this.show((words) => words.checkFailed(reasonOf(error)), 'error');
      return;
    }
    if (!found?.isUpdateAvailable) {
      await this.show((words) => words.upToDate(this.options.version));
      return;
    }
    const { version } = found.updateInfo;
    // Already downloaded: electron-updater reports it again at once, and the admin is asked again.
    if (version === this.downloadedVersion) return;
    found.downloadPromise?.catch(
      (error: unknown) => void this.show((words) => words.downloadFailed(reasonOf(error)), 'error'),
    );
    await this.show((words) => words.downloading(version));
  }

  private async check(): ReturnType<Updater['checkForUpdates']> {
    const found = await this.configured().checkForUpdates();
    // electron-updater logs a failed download (its `error` event); it must not go unhandled here.
    found?.downloadPromise?.catch(() => {});
    return found;
  }

  /** The updater, set up on first use. */
  private configured(): Updater {
    if (this.updater) return this.updater;
    const updater = this.options.updater();
    updater.logger = this.options.log;
    updater.autoDownload = true;
    // Installed only when the admin says so, never behind their back on quit.
    updater.autoInstallOnAppQuit = false;
    // Errors: electron-updater's own `error` listener logs them through `logger`.
    updater.on('update-downloaded', (info) => void this.offerRestart(info));
    this.updater = updater;
    return updater;
  }

  private async offerRestart(info: UpdateInfo): Promise<void> {
    this.downloadedVersion = info.version;
    if (this.asking) return;
    this.asking = true;
    try {
      const words = this.words();
      const answer = await this.ask(words, {
        ...words.readyToInstall(info.version),
        type: 'question',
        buttons: [...words.restartButtons],
        defaultId: RESTART_NOW,
        cancelId: 1,
      });
      // Silent install, then the app runs again (NSIS without its wizard; the deb relaunches; macOS's
      // Squirrel relaunches anyway).
      if (answer === RESTART_NOW) this.updater?.quitAndInstall(true, true);
    } finally {
      this.asking = false;
    }
  }

  /** A message and its OK, in the words of the app's language now. */
  private async show(
    text: (words: UpdateTexts) => UpdateMessage,
    type: 'info' | 'error' = 'info',
  ): Promise<void> {
    const words = this.words();
    await this.ask(words, { ...text(words), type, buttons: [words.ok], defaultId: 0 });
  }

  /** A dialog titled in the same words (the same language) as its message and buttons. */
  private async ask(
    words: UpdateTexts,
    options: Omit<MessageBoxOptions, 'title' | 'noLink'>,
  ): Promise<number> {
    const full: MessageBoxOptions = { ...options, title: words.title, noLink: true };
    const window = this.options.window();
    const { response } = await (window ? dialog.showMessageBox(window, full) : dialog.showMessageBox(full));
    return response;
  }
}
