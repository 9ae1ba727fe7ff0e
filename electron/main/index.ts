/**
 * Electron main process: app lifecycle, the window, menus, the app:// protocol, and the IPC
 * front door over the same engine as the CLI and the browser mode.
 *
 * The order matters and is what electron/main/boot.test.ts checks on the built file: before
 * `ready`, the Windows user model id, the app:// scheme, the data folder and the single-instance
 * lock; after it, the protocol handler, the menu, the window, then what the command line asks.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  type BrowserWindow,
  ipcMain,
  Menu,
  Notification,
  nativeImage,
  protocol,
  session,
  shell,
  Tray,
} from 'electron';
import updater from 'electron-updater';
import type { AppEvent } from '../../shared/contract.js';
import { AppService } from '../services/appService.js';
import { defaultDataDir } from '../services/dataDir.js';
import { pacProxyResolver } from '../services/push/proxy.js';
import { SecretStoreWithMemoryKeys } from '../services/push/secretStore.js';
import { systemCertificates } from '../services/push/trust.js';
import { showAboutDialog } from './about.js';
import { APP_ID } from './appIdentity.js';
import { handleAppProtocol, registerAppScheme } from './appProtocol.js';
import { instanceRequest, type LaunchRequest, launchRequest, secondInstanceRequest } from './argv.js';
import { nativeDialogs } from './dialogs.js';
import { registerIpcAdapter } from './ipcAdapter.js';
import { keychainSecrets } from './keychainSecrets.js';
import { DesktopLanguage, systemLanguages } from './language.js';
import { latestOnly } from './latestOnly.js';
import { setUpLogging } from './logging.js';
import { createMainWindow } from './mainWindow.js';
import { buildMenuTemplate } from './menu.js';
import { KeptNotifications } from './notifications.js';
import { FolderRequests, listenForOpenFile, RecentDocuments } from './osFolders.js';
import { announcePending } from './pendingNotifier.js';
import { closeBeforeQuit } from './quitting.js';
import { RendererChannel } from './rendererChannel.js';
import { lockDownContents } from './security.js';
import { ServerDoubles } from './serverDoubles.js';
import { keepsRunningInTray, PendingTray } from './tray.js';
import { TRAY_ICON_1X, TRAY_ICON_2X } from './trayIcon.js';
import { DesktopUpdates } from './updates.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/index.cjs');

const log = setUpLogging(ipcMain);
const warn = (message: string, error?: unknown) => log.warn(message, error ?? '');

// Windows shows an app's notifications under the user model id of its Start-menu shortcut (the
// appId); it must be set before any window or notification exists.
if (process.platform === 'win32') app.setAppUserModelId(APP_ID);

registerAppScheme(protocol);

// Chromium's profile and the single-instance lock live in the data folder, which is where Electron
// puts them for "Mobile Sessions" anyway; MOBILE_SESSIONS_DATA_DIR moves them with it (one app per
// data folder), and a start from another app path ("Electron") does not share ~/.config/Electron.
const dataDir = defaultDataDir();
app.setPath('userData', dataDir);

if (!app.requestSingleInstanceLock(instanceRequest(process.argv, app.isPackaged, process.cwd()))) {
  // The first instance gets this one's arguments and working directory (`second-instance`).
  app.quit();
} else {
  startApp();
}

function startApp(): void {
  let mainWindow: BrowserWindow | null = null;
  let channel: RendererChannel | null = null;
  let tray: PendingTray | null = null;
  let pendingCount = 0;
  const notifications = new KeptNotifications((options) => new Notification(options));
  const secrets = new SecretStoreWithMemoryKeys(keychainSecrets(dataDir));
  // The admin's choice, or the system's languages (asked for only once Electron is ready).
  const language = new DesktopLanguage(dataDir, () => systemLanguages(app), warn);

  const service = new AppService({
    dataDir,
    hooks: {
      platform: process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux',
      revealFile: async (file) => {
        shell.showItemInFolder(file);
        return true;
      },
      trash: (file) => shell.trashItem(file),
      secrets,
      // Push travels like the admin's other traffic: the system's proxy settings (PAC included)
      // and the system's trusted CAs (a corporate CA works without pinning).
      push: {
        proxy: pacProxyResolver((url) => session.defaultSession.resolveProxy(url)),
        systemCertificates,
      },
      // The demo generator loads only when a demo is asked for.
      createDemo: async () => (await import('../services/demo/demoFolder.js')).ensureDemo(dataDir),
    },
  });

  const openFolder = (folder: string) =>
    service.handlers
      .openRoot({ root: folder })
      .catch((error: unknown) => warn(`could not open ${folder}`, error));
  const openDemo = () => service.handlers.openDemo({}).catch((error: unknown) => warn('demo failed', error));
  const doubles = new ServerDoubles(service.push, secrets);
  // Folders the OS hands over (macOS: a drop on the Dock icon) wait for the window. Registered here,
  // before `ready`: a launch by a drop sends `open-file` that early.
  const folderRequests = new FolderRequests((folder) => void openFolder(folder));
  listenForOpenFile(app, folderRequests);
  // The Dock's recent list (macOS) and the jump list (Windows); Linux has neither.
  const recentDocuments = new RecentDocuments((folder) => {
    if (process.platform === 'darwin' || process.platform === 'win32') app.addRecentDocument(folder);
  });
  const open = async (request: LaunchRequest) => {
    if (request.folder) {
      await openFolder(request.folder);
      if (request.double) {
        await doubles
          .start(request.folder)
          .catch((error: unknown) => warn('the 4D Server double did not start', error));
      }
    } else if (request.demo) await openDemo();
  };

  const createWindow = () => {
    const window = createMainWindow({ dataDir, preloadPath, log: warn });
    channel = new RendererChannel(window.webContents);
    window.on('closed', () => {
      mainWindow = null;
      channel = null;
    });
    mainWindow = window;
  };

  const updates = new DesktopUpdates({
    packaged: app.isPackaged,
    version: app.getVersion(),
    // Read only when packaged: the getter picks the platform's updater (DebUpdater for the deb).
    updater: () => updater.autoUpdater,
    window: () => mainWindow,
    log,
    // Its dialogs speak the app's language at the moment they are shown.
    translate: () => language.t(),
  });

  const showWindow = () => {
    if (!mainWindow) return createWindow();
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  };

  const refreshMenu = async () => {
    const recentRoots = await service.handlers.recentRoots({});
    const template = buildMenuTemplate(
      process.platform,
      recentRoots,
      {
        command: (command) => channel?.sendCommand({ command }),
        openRecent: (root) => void openFolder(root),
        showAbout: () => void showAboutDialog(language.t(), mainWindow ?? undefined),
        chooseLanguage: (choice) =>
          void language.choose(choice).catch((error: unknown) => warn('the language did not change', error)),
        checkForUpdates: () => void updates.checkFromMenu(),
      },
      { t: language.t(), setting: language.setting() },
    );
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  service.subscribe((event: AppEvent) => {
    channel?.sendEvent(event);
    if (event.type === 'state') {
      recentDocuments.stateChanged(event.state);
      void refreshMenu();
      void showPendingCount();
    }
    if (event.type === 'deltas') {
      announcePending(
        event.deltas,
        {
          notify: (title, body, onClick) => {
            if (!Notification.isSupported() || mainWindow?.isFocused()) return;
            notifications.show(title, body, onClick);
          },
          setBadgeCount: (count) => app.setBadgeCount(count),
          focusSession: (ref) => {
            showWindow();
            channel?.sendCommand({ command: 'focus-session', ref });
          },
        },
        language.t(),
      );
      void showPendingCount();
    }
  });

  // The devices waiting for approval, on the Dock/taskbar badge and the tray icon; asked at every
  // change, and only the latest answer is shown (they can arrive out of order).
  const showPendingCount = latestOnly(
    async () => (service.state().root ? await service.handlers.listApps({}).catch(() => []) : []),
    (apps) => {
      pendingCount = apps.reduce((sum, a) => sum + a.counts.pending, 0);
      app.setBadgeCount(pendingCount);
      tray?.setPendingCount(pendingCount);
    },
  );
  const createTray = () => {
    tray = new PendingTray(
      {
        createTray: () => {
          const image = nativeImage.createEmpty();
          image.addRepresentation({ scaleFactor: 1, dataURL: TRAY_ICON_1X });
          image.addRepresentation({ scaleFactor: 2, dataURL: TRAY_ICON_2X });
          return new Tray(image);
        },
        buildMenu: (template) => Menu.buildFromTemplate(template),
        // Login items are Electron's on macOS and Windows only.
        loginItem: keepsRunningInTray(process.platform)
          ? {
              get: () => app.getLoginItemSettings().openAtLogin,
              set: (openAtLogin) => app.setLoginItemSettings({ openAtLogin }),
            }
          : null,
        platform: process.platform,
        translate: () => language.t(),
      },
      {
        open: showWindow,
        refresh: () =>
          void service.handlers.refresh({}).catch((error: unknown) => warn('refresh failed', error)),
        quit: () => app.quit(),
      },
    );
    tray.setPendingCount(pendingCount);
  };

  registerIpcAdapter({
    ipcMain,
    service,
    getWindow: () => mainWindow,
    dialogs: nativeDialogs(() => language.t()),
    language,
    onRendererReady: () => channel?.markReady(),
    log: warn,
  });

  // A new language, from the menu or the window: main's words again, and the window told.
  language.onChange((setting) => {
    void refreshMenu();
    tray?.retranslate();
    channel?.sendLanguage(setting);
  });

  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
  closeBeforeQuit(
    app,
    async () => {
      await service.close();
      await doubles.closeAll();
    },
    warn,
  );
  // macOS and Windows: the app stays in the tray, where new devices still show (tray.ts says why not Linux).
  app.on('window-all-closed', () => {
    if (!(tray && keepsRunningInTray(process.platform))) app.quit();
  });

  void app
    .whenReady()
    .then(async () => {
      handleAppProtocol(protocol, rendererDir);
      // Only now: before `ready`, `activate` (macOS) would make a window too early, and a second one.
      app.on('activate', () => {
        if (!mainWindow) createWindow();
      });
      app.on('second-instance', (_event, argv, workingDirectory, additionalData) => {
        showWindow();
        void open(secondInstanceRequest(argv, workingDirectory, additionalData, app.isPackaged));
      });
      await refreshMenu();
      createWindow();
      // The update check waits for the first paint (and a few seconds more): the start comes first.
      mainWindow?.once('ready-to-show', () => updates.checkSoonAfterStart());
      createTray();
      const request = launchRequest(process.argv, app.isPackaged, process.cwd());
      if (request.folder || request.demo) await open(request);
      else if (!folderRequests.hasWaiting()) {
        const [last] = await service.handlers.recentRoots({});
        if (last) await openFolder(last);
      }
      folderRequests.release();
    })
    .catch((error: unknown) => warn('the app did not start completely', error));
}
