/**
 * The window's security settings, as Electron's security checklist asks: an isolated, sandboxed
 * renderer without Node; no navigation, no new windows, no permissions; links open outside only
 * when they are plain http(s).
 */
import { type BrowserWindow, shell, type WebContents, type WebPreferences } from 'electron';

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/** The only way the app opens a link: a well-formed http(s) URL, in the default browser. */
export function safelyOpenWebUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return false;
  void shell.openExternal(parsed.toString());
  return true;
}

export function lockDownContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    safelyOpenWebUrl(url);
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}

/** True when an IPC message comes from this window's own main frame (not an iframe, not another window). */
export function isFromMainFrame(
  event: { sender: WebContents; senderFrame: { url: string } | null },
  window: BrowserWindow | null,
  expectedOrigin: string,
): boolean {
  if (!window || window.isDestroyed()) return false;
  if (event.sender !== window.webContents || event.senderFrame !== window.webContents.mainFrame) return false;
  try {
    // Not URL.origin: Node gives 'null' as the origin of custom schemes such as app://.
    const url = new URL(event.senderFrame.url);
    return `${url.protocol}//${url.host}` === expectedOrigin;
  } catch {
    return false;
  }
}
