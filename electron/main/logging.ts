/**
 * The main process's log (electron-log: a file in the OS's log folder, and the console), and
 * nothing more of electron-log. Its renderer side stays off: the renderer does not log through it,
 * so no preload is injected into every session (`log.initialize()` is not called), no log line is
 * sent to the window, and the IPC channel it opens on load (`__ELECTRON_LOG__`) is closed again, so
 * main answers only the app's own channels.
 */
import type { IpcMain } from 'electron';
import log from 'electron-log/main';

export const ELECTRON_LOG_CHANNEL = '__ELECTRON_LOG__';

export function setUpLogging(ipcMain: IpcMain): typeof log {
  ipcMain.removeHandler(ELECTRON_LOG_CHANNEL);
  ipcMain.removeAllListeners(ELECTRON_LOG_CHANNEL);
  // Present only inside Electron (electron-log checks process.versions.electron).
  if (log.transports.ipc) log.transports.ipc.level = false;
  log.errorHandler.startCatching();
  return log;
}
