/**
 * The window's security settings, as Electron's security checklist asks: an isolated, sandboxed
 * renderer without Node; no navigation, no new windows; no permission but writing to the clipboard
 * for the app's own page; links open outside only when they are plain http(s).
 */
import { type BrowserWindow, shell, type WebContents, type WebPreferences } from 'electron';
import { APP_ORIGIN } from './appProtocol.js';

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
  contents.session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(isGranted(permission, details.requestingUrl, details.isMainFrame)),
  );
  contents.session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isGranted(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame),
  );
}

/**
 * The one permission the app uses: `navigator.clipboard.writeText` (Copy Session ID, Copy E-mail,
 * Copy path) asks for `clipboard-sanitized-write`, from the main frame of the app's own page.
 * Reading the clipboard, and everything else, stays denied.
 */
export const GRANTED_PERMISSION = 'clipboard-sanitized-write';

function isGranted(permission: string, requestingUrl: string | undefined, isMainFrame: boolean): boolean {
  return permission === GRANTED_PERMISSION && isMainFrame && originOf(requestingUrl ?? '') === APP_ORIGIN;
}

/** `scheme://host[:port]` of a URL, or null. Not URL.origin: Node gives 'null' for custom schemes such as app://. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}

/** A frame's URL, or null when the frame is gone (a disposed frame's `url` throws). */
export function frameUrl(frame: { url: string } | null | undefined): string | null {
  try {
    return frame?.url ?? null;
  } catch {
    return null;
  }
}

/** True when an IPC message comes from this window's own main frame (not an iframe, not another window). */
export function isFromMainFrame(
  event: { sender: WebContents; senderFrame: { url: string } | null },
  window: BrowserWindow | null,
  expectedOrigin: string,
): boolean {
  try {
    if (!window || window.isDestroyed()) return false;
    if (event.sender !== window.webContents || event.senderFrame !== window.webContents.mainFrame)
      return false;
    const url = frameUrl(event.senderFrame);
    return url !== null && originOf(url) === expectedOrigin;
  } catch {
    // A frame or window disposed while the message was on its way.
    return false;
  }
}
