/**
 * Updates in the built main process (out/main/index.js), booted over the electron double
 * (test/support/bootMain.ts) as a packaged deb: resources with the app-update.yml and package-type
 * electron-builder writes, pointing at a real feed over HTTP (test/support/bootUpdateFeed.ts). The
 * real electron-updater downloads through the double's `net.request` (Node's http); the double's
 * `dialog.showMessageBox` answers for the admin. Needs `npm run build` first.
 *
 * electron-updater's `autoUpdater` is one per process, as in Electron; here the boots of this file
 * share it (and so one feed address, one download cache): each test publishes its own version, and
 * each boot's listeners are removed after it. Its `install` (dpkg through pkexec or sudo) is a spy.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppUpdater } from 'electron-updater';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Boot, type BootOptions, bootMain, copyBuiltApp, until } from '../../test/support/bootMain.js';
import {
  channelFile,
  startUpdateFeed,
  type UpdateFeed,
  writeUpdateResources,
} from '../../test/support/bootUpdateFeed.js';
import {
  app,
  dialog,
  autoUpdater as electronAutoUpdater,
  electronJournal,
  Menu,
} from '../../test/support/electronDouble.js';
import { makeTempDir, removeDir } from '../../test/support/fixtures.js';
import { translatorFor } from './language.js';
import { updateTexts } from './updateTexts.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
/** The double's app.getVersion(). */
const RUNNING = '9.8.7';
/** The booted app speaks English: the double's system languages are English, and nothing is chosen. */
const { checkForUpdatesLabel, checkFailed, notInstalled, restartButtons, readyToInstall, upToDate } =
  updateTexts(translatorFor('en'));

type Box = { type?: string; message: string; detail?: string; buttons?: string[] };
type MenuItem = { role?: string; label?: string; submenu?: MenuItem[]; click?: () => void };

/** The Check for Updates… item of the application menu, and the menu it is in. */
function checkForUpdatesItem(): { menu: MenuItem; item: MenuItem & { click: () => void } } {
  const menuSet = Menu.setApplicationMenu.mock.calls.at(-1)?.[0] as { template: MenuItem[] } | undefined;
  const template = menuSet?.template ?? [];
  for (const menu of template) {
    const item = menu.submenu?.find((entry) => entry.label === checkForUpdatesLabel);
    if (item?.click) return { menu, item: item as MenuItem & { click: () => void } };
  }
  throw new Error('no Check for Updates… item in the application menu');
}

