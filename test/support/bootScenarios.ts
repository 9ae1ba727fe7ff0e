/**
 * The boot test, for any built app folder (package.json, out/main, out/preload, out/renderer): the
 * project's build (electron/main/boot.test.ts) and the packed app extracted from app.asar with its
 * own node_modules (electron/packaging.test.ts). The main process is the built file, booted by
 * test/support/bootMain.ts over the electron double; everything else is real: the engine, the
 * files, the watcher, the demo's 4D Server double over HTTP.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppState, PushState } from '../../shared/contract.js';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.js';
import { IPC } from '../../shared/ipc.js';
import { type Boot, type BootOptions, bootMain, until } from './bootMain.js';
import {
  app,
  contextBridge,
  electronJournal,
  eventFrom,
  FakeBrowserWindow,
  FakeTray,
  fakeEvent,
  invokeHandler,
  ipcMain,
  ipcRenderer,
  Menu,
  Notification,
  protocol,
  safeStorage,
  trustedEvent,
  webUtils,
} from './electronDouble.js';
import { makeTempDir, removeDir, writeSession } from './fixtures.js';
import { preloadInvokeChannels } from './sandboxedPreload.js';

/** The content types a browser needs for the renderer's files, by extension. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** Windows notifications need this, and electron-builder.yml's appId is it (packaging.test.ts). */
const APP_ID = 'com.mobilesessions.app';

