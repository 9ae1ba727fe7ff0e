/**
 * The update policy (updates.ts) over the real electron-updater (its DebUpdater, as the deb gets it)
 * and a real feed over HTTP (test/support/bootUpdateFeed.ts). Electron's part is the double:
 * `net.request` on Node's http for the downloads, `dialog.showMessageBox` answering for the admin.
 * The install itself (dpkg through pkexec/sudo) never runs: `install` is replaced by a spy.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import updater from 'electron-updater';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { primeElectronRequire, until } from '../../test/support/bootMain.js';
import {
  channelFile,
  startUpdateFeed,
  type UpdateFeed,
  writeUpdateResources,
} from '../../test/support/bootUpdateFeed.js';
import { app, dialog, resetElectronDouble } from '../../test/support/electronDouble.js';
import { makeTempDir, removeDir } from '../../test/support/fixtures.js';
import { translatorFor } from './language.js';
import { DesktopUpdates } from './updates.js';
import { updateTexts } from './updateTexts.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
// electron-updater is Node's to load (not Vitest's): its own `require('electron')` gets the double too.
primeElectronRequire(path.join(root, 'package.json'));

/** The double's app reports 9.8.7 (app.getVersion). */
const RUNNING = '9.8.7';

const english = translatorFor('en');
const french = translatorFor('fr');
const { checkFailed, downloadFailed, downloading, notInstalled, readyToInstall, upToDate, ...words } =
  updateTexts(english);

type Answer = (message: string) => number;
type Box = { type?: string; title?: string; message: string; detail?: string; buttons?: string[] };

