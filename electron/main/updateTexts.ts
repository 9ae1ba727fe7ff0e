/**
 * Every word the updater shows (electron/main/updates.ts): the menu item and its dialogs, in the
 * language of the translator given (`desktop` catalog, `updates.*`). No state here: DesktopUpdates
 * asks for the app's current translator at each dialog, so a change of language applies to the next
 * one; menu.ts labels its item through the translator the menu is built with.
 */
import type { Translate } from '../../shared/i18n/translator.js';

/** The index of Restart Now in `restartButtons`: the dialog's answer is an index. */
export const RESTART_NOW = 0;

export interface UpdateMessage {
  message: string;
  detail: string;
}

export interface UpdateTexts {
  /** The menu item: the app menu on macOS, the Help menu elsewhere. */
  checkForUpdatesLabel: string;
  /** The title of every updater dialog. */
  title: string;
  /** The buttons of the dialog that offers to install a downloaded update (Restart Now, Later). */
  restartButtons: readonly [string, string];
  ok: string;
  /** A run from source or the browser mode: no feed, no installer to replace. */
  notInstalled(): UpdateMessage;
  upToDate(version: string): UpdateMessage;
  downloading(version: string): UpdateMessage;
  readyToInstall(version: string): UpdateMessage;
  checkFailed(reason: string): UpdateMessage;
  downloadFailed(reason: string): UpdateMessage;
}

/** The updater's words in `t`'s language. */
export function updateTexts(t: Translate): UpdateTexts {
  return {
    checkForUpdatesLabel: t('desktop:updates.checkForUpdates'),
    title: t('desktop:updates.title'),
    restartButtons: [t('desktop:updates.restartNow'), t('desktop:updates.later')],
    ok: t('desktop:updates.ok'),
    notInstalled: () => ({
      message: t('desktop:updates.notInstalled.message'),
      detail: t('desktop:updates.notInstalled.detail'),
    }),
    upToDate: (version) => ({
      message: t('desktop:updates.upToDate.message'),
      detail: t('desktop:updates.upToDate.detail', { version }),
    }),
    downloading: (version) => ({
      message: t('desktop:updates.downloading.message', { version }),
      detail: t('desktop:updates.downloading.detail'),
    }),
    readyToInstall: (version) => ({
      message: t('desktop:updates.readyToInstall.message', { version }),
      detail: t('desktop:updates.readyToInstall.detail'),
    }),
    checkFailed: (reason) => ({ message: t('desktop:updates.checkFailed'), detail: reason }),
    downloadFailed: (reason) => ({ message: t('desktop:updates.downloadFailed'), detail: reason }),
  };
}