describe('updates, in the built main process booted as a packaged deb', () => {
  let appDir: string;
  let shared: string;
  let feed: UpdateFeed;
  let resourcesPath: string;
  let dataDir: string;
  let boot: Boot | null = null;
  const mainFile = () => path.join(appDir, 'out/main/index.js');
  const boxes = () => dialog.showMessageBox.mock.calls.map((call) => call.at(-1) as Box);
  const messages = () => boxes().map((box) => box.message);

  /** electron-updater's autoUpdater as the booted app has it: only while a packaged boot runs (resourcesPath). */
  const updater = () =>
    (createRequire(mainFile())('electron-updater') as { autoUpdater: AppUpdater }).autoUpdater;
  /** Its install (the real one runs dpkg through pkexec or sudo) becomes a spy. */
  const spyOnInstall = () => {
    const deb = updater() as AppUpdater & { install: (silent: boolean, runAfter: boolean) => boolean };
    return vi.spyOn(deb, 'install').mockReturnValue(true);
  };
  const start = async (options: Partial<BootOptions> = {}) => {
    boot = await bootMain({ mainFile: mainFile(), dataDir, isPackaged: true, resourcesPath, ...options });
    return boot;
  };

  beforeAll(async () => {
    if (!existsSync(path.join(root, 'out/main/index.js'))) {
      throw new Error('out/main/index.js is missing: run `npm run build` first (`npm test` does).');
    }
    appDir = copyBuiltApp(root);
    shared = await makeTempDir('ms-updates-boot-');
    feed = await startUpdateFeed(path.join(shared, 'feed'));
    resourcesPath = path.join(shared, 'resources');
    writeUpdateResources(resourcesPath, feed.url);
    // electron-updater's download cache (Linux: XDG_CACHE_HOME/<updaterCacheDirName>), not ~/.cache.
    vi.stubEnv('XDG_CACHE_HOME', path.join(shared, 'cache'));
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await feed?.close();
    if (appDir) rmSync(appDir, { recursive: true, force: true });
    if (shared) await removeDir(shared);
  });
  beforeEach(async () => {
    dataDir = await makeTempDir('ms-boot-');
    feed.requests.length = 0;
  });
  afterEach(async () => {
    if (boot) {
      if (!app.hasQuit) await boot.quit();
      // The next boot's main process registers its own.
      if (app.isPackaged) updater().removeAllListeners('update-downloaded');
      boot.restore();
      boot = null;
    }
    vi.restoreAllMocks();
    await removeDir(dataDir);
  });

  it('checks the feed a few seconds after the first paint, downloads the newer version, asks; Later installs nothing, not even on quit', async () => {
    const { file } = feed.publish('10.1.0');
    const window = await (await start()).becomeReady();
    // The deb's updater: electron-updater read resources/package-type.
    expect(updater().constructor.name).toBe('DebUpdater');
    const install = spyOnInstall();
    expect(feed.requests).toEqual([]);
    window.becomeReadyToShow();
    // Scheduled, not run: the start is not held up.
    expect(feed.requests).toEqual([]);
    await until(() => dialog.showMessageBox.mock.calls.length > 0);
    expect(feed.requests).toEqual([`/${channelFile()}`, `/${file}`]);
    expect(
      electronJournal.filter((entry) => entry.startsWith('net.request')).map((e) => e.split('?')[0]),
    ).toEqual([`net.request GET ${feed.url}${channelFile()}`, `net.request GET ${feed.url}${file}`]);
    // Downloaded, in the cache the test gave it, as the feed served it.
    const cached = path.join(shared, 'cache', 'mobile-sessions-updater', 'pending', file);
    expect(readFileSync(cached)).toEqual(readFileSync(path.join(shared, 'feed', file)));
    // The question, modal to the window; the double answers Later.
    expect(dialog.showMessageBox.mock.calls[0]?.[0]).toBe(window);
    expect(boxes()).toEqual([
      expect.objectContaining({ ...readyToInstall('10.1.0'), buttons: [...restartButtons] }),
    ]);
    await (boot as Boot).quit();
    expect(install).not.toHaveBeenCalled();
  });

  it('Restart Now installs the update and quits so that it can', async () => {
    feed.publish('10.1.1');
    const window = await (await start()).becomeReady();
    // After the boot, which resets the double.
    dialog.showMessageBox.mockImplementation(async (...args: unknown[]) => ({
      response: (args.at(-1) as Box).message === readyToInstall('10.1.1').message ? 0 : 1,
      checkboxChecked: false,
    }));
    const install = spyOnInstall();
    const quitAndInstall = vi.spyOn(updater(), 'quitAndInstall');
    const beforeQuitForUpdate = vi.fn();
    electronAutoUpdater.on('before-quit-for-update', beforeQuitForUpdate);
    window.becomeReadyToShow();
    await until(() => app.hasQuit);
    expect(quitAndInstall).toHaveBeenCalledWith(true, true);
    expect(install).toHaveBeenCalledOnce();
    expect(beforeQuitForUpdate).toHaveBeenCalledOnce();
  });

  it('Linux: Check for Updates… in the Help menu reports up to date, and a failing feed, in dialogs', async () => {
    feed.publish(RUNNING);
    // No first paint: the start-up check does not run, only the menu's.
    await (await start()).becomeReady();
    const { menu, item } = checkForUpdatesItem();
    expect(menu.role).toBe('help');
    item.click();
    await until(() => messages().length === 1);
    expect(boxes()[0]).toMatchObject({ type: 'info', ...upToDate(RUNNING) });

    feed.unpublish();
    item.click();
    await until(() => messages().length === 2);
    expect(boxes()[1]).toMatchObject({ type: 'error', message: checkFailed('').message });
    expect(boxes()[1]?.detail).toContain(channelFile());
  });

  it('macOS, not installed: the item is in the app menu and says updates come with the installed app', async () => {
    await (await start({ platform: 'darwin', isPackaged: false, resourcesPath: undefined })).becomeReady();
    const { menu, item } = checkForUpdatesItem();
    expect(menu.role).toBe('appMenu');
    item.click();
    await until(() => messages().length === 1);
    expect(boxes()[0]).toMatchObject(notInstalled());
    expect(feed.requests).toEqual([]);
  });
});
