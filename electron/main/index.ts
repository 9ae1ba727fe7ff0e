/**
 * Electron main process: app lifecycle, the window, menus, the app:// protocol, and the IPC
 * front door over the same engine as the CLI and the browser mode.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, Menu, Notification, protocol, safeStorage, shell } from 'electron';
import log from 'electron-log/main';
import type { AppEvent } from '../../shared/contract.js';
import { AppService } from '../services/appService.js';
import { defaultDataDir } from '../services/dataDir.js';
import { EncryptedSecretStore } from '../services/push/secretStore.js';
import { showAboutDialog } from './about.js';
import { APP_URL, handleAppProtocol, registerAppScheme } from './appProtocol.js';
import { folderFromArgv } from './argv.js';
import { nativeDialogs } from './dialogs.js';
import { registerIpcAdapter } from './ipcAdapter.js';
import { buildMenuTemplate } from './menu.js';
import { announcePending } from './pendingNotifier.js';
import { RendererChannel } from './rendererChannel.js';
import { lockDownContents, secureWebPreferences } from './security.js';
import { loadWindowBounds, saveWindowBounds } from './windowState.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Push secrets, encrypted with the OS keychain (safeStorage). On Linux without a keyring Electron
 * falls back to a hard-coded key ("basic_text"), which is no better than clear text: refused.
 */
function keychainSecrets(dataDir: string): EncryptedSecretStore {
  return new EncryptedSecretStore(
    dataDir,
    {
      encrypt: (plain) => {
        if (!safeStorage.isEncryptionAvailable()) throw new Error('The system keychain is not available.');
        if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
          throw new Error(
            'No system keyring (GNOME Keyring or KWallet) is running: the secret is not stored.',
          );
        }
        return safeStorage.encryptString(plain);
      },
      decrypt: (cipher) => safeStorage.decryptString(cipher),
    },
    'the system keychain',
  );
}
const rendererDir = path.join(here, '../renderer');
const preloadPath = path.join(here, '../preload/index.cjs');

log.initialize();
log.errorHandler.startCatching();

registerAppScheme(protocol);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const dataDir = defaultDataDir();
  let mainWindow: BrowserWindow | null = null;
  let channel: RendererChannel | null = null;

  const service = new AppService({
    dataDir,
    hooks: {
      platform: process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux',
      revealFile: async (file) => {
        shell.showItemInFolder(file);
        return true;
      },
      trash: (file) => shell.trashItem(file),
      secrets: keychainSecrets(dataDir),
      // The demo generator loads only when a demo is asked for.
      createDemo: async () => (await import('../services/demo/demoFolder.js')).ensureDemo(dataDir),
    },
  });

  const openFolder = (folder: string) =>
    service.handlers
      .openRoot({ root: folder })
      .catch((error: unknown) => log.warn(`could not open ${folder}`, error));

  const refreshMenu = async () => {
    const template = buildMenuTemplate(process.platform, await service.handlers.recentRoots({}), {
      command: (command) => channel?.sendCommand({ command }),
      openRecent: (root) => void openFolder(root),
      showAbout: () => void showAboutDialog(mainWindow ?? undefined),
    });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };

  service.subscribe((event: AppEvent) => {
    channel?.sendEvent(event);
    if (event.type === 'state') void refreshMenu();
    if (event.type === 'deltas') {
      announcePending(event.deltas, {
        notify: (title, body, onClick) => {
          if (!Notification.isSupported() || mainWindow?.isFocused()) return;
          const notification = new Notification({ title, body });
          notification.on('click', onClick);
          notification.show();
        },
        setBadgeCount: (count) => app.setBadgeCount(count),
        focusSession: (ref) => {
          mainWindow?.show();
          mainWindow?.focus();
          channel?.sendCommand({ command: 'focus-session', ref });
        },
      });
      void service.handlers
        .listApps({})
        .then((apps) => app.setBadgeCount(apps.reduce((sum, a) => sum + a.counts.pending, 0)))
        .catch(() => {});
    }
  });

  const createWindow = () => {
    const bounds = loadWindowBounds(dataDir);
    const window = new BrowserWindow({
      ...bounds,
      minWidth: 720,
      minHeight: 480,
      title: 'Mobile Sessions',
      show: false,
      webPreferences: secureWebPreferences(preloadPath),
    });
    if (bounds.maximized) window.maximize();
    lockDownContents(window.webContents);
    channel = new RendererChannel(window.webContents);
    window.once('ready-to-show', () => window.show());
    window.on('close', () => {
      const { x, y, width, height } = window.getNormalBounds();
      try {
        saveWindowBounds(dataDir, { x, y, width, height, maximized: window.isMaximized() });
      } catch (error) {
        log.warn('could not save the window position', error);
      }
    });
    window.on('closed', () => {
      mainWindow = null;
      channel = null;
    });
    mainWindow = window;
    void window.loadURL(APP_URL);
  };

  registerIpcAdapter({
    ipcMain,
    service,
    getWindow: () => mainWindow,
    dialogs: nativeDialogs,
    onRendererReady: () => channel?.markReady(),
    log: (message, error) => log.warn(message, error ?? ''),
  });

  app.on('second-instance', (_event, argv) => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
    const { folder } = folderFromArgv(argv, app.isPackaged);
    if (folder) void openFolder(path.resolve(folder));
  });

  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
  app.on('window-all-closed', () => {
    void service.close().finally(() => app.quit());
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });

  void app.whenReady().then(async () => {
    handleAppProtocol(protocol, rendererDir);
    await refreshMenu();
    createWindow();
    const { folder, demo } = folderFromArgv(process.argv, app.isPackaged);
    if (folder) await openFolder(path.resolve(folder));
    else if (demo)
      await service.handlers.openDemo({}).catch((error: unknown) => log.warn('demo failed', error));
    else {
      const [last] = await service.handlers.recentRoots({});
      if (last) await openFolder(last);
    }
  });
}
