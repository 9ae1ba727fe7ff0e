import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTranslator } from '../../shared/i18n/translator.js';
import * as electron from '../../test/support/electronDouble.js';
import { ABOUT_RESPONSE, aboutButtons, aboutDetails, LICENSE, showAboutDialog } from './about.js';

const english = createTranslator('en');
const french = createTranslator('fr');

const sandbox = mkdtempSync(path.join(os.tmpdir(), 'ms-about-'));
const dataDir = path.join(sandbox, 'data');
const logsDir = path.join(sandbox, 'logs');
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

beforeEach(() => {
  electron.resetElectronDouble();
  electron.app.getVersion.mockReturnValue('9.8.7');
  vi.stubEnv('MOBILE_SESSIONS_DATA_DIR', dataDir);
  electron.app.getPath.mockImplementation((name: string) =>
    name === 'logs' ? logsDir : `/unexpected/${name}`,
  );
  electron.dialog.showMessageBox.mockResolvedValue({ response: 0, checkboxChecked: false });
  electron.shell.openPath.mockResolvedValue('');
});
afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(logsDir, { recursive: true, force: true });
});

const ABOUT_BUTTONS = aboutButtons(english);
const BUTTON = { ok: ABOUT_BUTTONS.indexOf('OK'), data: ABOUT_BUTTONS.indexOf('Open Data Folder') };
const window = { id: 1 } as unknown as BrowserWindow;

describe('aboutDetails', () => {
  const input = {
    version: '1.2.3',
    dataDir: '/home/ada/.config/Mobile Sessions',
    logsDir: '/home/ada/.config/Mobile Sessions/logs',
    electron: '41.7.1',
    chrome: '140.0.1',
    node: '22.20.0',
  };

  it('names the product and version, the license, the runtime and both folders', () => {
    const { title, message, detail } = aboutDetails(input, english);
    expect(title).toBe('About Mobile Sessions');
    expect(message).toBe('Mobile Sessions 1.2.3');
    expect(detail.split('\n')).toEqual([
      'Version 1.2.3',
      'License: MIT',
      'Electron 41.7.1 · Chromium 140.0.1 · Node.js 22.20.0',
      '',
      'Data folder (settings, audit log, undo copies):',
      '/home/ada/.config/Mobile Sessions',
      '',
      'Log folder:',
      '/home/ada/.config/Mobile Sessions/logs',
    ]);
  });

  it('speaks French, the runtimes and the folders unchanged', () => {
    const { title, message, detail } = aboutDetails(input, french);
    expect(title).toBe('À propos de Mobile Sessions');
    expect(message).toBe('Mobile Sessions 1.2.3');
    expect(detail.split('\n')).toEqual([
      'Version 1.2.3',
      'Licence\u00a0: MIT',
      'Electron 41.7.1 · Chromium 140.0.1 · Node.js 22.20.0',
      '',
      'Dossier des données (réglages, historique des modifications, copies pour annuler)\u00a0:',
      '/home/ada/.config/Mobile Sessions',
      '',
      'Dossier des journaux\u00a0:',
      '/home/ada/.config/Mobile Sessions/logs',
    ]);
    expect(aboutButtons(french)).toEqual([
      'OK',
      'Ouvrir le dossier des données',
      'Ouvrir le dossier des journaux',
    ]);
  });

  it('names its buttons in the order of its answers', () => {
    expect(ABOUT_BUTTONS[ABOUT_RESPONSE.ok]).toBe('OK');
    expect(ABOUT_BUTTONS[ABOUT_RESPONSE.openDataFolder]).toBe('Open Data Folder');
    expect(ABOUT_BUTTONS[ABOUT_RESPONSE.openLogFolder]).toBe('Open Log Folder');
  });

  it('states the license package.json declares', () => {
    const pkg = JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')) as { license: string };
    expect(LICENSE).toBe(pkg.license);
  });
});

describe('showAboutDialog', () => {
  it("shows app.getVersion(), the data folder and app.getPath('logs'), modal to the window", async () => {
    await showAboutDialog(english, window);
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(1);
    const [parent, options] = electron.dialog.showMessageBox.mock.calls[0] ?? [];
    expect(parent).toBe(window);
    expect(options).toMatchObject({
      type: 'info',
      title: 'About Mobile Sessions',
      message: 'Mobile Sessions 9.8.7',
      buttons: [...ABOUT_BUTTONS],
      defaultId: BUTTON.ok,
      cancelId: BUTTON.ok,
    });
    const { detail } = options as { detail: string };
    expect(detail).toContain('License: MIT');
    expect(detail).toContain(`\n${dataDir}\n`);
    expect(detail.endsWith(`\n${logsDir}`)).toBe(true);
    expect(electron.shell.openPath).not.toHaveBeenCalled();
  });

  it('shows an application-wide dialog without a window', async () => {
    await showAboutDialog(english);
    const [options] = electron.dialog.showMessageBox.mock.calls[0] ?? [];
    expect(options).toMatchObject({ title: 'About Mobile Sessions' });
  });

  it('creates and opens the data folder or the log folder on request', async () => {
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: BUTTON.data, checkboxChecked: false });
    await showAboutDialog(english, window);
    expect(existsSync(dataDir)).toBe(true);
    expect(electron.shell.openPath).toHaveBeenLastCalledWith(dataDir);

    electron.dialog.showMessageBox.mockResolvedValueOnce({
      response: ABOUT_BUTTONS.indexOf('Open Log Folder'),
      checkboxChecked: false,
    });
    await showAboutDialog(english, window);
    expect(existsSync(logsDir)).toBe(true);
    expect(electron.shell.openPath).toHaveBeenLastCalledWith(logsDir);
  });

  it('says so when the folder cannot be opened', async () => {
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: BUTTON.data, checkboxChecked: false });
    electron.shell.openPath.mockResolvedValueOnce('No application knows how to open it');
    await showAboutDialog(english, window);
    expect(electron.dialog.showMessageBox).toHaveBeenCalledTimes(2);
    const [parent, warning] = electron.dialog.showMessageBox.mock.calls[1] ?? [];
    expect(parent).toBe(window);
    expect(warning).toMatchObject({
      type: 'warning',
      message: 'The folder could not be opened.',
      detail: `${dataDir}\nNo application knows how to open it`,
    });
  });
});
