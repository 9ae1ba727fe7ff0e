/**
 * Help › About: the version (package.json's, through `app.getVersion()`), the license, the Electron,
 * Chromium and Node versions, and the data and log folders, with buttons that open those folders.
 * `aboutDetails` is the text, pure and testable without Electron; `showAboutDialog` shows it.
 */
import { mkdir } from 'node:fs/promises';
import { app, type BrowserWindow, dialog, type MessageBoxOptions, shell } from 'electron';
import type { Translate } from '../../shared/i18n/translator.js';
import { defaultDataDir } from '../services/dataDir.js';

/** package.json "license" (about.test.ts keeps the two in step). */
export const LICENSE = 'MIT';

export interface AboutInput {
  version: string;
  dataDir: string;
  logsDir: string;
  electron: string;
  chrome: string;
  node: string;
}

export interface AboutDetails {
  title: string;
  message: string;
  detail: string;
}

export function aboutDetails(input: AboutInput, t: Translate): AboutDetails {
  return {
    title: t('desktop:about.title'),
    message: t('desktop:about.message', { version: input.version }),
    // One line per fact; the runtimes' line is names and numbers only, the same in every language.
    detail: [
      t('desktop:about.version', { version: input.version }),
      t('desktop:about.license', { license: LICENSE }),
      `Electron ${input.electron} · Chromium ${input.chrome} · Node.js ${input.node}`,
      '',
      t('desktop:about.dataFolder'),
      input.dataDir,
      '',
      t('desktop:about.logFolder'),
      input.logsDir,
    ].join('\n'),
  };
}

/** The About dialog's answers: an index into `aboutButtons`. */
export const ABOUT_RESPONSE = { ok: 0, openDataFolder: 1, openLogFolder: 2 } as const;

export const aboutButtons = (t: Translate): string[] => [
  t('desktop:about.ok'),
  t('desktop:about.openDataFolder'),
  t('desktop:about.openLogFolder'),
];

function showMessageBox(window: BrowserWindow | undefined, options: MessageBoxOptions) {
  return window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
}

/** Shows the About dialog (modal to `window` when given) and opens the folder asked for, if any. */
export async function showAboutDialog(t: Translate, window?: BrowserWindow): Promise<void> {
  const dataDir = defaultDataDir();
  const logsDir = app.getPath('logs');
  const { title, message, detail } = aboutDetails(
    {
      version: app.getVersion(),
      dataDir,
      logsDir,
      electron: process.versions.electron,
      chrome: process.versions.chrome,
      node: process.versions.node,
    },
    t,
  );
  const { response } = await showMessageBox(window, {
    type: 'info',
    title,
    message,
    detail,
    buttons: aboutButtons(t),
    defaultId: ABOUT_RESPONSE.ok,
    cancelId: ABOUT_RESPONSE.ok,
    noLink: true,
  });
  const folder =
    response === ABOUT_RESPONSE.openDataFolder
      ? dataDir
      : response === ABOUT_RESPONSE.openLogFolder
        ? logsDir
        : null;
  if (folder === null) return;
  let failure: string;
  try {
    // Neither folder exists before the app has written to it.
    await mkdir(folder, { recursive: true });
    failure = await shell.openPath(folder);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  if (failure) {
    await showMessageBox(window, {
      type: 'warning',
      title,
      message: t('desktop:about.openFailed'),
      detail: `${folder}\n${failure}`,
    });
  }
}
