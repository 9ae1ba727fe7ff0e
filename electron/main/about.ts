/**
 * Help › About: the version (package.json's, through `app.getVersion()`), the license, the Electron,
 * Chromium and Node versions, and the data and log folders, with buttons that open those folders.
 * `aboutDetails` is the text, pure and testable without Electron; `showAboutDialog` shows it.
 */
import { mkdir } from 'node:fs/promises';
import { app, type BrowserWindow, dialog, type MessageBoxOptions, shell } from 'electron';
import { defaultDataDir, PRODUCT_NAME } from '../services/dataDir.js';

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

export function aboutDetails(input: AboutInput): AboutDetails {
  return {
    title: `About ${PRODUCT_NAME}`,
    message: `${PRODUCT_NAME} ${input.version}`,
    detail: [
      `Version ${input.version}`,
      `License: ${LICENSE}`,
      `Electron ${input.electron} · Chromium ${input.chrome} · Node.js ${input.node}`,
      '',
      'Data folder (settings, audit log, undo copies):',
      input.dataDir,
      '',
      'Log folder:',
      input.logsDir,
    ].join('\n'),
  };
}

/** Button order of the About dialog; the response is an index into it. */
export const ABOUT_BUTTONS = ['OK', 'Open Data Folder', 'Open Log Folder'] as const;

function showMessageBox(window: BrowserWindow | undefined, options: MessageBoxOptions) {
  return window ? dialog.showMessageBox(window, options) : dialog.showMessageBox(options);
}

/** Shows the About dialog (modal to `window` when given) and opens the folder asked for, if any. */
export async function showAboutDialog(window?: BrowserWindow): Promise<void> {
  const dataDir = defaultDataDir();
  const logsDir = app.getPath('logs');
  const { title, message, detail } = aboutDetails({
    version: app.getVersion(),
    dataDir,
    logsDir,
    electron: process.versions.electron,
    chrome: process.versions.chrome,
    node: process.versions.node,
  });
  const { response } = await showMessageBox(window, {
    type: 'info',
    title,
    message,
    detail,
    buttons: [...ABOUT_BUTTONS],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  const folder = response === 1 ? dataDir : response === 2 ? logsDir : null;
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
      message: 'The folder could not be opened.',
      detail: `${folder}\n${failure}`,
    });
  }
}