describe('DesktopUpdates', () => {
  let dir: string;
  let feed: UpdateFeed;
  let deb: InstanceType<typeof updater.DebUpdater>;
  let install: ReturnType<typeof vi.fn>;
  let quitAndInstall: ReturnType<typeof vi.spyOn>;
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  /** The dialogs shown, in order (the window-less form: no window here). */
  const boxes = () => dialog.showMessageBox.mock.calls.map((call) => call.at(-1) as Box);
  const messages = () => boxes().map((box) => box.message);

  /**
   * electron-updater emits `update-downloaded` (the offer is shown) before its download promise has
   * settled (it still copies the block map); a check in between finds that download "already in
   * progress" and emits nothing. A second check in a test waits for the first download to settle.
   */
  const downloadSettled = () =>
    until(() => (deb as unknown as { downloadPromise: unknown }).downloadPromise == null);

  const answering = (answer: Answer) => {
    dialog.showMessageBox.mockImplementation(async (...args: unknown[]) => ({
      response: answer((args.at(-1) as Box).message),
      checkboxChecked: false,
    }));
  };
  const updates = (packaged = true) =>
    new DesktopUpdates({
      packaged,
      version: RUNNING,
      updater: () => deb,
      window: () => null,
      log,
      translate: () => english,
      startupDelayMs: 0,
    });

  beforeEach(async () => {
    resetElectronDouble();
    for (const spy of Object.values(log)) spy.mockReset();
    dir = await makeTempDir('ms-updates-');
    feed = await startUpdateFeed(path.join(dir, 'feed'));
    app.isPackaged = true;
    app.paths.set('userData', path.join(dir, 'userData'));
    writeUpdateResources(path.join(dir, 'resources'), feed.url);
    Object.defineProperty(process, 'resourcesPath', {
      value: path.join(dir, 'resources'),
      configurable: true,
    });
    // electron-updater's download cache (Linux: XDG_CACHE_HOME), in the test's folder.
    vi.stubEnv('XDG_CACHE_HOME', path.join(dir, 'cache'));
    deb = new updater.DebUpdater();
    install = vi.fn(() => true);
    // The real install would run dpkg through pkexec or sudo: never here.
    (deb as unknown as { install: typeof install }).install = install;
    quitAndInstall = vi.spyOn(deb, 'quitAndInstall').mockImplementation(() => {});
    answering(() => 1);
  });
  afterEach(async () => {
    vi.unstubAllEnvs();
    Reflect.deleteProperty(process, 'resourcesPath');
    await feed.close();
    await removeDir(dir);
  });

  it('not installed: checks nothing at start, and the menu says updates come with the installed app', async () => {
    const loadUpdater = vi.fn(() => deb);
    vi.useFakeTimers();
    try {
      const local = new DesktopUpdates({
        packaged: false,
        version: RUNNING,
        updater: loadUpdater,
        window: () => null,
        log,
        translate: () => english,
      });
      local.checkSoonAfterStart();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
    await updates(false).checkFromMenu();
    expect(messages()).toEqual([notInstalled().message]);
    expect(boxes()[0]).toMatchObject({ title: words.title, detail: notInstalled().detail });
    expect(loadUpdater).not.toHaveBeenCalled();
    expect(feed.requests).toEqual([]);
  });

  it('at start: checks the feed after the delay, downloads the newer version, asks, and Later installs nothing, not even on quit', async () => {
    const { file } = feed.publish('10.0.0');
    updates().checkSoonAfterStart();
    // Scheduled, not run: the start goes on.
    expect(feed.requests).toEqual([]);
    await until(() => dialog.showMessageBox.mock.calls.length > 0);
    expect(feed.requests).toEqual([`/${channelFile()}`, `/${file}`]);
    expect(boxes()[0]).toMatchObject({
      ...readyToInstall('10.0.0'),
      buttons: [...words.restartButtons],
      type: 'question',
    });
    // Downloaded into electron-updater's cache, as the feed served it.
    const cached = path.join(dir, 'cache', 'mobile-sessions-updater', 'pending', file);
    expect(readFileSync(cached, 'utf8')).toBe(readFileSync(path.join(dir, 'feed', file), 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(quitAndInstall).not.toHaveBeenCalled();
    // Quitting does not install either (autoInstallOnAppQuit is off).
    app.quit();
    expect(app.hasQuit).toBe(true);
    expect(install).not.toHaveBeenCalled();
  });

  it('Restart Now installs: quitAndInstall, silently, and the app runs again', async () => {
    feed.publish('10.0.1');
    answering((message) => (message === readyToInstall('10.0.1').message ? 0 : 1));
    updates().checkSoonAfterStart();
    await until(() => quitAndInstall.mock.calls.length > 0);
    expect(quitAndInstall).toHaveBeenCalledWith(true, true);
  });

  it('at start, a failing feed shows nothing and is logged', async () => {
    // Nothing published: the channel file answers 404.
    updates().checkSoonAfterStart();
    await until(() => log.warn.mock.calls.length > 0);
    expect(String(log.warn.mock.calls[0]?.[0])).toMatch(/update check at start failed: .*latest-linux/);
    expect(log.error).toHaveBeenCalled();
    expect(dialog.showMessageBox).not.toHaveBeenCalled();
  });

  it('from the menu: up to date says so', async () => {
    feed.publish(RUNNING);
    await updates().checkFromMenu();
    expect(messages()).toEqual([upToDate(RUNNING).message]);
    expect(boxes()[0]?.type).toBe('info');
  });

  it('from the menu: a failing feed is reported in a dialog', async () => {
    await updates().checkFromMenu();
    expect(boxes()).toHaveLength(1);
    expect(boxes()[0]).toMatchObject({
      type: 'error',
      message: checkFailed('').message,
      title: words.title,
    });
    expect(boxes()[0]?.detail).toMatch(/latest-linux/);
    expect(boxes()[0]?.detail).not.toMatch(/\n/);
  });

  it('from the menu: a newer version is downloading, then offered once; a second check offers it again', async () => {
    feed.publish('10.0.2');
    const desktop = updates();
    await desktop.checkFromMenu();
    await until(() => messages().length === 2);
    expect(messages()).toEqual([downloading('10.0.2').message, readyToInstall('10.0.2').message]);
    // Downloaded already: no "downloading", the offer again.
    await downloadSettled();
    await desktop.checkFromMenu();
    await until(() => messages().length === 3);
    expect(messages()[2]).toBe(readyToInstall('10.0.2').message);
    expect(quitAndInstall).not.toHaveBeenCalled();
    expect(existsSync(path.join(dir, 'cache', 'mobile-sessions-updater'))).toBe(true);
  });

  it('one offer at a time: found again while the admin has not answered, it is not asked twice', async () => {
    feed.publish('10.0.3');
    let answerLater: (value: { response: number; checkboxChecked: boolean }) => void = () => {};
    dialog.showMessageBox.mockImplementation(
      () =>
        new Promise((resolve) => (answerLater = resolve)) as Promise<{
          response: number;
          checkboxChecked: boolean;
        }>,
    );
    let downloaded = 0;
    deb.on('update-downloaded', () => downloaded++);
    const desktop = updates();
    desktop.checkSoonAfterStart();
    await until(() => messages().length === 1);
    // The menu's check finds the same version, downloaded already: electron-updater reports it again.
    await downloadSettled();
    await desktop.checkFromMenu();
    await until(() => downloaded === 2);
    expect(messages()).toEqual([readyToInstall('10.0.3').message]);
    answerLater({ response: 1, checkboxChecked: false });
  });

  it('from the menu: a download that fails its checksum is reported in a dialog, and nothing is offered', async () => {
    feed.publish('10.0.4', Buffer.from('the real installer'), Buffer.from('a damaged upload'));
    await updates().checkFromMenu();
    await until(() => messages().length === 2);
    expect(new Set(messages())).toEqual(new Set([downloading('10.0.4').message, downloadFailed('').message]));
    expect(boxes().find((box) => box.type === 'error')?.detail).toMatch(/sha512 checksum mismatch/);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(messages()).not.toContain(readyToInstall('10.0.4').message);
  });

  it('speaks the app’s language at each dialog: after a change to French, the next dialog is French', async () => {
    feed.publish(RUNNING);
    let t = english;
    const desktop = new DesktopUpdates({
      packaged: true,
      version: RUNNING,
      updater: () => deb,
      window: () => null,
      log,
      translate: () => t,
      startupDelayMs: 0,
    });
    await desktop.checkFromMenu();
    // The admin picks French (View › Language): the same DesktopUpdates, the next dialog in French.
    t = french;
    await desktop.checkFromMenu();
    const inFrench = updateTexts(french);
    expect(boxes()).toEqual([
      expect.objectContaining({ ...upToDate(RUNNING), title: 'Software Update', buttons: ['OK'] }),
      expect.objectContaining({
        ...inFrench.upToDate(RUNNING),
        title: 'Mise à jour',
        buttons: [inFrench.ok],
      }),
    ]);
    expect(inFrench.upToDate(RUNNING).message).not.toBe(upToDate(RUNNING).message);
  });
});