/** `a` was recorded before `b` (both were). */
function expectBefore(a: string, b: string): void {
  const [ia, ib] = [electronJournal.indexOf(a), electronJournal.indexOf(b)];
  expect(ia, `${a} recorded`).toBeGreaterThanOrEqual(0);
  expect(ib, `${b} recorded`).toBeGreaterThanOrEqual(0);
  expect(ia, `${a} before ${b}`).toBeLessThan(ib);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** The collector, to show that a notification nobody holds is gone (Electron holds it weakly). */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

type MenuItem = { role?: string; label?: string; submenu?: MenuItem[] };
const applicationMenu = () => {
  const menu = Menu.setApplicationMenu.mock.calls.at(-1)?.[0] as { template: MenuItem[] } | undefined;
  if (!menu) throw new Error('no application menu was set');
  return menu.template;
};

export function describeBoot(title: string, appDir: () => string): void {
  // A boot waits on real files, watchers and timers (a quit waits for the folder to close): on a
  // machine busy with the rest of the suite that can take well over Vitest's 30 s; no result depends on it.
  describe(title, { timeout: 120_000 }, () => {
    let dataDir: string;
    let boot: Boot | null = null;
    let preloadChannels: string[];
    const mainFile = () => path.join(appDir(), 'out/main/index.js');
    const start = async (options: Partial<BootOptions> = {}) => {
      boot = await bootMain({ mainFile: mainFile(), dataDir, ...options });
      return boot;
    };
    const stateOf = async (): Promise<AppState> => (boot as Boot).state();
    /** The folder is open and the open is over: it heads the recent list (written after the state changed). */
    const untilOpened = (folder: string) =>
      until(
        async () =>
          (await stateOf()).root === folder &&
          ((await (boot as Boot).request('recentRoots')).result as string[])[0] === folder,
      );

    beforeAll(async () => {
      if (!existsSync(mainFile())) throw new Error(`${mainFile()} is missing: run \`npm run build\` first.`);
      preloadChannels = await preloadInvokeChannels(path.join(appDir(), 'out/preload/index.cjs'), {
        contextBridge,
        ipcRenderer,
        webUtils,
      });
    });
    beforeEach(async () => {
      dataDir = await makeTempDir('ms-boot-');
    });
    afterEach(async () => {
      // Quit as the app quits (the folder, its watcher and any 4D Server double closed), then clean up.
      if (boot) {
        if (!app.hasQuit) await boot.quit();
        boot.restore();
        boot = null;
      }
      await removeDir(dataDir);
    });

    it('before ready: registers app://, moves the profile and the lock to the data folder, takes the lock', async () => {
      await start();
      expect(electronJournal).toContain('protocol.registerSchemesAsPrivileged app');
      expect(app.getPath('userData')).toBe(dataDir);
      expectBefore('app.setPath userData', 'app.requestSingleInstanceLock');
      expect(app.instanceData).toEqual({ args: [], cwd: process.cwd() });
      for (const after of ['new BrowserWindow', 'protocol.handle app', 'Menu.setApplicationMenu']) {
        expect(electronJournal, after).not.toContain(after);
      }
      // Linux: Electron has no setAppUserModelId there; calling it would have thrown.
      expect(app.setAppUserModelId).toBeUndefined();
      // Main answers exactly the preload's channels. Checked in the first boot of the file on purpose:
      // a dependency that opens a channel when it loads (electron-log does) loads once per process.
      expect(preloadChannels.length).toBeGreaterThan(0);
      expect(ipcMain.channels()).toEqual(preloadChannels);
    });

    it('after ready: the protocol handler, the menu, then the window loading app://renderer with the preload', async () => {
      const window = await (await start()).becomeReady();
      expectBefore('protocol.registerSchemesAsPrivileged app', 'app ready');
      expectBefore('app ready', 'protocol.handle app');
      expectBefore('protocol.handle app', 'Menu.setApplicationMenu');
      expectBefore('Menu.setApplicationMenu', 'new BrowserWindow');
      expectBefore('new BrowserWindow', 'window.loadURL app://renderer/index.html');
      const preferences = window.options.webPreferences as Record<string, unknown>;
      expect(preferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
      expect(preferences.preload).toBe(path.join(appDir(), 'out/preload/index.cjs'));
      expect(existsSync(preferences.preload as string)).toBe(true);
      // Hidden until its first paint.
      expect(window.options.show).toBe(false);
      expect(electronJournal.filter((entry) => entry.startsWith('window.show'))).toEqual([]);
      window.becomeReadyToShow();
      expect(electronJournal.at(-1)).toBe('window.show');
      expect((await stateOf()).root).toBeNull();
      // electron-log's renderer side stays off: no preload of its own in the app's sessions.
      expect(electronJournal.filter((entry) => entry.startsWith('session.'))).toEqual([]);
      expect(app.listenerCount('session-created')).toBe(0);
    });

    it('does not load the trash package, which the desktop app does not use (shell.trashItem does)', () => {
      const main = readFileSync(mainFile(), 'utf8');
      // No static import of it (`import x from "trash"`, `import "trash"`): only the engine's lazy one.
      expect(main).not.toMatch(/^import\b[^;(]*["']trash["']/m);
      expect(main).toMatch(/\bimport\(["']trash["']\)/);
    });

    it('serves every file of the built renderer with its type and the CSP header, and nothing else', async () => {
      await (await start()).becomeReady();
      const handler = protocol.handlers.get('app');
      if (!handler) throw new Error('no app:// handler');
      const rendererDir = path.join(appDir(), 'out/renderer');
      const files = filesUnder(rendererDir);
      expect(files).toContain('index.html');
      for (const file of files) {
        const response = await handler({ url: `app://renderer/${file}` });
        expect(response.status, file).toBe(200);
        expect(response.headers.get('content-type'), file).toMatch(
          new RegExp(`^${CONTENT_TYPES[path.extname(file)] ?? 'none'}`),
        );
        expect(response.headers.get('content-security-policy'), file).toBe(CONTENT_SECURITY_POLICY);
        expect(
          Buffer.from(await response.arrayBuffer()).equals(readFileSync(path.join(rendererDir, file))),
          file,
        ).toBe(true);
      }
      // out/main/index.js and package.json exist next to the renderer: none of these may reach them.
      for (const url of [
        'app://renderer/../main/index.js',
        'app://renderer/%2e%2e/main/index.js',
        'app://renderer/..%2fmain%2findex.js',
        'app://renderer/..%2f..%2fpackage.json',
        'app://renderer/..%5c..%5cpackage.json',
        'app://renderer/%00index.html',
        'app://renderer/assets',
        'app://renderer/missing.js',
        'app://main/index.js',
        'app://other/index.html',
      ]) {
        expect((await handler({ url })).status, url).toBe(404);
      }
    });

    it("answers the preload's channels only for the window's main frame at app://renderer", async () => {
      const boot = await start();
      const window = await boot.becomeReady();
      expect(ipcMain.channels()).toEqual(preloadChannels);
      expect((await boot.request('getState')).ok).toBe(true);

      const other = new FakeBrowserWindow();
      const iframe = window.webContents.mainFrame.addChild('app://renderer/index.html');
      for (const [name, event] of [
        ['another window', eventFrom(other.webContents, other.webContents.mainFrame)],
        ['an iframe of the window', eventFrom(window.webContents, iframe)],
      ] as const) {
        for (const channel of preloadChannels) {
          expect(await invokeHandler(channel, event, 'getState', {}), `${channel} from ${name}`).toBeNull();
        }
      }
      other.destroy();
      window.webContents.mainFrame.url = 'https://evil.example/';
      expect(await invokeHandler(IPC.request, trustedEvent(window), 'getState', {})).toBeNull();
      // A frame disposed while its message was on the way: refused, without an exception.
      const event = trustedEvent(window);
      window.webContents.mainFrame.destroy();
      await expect(invokeHandler(IPC.request, event, 'getState', {})).resolves.toBeNull();
    });

    it('lets the app page write to the clipboard (Copy), and grants nothing else', async () => {
      const contents = (await (await start()).becomeReady()).webContents;
      expect(await contents.requestPermission('clipboard-sanitized-write')).toBe(true);
      expect(contents.checkPermission('clipboard-sanitized-write')).toBe(true);
      for (const permission of ['clipboard-read', 'notifications', 'media', 'geolocation', 'openExternal']) {
        expect(await contents.requestPermission(permission), permission).toBe(false);
        expect(contents.checkPermission(permission), permission).toBe(false);
      }
      const iframe = contents.mainFrame.addChild('app://renderer/index.html');
      expect(await contents.requestPermission('clipboard-sanitized-write', iframe)).toBe(false);
      expect(contents.checkPermission('clipboard-sanitized-write', iframe)).toBe(false);
      contents.mainFrame.url = 'https://evil.example/';
      expect(await contents.requestPermission('clipboard-sanitized-write')).toBe(false);
    });

    for (const keyring of ['keychain', 'none', 'basic_text'] as const) {
      it(`--demo opens the demo and its 4D Server double (keyring: ${keyring}); quitting closes both`, async () => {
        const boot = await start({ args: ['--demo'], keyring });
        await boot.becomeReady();
        const pushState = async () => (await boot.request('getPushState')).result as PushState | undefined;
        await until(async () => (await stateOf()).demo && Boolean((await pushState())?.settings));
        const push = (await pushState()) as PushState;
        expect(push.settings).toMatchObject({ auth: 'bearer', hasSecret: true });
        const url = push.settings?.url as string;
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
        // The double reached with the secret (the demo folder holds files the server drops: with errors).
        const pushed = (await boot.request('push')).result as { outcome: string; failure: unknown };
        expect(pushed).toMatchObject({ outcome: 'reloaded-with-errors', failure: null });
        // The demo's secret never went to the OS keychain, nor to the disk.
        expect(safeStorage.encryptString).not.toHaveBeenCalled();
        expect(existsSync(path.join(dataDir, 'secrets.json'))).toBe(false);

        // Cmd+Q: the folder is closed before the app quits.
        await boot.quit();
        expect(existsSync(path.join(dataDir, 'index-cache'))).toBe(true);
        await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
      });
    }

    it('a folder with --double: a 4D Server double to push to, its secret in memory, closed on quit', async () => {
      const root = path.join(dataDir, 'MobileApps');
      await writeSession(root, { status: 'pending' });
      const boot = await start({ args: [root, '--double'], keyring: 'basic_text' });
      await boot.becomeReady();
      const pushState = async () => (await boot.request('getPushState')).result as PushState | undefined;
      await untilOpened(root);
      await until(async () => Boolean((await pushState())?.settings));
      const url = (await pushState())?.settings?.url as string;
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect((await boot.request('push')).result).toMatchObject({ outcome: 'reloaded', failure: null });
      expect(safeStorage.encryptString).not.toHaveBeenCalled();
      await boot.quit();
      await expect(fetch(url, { method: 'POST' })).rejects.toThrow();
    });

    it('a second instance hands its request over and quits; the first opens it against that working directory', async () => {
      const second = await start({ singleInstanceLock: false, args: ['MobileApps', '--demo'] });
      expect(app.hasQuit).toBe(true);
      expect(app.instanceData).toEqual({ args: ['MobileApps', '--demo'], cwd: process.cwd() });
      second.restore();
      boot = null;

      const where = path.join(dataDir, 'srv');
      await writeSession(path.join(where, 'MobileApps'));
      const first = await start();
      await first.becomeReady();
      const appPath = path.resolve(mainFile(), '../../..');
      // Chromium's argv: its switches first, its own added. The request sent along wins.
      const chromiumArgv = ['/usr/bin/electron', '--allow-file-access-from-files', appPath, 'Other'];
      app.emit('second-instance', fakeEvent(), chromiumArgv, where, { args: ['MobileApps'], cwd: where });
      await untilOpened(path.join(where, 'MobileApps'));
      // An instance that sent nothing: its argv, against its working directory (never the first's).
      await writeSession(path.join(where, 'Other'));
      app.emit('second-instance', fakeEvent(), chromiumArgv, where, undefined);
      await untilOpened(path.join(where, 'Other'));
    });

    it('macOS: a folder dropped on the Dock icon opens, one sent before ready once the window is there; opened folders go to the recent documents', async () => {
      const last = path.join(dataDir, 'Last');
      const dropped = path.join(dataDir, 'Dropped');
      const later = path.join(dataDir, 'Later');
      for (const folder of [last, dropped, later]) await writeSession(folder);
      const earlier = await start({ args: [last], platform: 'darwin' });
      await earlier.becomeReady();
      await untilOpened(last);
      await earlier.quit();
      earlier.restore();

      // A launch by a drop: macOS sends open-file before ready, when there is no window to open it in.
      const boot = await start({ platform: 'darwin' });
      const launchDrop = fakeEvent();
      app.emit('open-file', launchDrop, dropped);
      expect(launchDrop.defaultPrevented, 'macOS told the drop was taken').toBe(true);
      await boot.becomeReady();
      await untilOpened(dropped);
      // The dropped folder, not the last one reopened over it.
      expect(app.addRecentDocument.mock.calls).toEqual([[dropped]]);
      expectBefore('new BrowserWindow', `app.addRecentDocument ${dropped}`);

      // With the app running: at once.
      const drop = fakeEvent();
      app.emit('open-file', drop, later);
      await untilOpened(later);
      expect(drop.defaultPrevented).toBe(true);
      expect(app.addRecentDocument.mock.calls).toEqual([[dropped], [later]]);
    });

    it('Linux has no recent documents (addRecentDocument is for the Dock and the jump list)', async () => {
      const root = path.join(dataDir, 'MobileApps');
      await writeSession(root);
      await (await start({ args: [root] })).becomeReady();
      await untilOpened(root);
      expect(app.addRecentDocument).not.toHaveBeenCalled();
    });

    it('macOS: the menu-bar icon counts the pending devices with the window closed, and opens, refreshes, sets Open at Login, quits', async () => {
      const root = path.join(dataDir, 'MobileApps');
      await writeSession(root, { status: 'pending' });
      const boot = await start({ args: [root], platform: 'darwin' });
      await boot.becomeReady();
      expectBefore('new BrowserWindow', 'new Tray');
      const [tray, ...others] = [...FakeTray.all];
      if (!tray || others.length) throw new Error(`${FakeTray.all.size} tray icons, not one`);
      expect(tray.image.getScaleFactors()).toEqual([1, 2]);
      await until(() => tray.title === '1');
      expect(tray.toolTip).toBe('Mobile Sessions: a device is waiting for approval');
      const menu = () =>
        (tray.contextMenu?.template ?? []) as {
          label?: string;
          checked?: boolean;
          click?: (item: unknown) => void;
        }[];
      const item = (label: string) => {
        const found = menu().find((entry) => entry.label === label);
        if (!found?.click) throw new Error(`no ${label} in the tray menu`);
        return found as { checked?: boolean; click: (item: unknown) => void };
      };

      item('Open at Login').click({ checked: true });
      expect(electronJournal).toContain('app.setLoginItemSettings openAtLogin=true');
      expect(item('Open at Login').checked).toBe(true);

      // The window closed: the app keeps running, and a new device still shows.
      boot.window().close();
      expect(app.hasQuit).toBe(false);
      await writeSession(root, { status: 'pending' });
      await until(() => tray.title === '2');
      expect(menu()[0]?.label).toBe('2 devices are waiting for approval');
      await until(() => app.setBadgeCount.mock.calls.some(([count]) => count === 2));

      item('Refresh').click({});
      expect(FakeBrowserWindow.all.size).toBe(0);
      item('Open Mobile Sessions').click({});
      expect(FakeBrowserWindow.all.size).toBe(1);
      // The folder closed: nothing is waiting any more.
      expect((await boot.request('closeRoot')).ok).toBe(true);
      await until(() => tray.title === '');
      item('Quit Mobile Sessions').click({});
      await until(() => app.hasQuit);
    });

    it('Linux: a tray icon without Open at Login; closing the window quits (a tray may not show there)', async () => {
      const boot = await start();
      await boot.becomeReady();
      const [tray] = [...FakeTray.all];
      if (!tray) throw new Error('no tray icon');
      const labels = ((tray.contextMenu?.template ?? []) as { label?: string }[]).map((entry) => entry.label);
      expect(labels).toContain('Quit Mobile Sessions');
      expect(labels).not.toContain('Open at Login');
      expect(app.getLoginItemSettings).not.toHaveBeenCalled();
      boot.window().close();
      await until(() => app.hasQuit);
    });

    it('speaks the system’s French; a choice from the window or the menu re-words the menu and the tray, tells the window, and is kept', async () => {
      type Entry = MenuItem & { click?: (item: unknown) => void; checked?: boolean };
      const labels = () => applicationMenu().map((entry) => entry.label);
      const languageMenu = () =>
        (applicationMenu()[2]?.submenu?.find((entry) => entry.submenu && entry.label?.startsWith('Lang'))
          ?.submenu ?? []) as Entry[];
      const boot = await start({ systemLanguages: ['fr-FR', 'en-US'] });
      const window = await boot.becomeReady();
      expect(labels()).toEqual(['Fichier', 'Édition', 'Affichage', 'Session', 'Aide']);
      expect(applicationMenu()[4]?.submenu?.map((entry) => entry.label)).toContain(
        'Rechercher les mises à jour…',
      );
      expect(languageMenu().find((entry) => entry.checked)?.label).toBe('Langue du système');
      const [tray] = [...FakeTray.all];
      if (!tray) throw new Error('no tray icon');
      expect(tray.toolTip).toBe('Mobile Sessions\u00a0: aucun appareil en attente d’approbation');
      expect(await invokeHandler(IPC.language, trustedEvent(window))).toEqual({
        choice: 'system',
        language: 'fr',
      });

      // The window's own setting.
      expect(await invokeHandler(IPC.rendererReady, trustedEvent(window))).toBe(true);
      expect(await invokeHandler(IPC.setLanguage, trustedEvent(window), 'en')).toEqual({
        choice: 'en',
        language: 'en',
      });
      await until(() => labels()[0] === 'File');
      expect(labels()).toEqual(['File', 'Edit', 'View', 'Session', 'Help']);
      expect(tray.toolTip).toBe('Mobile Sessions: no device waiting for approval');
      expect(window.webContents.sent).toContainEqual({
        channel: IPC.languageChanged,
        args: [{ choice: 'en', language: 'en' }],
      });

      // View › Language › Français, from the native menu.
      languageMenu()
        .find((entry) => entry.label === 'Français')
        ?.click?.({});
      await until(() => labels()[0] === 'Fichier');
      expect(window.webContents.sent).toContainEqual({
        channel: IPC.languageChanged,
        args: [{ choice: 'fr', language: 'fr' }],
      });
      await until(() => existsSync(path.join(dataDir, 'language.json')));
      await until(() => readFileSync(path.join(dataDir, 'language.json'), 'utf8').includes('"fr"'));

      // The next start, on a system in English: the admin's choice holds.
      await boot.quit();
      boot.restore();
      const again = await start({ systemLanguages: ['en-US'] });
      const next = await again.becomeReady();
      expect(labels()).toEqual(['Fichier', 'Édition', 'Affichage', 'Session', 'Aide']);
      expect(await invokeHandler(IPC.language, trustedEvent(next))).toEqual({ choice: 'fr', language: 'fr' });
    });

    it('makes no window for `activate` before ready, and one after', async () => {
      const boot = await start();
      expect(() => app.emit('activate', fakeEvent(), false)).not.toThrow();
      expect(FakeBrowserWindow.all.size).toBe(0);
      const window = await boot.becomeReady();
      app.emit('activate', fakeEvent(), true);
      expect(boot.window()).toBe(window);
    });

    it('shows a maximized window only at its first paint, and drops a place that is on no display', async () => {
      writeFileSync(
        path.join(dataDir, 'window-state.json'),
        JSON.stringify({ x: 5000, y: 5000, width: 1000, height: 700, maximized: true }),
      );
      const window = await (await start()).becomeReady();
      expect(window.options).toMatchObject({ width: 1000, height: 700 });
      expect(window.options).not.toHaveProperty('x');
      expect(window.isVisible()).toBe(false);
      expect(electronJournal.filter((entry) => /^window\.(show|maximize)/.test(entry))).toEqual([]);
      window.becomeReadyToShow();
      expect(window.isMaximized()).toBe(true);
      expect(window.isVisible()).toBe(true);
    });

    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      it(`${platform}: the user model id, the menus, the badge and notifications that stay clickable`, async () => {
        const root = path.join(dataDir, 'MobileApps');
        await writeSession(root, { status: 'accepted' });
        const boot = await start({ args: [root], platform });
        const window = await boot.becomeReady();
        if (platform === 'win32') {
          expectBefore(`app.setAppUserModelId ${APP_ID}`, 'app ready');
        } else {
          expect(electronJournal.some((entry) => entry.startsWith('app.setAppUserModelId'))).toBe(false);
        }
        const menu = applicationMenu();
        if (platform === 'darwin') {
          expect(menu[0]?.role).toBe('appMenu');
          expect(menu.some((item) => item.role === 'windowMenu')).toBe(true);
        } else {
          expect(menu.some((item) => item.role === 'appMenu')).toBe(false);
          const help = menu.find((item) => item.role === 'help');
          expect(help?.submenu?.some((item) => item.label === 'About Mobile Sessions')).toBe(true);
        }

        await untilOpened(root);
        expect(await invokeHandler(IPC.rendererReady, trustedEvent(window))).toBe(true);
        const pending = await writeSession(root, { status: 'pending' });
        await until(() => Notification.shownRefs.length > 0);
        await until(() => app.setBadgeCount.mock.calls.some(([count]) => count === 1));

        // Electron holds the notification weakly: only the app's own reference keeps its click alive.
        await new Promise((resolve) => setTimeout(resolve, 0));
        collectGarbage();
        const notification = Notification.shownRefs[0]?.deref();
        expect(notification, 'the notification outlived a garbage collection').toBeDefined();
        notification?.emit('click');
        expect(window.webContents.sent).toContainEqual({
          channel: IPC.menuCommand,
          args: [{ command: 'focus-session', ref: pending.ref }],
        });
      });
    }
  });
}
