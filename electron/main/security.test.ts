/**
 * The window's security settings (Electron's security checklist) and the IPC sender check, with
 * `electron` replaced by its double. The sender check is tested both ways on purpose: GitHub
 * Desktop once shipped this very check inverted, so "trusted → true" matters as much as
 * "untrusted → false".
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  asBrowserWindow,
  asInvokeEvent,
  asWebContents,
  eventFrom,
  FakeBrowserWindow,
  type FakeInvokeEvent,
  FakeWebContents,
  resetElectronDouble,
  shell,
  trustedEvent,
} from '../../test/support/electronDouble.js';
import { APP_ORIGIN, APP_URL } from './appProtocol.js';
import {
  GRANTED_PERMISSION,
  isFromMainFrame,
  lockDownContents,
  safelyOpenWebUrl,
  secureWebPreferences,
} from './security.js';

beforeEach(() => resetElectronDouble());

/** isFromMainFrame for the double's events and windows. */
const check = (event: FakeInvokeEvent, window: FakeBrowserWindow | null, origin: string = APP_ORIGIN) =>
  isFromMainFrame(asInvokeEvent(event), window ? asBrowserWindow(window) : null, origin);

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the renderer, without Node, webviews or insecure content', () => {
    const preferences = secureWebPreferences('/app/out/preload/index.cjs');
    expect(preferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    // Nothing that loosens them.
    for (const key of [
      'nodeIntegrationInSubFrames',
      'experimentalFeatures',
      'enableBlinkFeatures',
      'additionalArguments',
      'disableBlinkFeatures',
    ]) {
      expect(preferences, key).not.toHaveProperty(key);
    }
  });
});

describe('lockDownContents', () => {
  let contents: FakeWebContents;
  beforeEach(() => {
    contents = new FakeWebContents();
    lockDownContents(asWebContents(contents));
  });

  it('prevents every navigation, redirect and webview', () => {
    for (const url of ['https://evil.example/', 'file:///etc/passwd', APP_URL, 'app://renderer/other.html']) {
      expect(contents.attemptNavigation(url), url).toBe(true);
      expect(contents.attemptNavigation(url, 'will-redirect'), url).toBe(true);
    }
    expect(contents.attemptNavigation('about:blank', 'will-attach-webview')).toBe(true);
  });

  it('denies every new window; opens only http(s) links, in the default browser', () => {
    const urls = {
      'https://4d.com/docs': 'https://4d.com/docs',
      'http://example.com/a b': 'http://example.com/a%20b',
      'HTTPS://EXAMPLE.COM': 'https://example.com/',
      'file:///etc/passwd': null,
      'javascript:alert(1)': null,
      'data:text/html,<script>alert(1)</script>': null,
      'app://renderer/index.html': null,
      'smb://server/share': null,
      'ms-settings:privacy': null,
      'not a url': null,
      '': null,
    };
    for (const [url, opened] of Object.entries(urls)) {
      shell.openExternal.mockClear();
      expect(contents.attemptWindowOpen(url), url).toEqual({ action: 'deny' });
      if (opened) expect(shell.openExternal, url).toHaveBeenCalledExactlyOnceWith(opened);
      else expect(shell.openExternal, url).not.toHaveBeenCalled();
    }
  });

  it('denies every permission request and check but writing to the clipboard', async () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
      'hid',
      'unknown',
    ]) {
      expect(await contents.requestPermission(permission), permission).toBe(false);
      expect(contents.checkPermission(permission), permission).toBe(false);
    }
  });

  it("grants clipboard-sanitized-write (navigator.clipboard.writeText) to the app page's main frame only", async () => {
    expect(GRANTED_PERMISSION).toBe('clipboard-sanitized-write');
    expect(contents.mainFrame.url).toBe(APP_URL);
    expect(await contents.requestPermission(GRANTED_PERMISSION)).toBe(true);
    expect(contents.checkPermission(GRANTED_PERMISSION)).toBe(true);
    const iframe = contents.mainFrame.addChild(APP_URL);
    expect(await contents.requestPermission(GRANTED_PERMISSION, iframe)).toBe(false);
    expect(contents.checkPermission(GRANTED_PERMISSION, iframe)).toBe(false);
    for (const url of [
      'https://evil.example/',
      'app://other/index.html',
      'file:///tmp/index.html',
      'not a url',
    ]) {
      contents.mainFrame.url = url;
      expect(await contents.requestPermission(GRANTED_PERMISSION), url).toBe(false);
      expect(contents.checkPermission(GRANTED_PERMISSION), url).toBe(false);
    }
  });
});

describe('safelyOpenWebUrl', () => {
  it('says whether it opened the link', () => {
    expect(safelyOpenWebUrl('https://github.com/')).toBe(true);
    expect(safelyOpenWebUrl('file:///Applications/Calculator.app')).toBe(false);
    expect(safelyOpenWebUrl('javascript:void(0)')).toBe(false);
    expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://github.com/');
  });
});

describe('isFromMainFrame', () => {
  it("is true for the main frame of the app's own window, at the app's origin", () => {
    const window = new FakeBrowserWindow();
    expect(window.webContents.mainFrame.url).toBe(APP_URL);
    expect(check(trustedEvent(window), window)).toBe(true);
    window.webContents.mainFrame.url = `${APP_ORIGIN}/index.html?view=problems#top`;
    expect(check(trustedEvent(window), window)).toBe(true);
  });

  it('is false for an iframe of the window, even one at the app origin', () => {
    const window = new FakeBrowserWindow();
    const contents = window.webContents;
    for (const url of [`${APP_ORIGIN}/frame.html`, 'https://evil.example/']) {
      const iframe = contents.mainFrame.addChild(url);
      expect(check(eventFrom(contents, iframe), window), url).toBe(false);
    }
  });

  it('is false for another webContents, or a frame of another one', () => {
    const window = new FakeBrowserWindow();
    const other = new FakeBrowserWindow().webContents;
    expect(check(eventFrom(other, other.mainFrame), window)).toBe(false);
    // Mixed: the window's contents with a foreign frame, a foreign contents with the window's frame.
    expect(check(eventFrom(window.webContents, other.mainFrame), window)).toBe(false);
    expect(check(eventFrom(other, window.webContents.mainFrame), window)).toBe(false);
  });

  it('is false when the main frame is not at the app origin', () => {
    const window = new FakeBrowserWindow();
    for (const url of [
      'https://evil.example/index.html',
      'http://renderer/index.html',
      'file:///tmp/index.html',
      'app://other/index.html',
      'app://renderer.evil.example/index.html',
      'app://renderer:8080/index.html',
      'about:blank',
      'not a url',
      '',
    ]) {
      window.webContents.mainFrame.url = url;
      expect(check(trustedEvent(window), window), url).toBe(false);
    }
  });

  it('is false when the frame is gone, there is no window, or it was destroyed', () => {
    const window = new FakeBrowserWindow();
    const event = trustedEvent(window);
    expect(check(eventFrom(window.webContents, null), window)).toBe(false);
    expect(check(event, null)).toBe(false);
    window.destroy();
    expect(() => check(event, window)).not.toThrow();
    expect(check(event, window)).toBe(false);
  });

  it('checks the origin it is given', () => {
    const window = new FakeBrowserWindow();
    expect(check(trustedEvent(window), window, 'https://evil.example')).toBe(false);
    // Node's URL gives non-special schemes (app:) an opaque origin, "null": that must never match.
    expect(check(trustedEvent(window), window, 'null')).toBe(false);
  });
});
