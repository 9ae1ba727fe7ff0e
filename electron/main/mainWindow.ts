/**
 * The app's window: where it was last time (if that is still on a display), hidden until its first
 * paint, locked down, and loading the renderer from app://. Its bounds are saved when it closes.
 */
import { BrowserWindow, screen } from 'electron';
import { APP_URL } from './appProtocol.js';
import { lockDownContents, secureWebPreferences } from './security.js';
import { loadWindowBounds, placeOnDisplays, saveWindowBounds } from './windowState.js';

export interface MainWindowOptions {
  dataDir: string;
  preloadPath: string;
  log: (message: string, error?: unknown) => void;
}

/** Call after `ready` (the screen module and windows exist only then). */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const { maximized, ...bounds } = placeOnDisplays(loadWindowBounds(options.dataDir), workAreas);
  const window = new BrowserWindow({
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    title: 'Mobile Sessions',
    show: false,
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  lockDownContents(window.webContents);
  // maximize() shows a hidden window at once: it waits for the first paint, as show() does.
  window.once('ready-to-show', () => {
    if (maximized) window.maximize();
    window.show();
  });
  window.on('close', () => {
    const { x, y, width, height } = window.getNormalBounds();
    try {
      saveWindowBounds(options.dataDir, { x, y, width, height, maximized: window.isMaximized() });
    } catch (error) {
      options.log('could not save the window position', error);
    }
  });
  window.loadURL(APP_URL).catch((error: unknown) => options.log(`could not load ${APP_URL}`, error));
  return window;
}
