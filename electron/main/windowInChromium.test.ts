/**
 * The desktop window's page driven in Chromium (Debian's /usr/bin/chromium, through Playwright),
 * as close to Electron as the missing binary allows:
 * - the built renderer (out/renderer) served with the app:// protocol's own responses (CSP included);
 * - the built preload (out/preload/index.cjs) run in the page as the sandbox runs it, over a fake
 *   `electron` whose ipcRenderer is this test: each invoke reaches the real IPC adapter (sender check
 *   included) on the electron double, over a real AppService on a real folder, and what main sends
 *   comes back into the page;
 * - main sends what it held, and a menu command, the moment `rendererReady` arrives, before React
 *   has subscribed: nothing may be lost (issue 12, item 8);
 * - the browser context is granted no permission at all: Copy Session ID must still work (item 1).
 * Needs the build output: `npm test` runs `npm run build` first.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppEvent } from '../../shared/contract.js';
import { IPC } from '../../shared/ipc.js';
import { until } from '../../test/support/bootMain.js';
import {
  asBrowserWindow,
  asIpcMain,
  asWebContents,
  FakeBrowserWindow,
  invokeHandler,
  resetElectronDouble,
  trustedEvent,
} from '../../test/support/electronDouble.js';
import { tempFoldersPerTest, writeSessions } from '../../test/support/fixtures.js';
import { fakeDialogs } from '../../test/support/ipcDoor.js';
import { sandboxWrapperSource } from '../../test/support/sandboxedPreload.js';
import { AppService } from '../services/appService.js';
import { appProtocolResponse } from './appProtocol.js';
import { registerIpcAdapter } from './ipcAdapter.js';
import { DesktopLanguage } from './language.js';
import { RendererChannel } from './rendererChannel.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RENDERER_DIR = path.join(root, 'out/renderer');
const PRELOAD = path.join(root, 'out/preload/index.cjs');
const CHROMIUM = process.env.PLAYWRIGHT_CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The page's side of Electron: a fake `electron` module for the preload (contextBridge puts the API
 * on the page's window, ipcRenderer talks to the test through a binding), then the preload itself,
 * wrapped as the sandbox wraps it, with a `require` that knows only `electron`.
 *
 * `atReady`: messages from main that the fake ipcRenderer emits the moment `rendererReady` is
 * invoked, in the same task, before the invoke even leaves the page: the earliest main's answer to
 * `rendererReady` (what it held) can arrive, made certain rather than left to timing.
 */
function pageElectron(preloadSource: string, atReady: [string, unknown][]): string {
  return `(() => {
  const listeners = new Map();
  const atReady = ${JSON.stringify(atReady)};
  const deliver = (channel, payload) => {
    for (const listener of listeners.get(channel) ?? []) listener({ sender: ipcRenderer }, payload);
  };
  const ipcRenderer = {
    invoke: (channel, ...args) => {
      if (channel === ${JSON.stringify(IPC.rendererReady)}) for (const [name, payload] of atReady.splice(0)) deliver(name, payload);
      return window.__testInvoke(channel, args);
    },
    on(channel, listener) { listeners.set(channel, [...(listeners.get(channel) ?? []), listener]); return this; },
    removeListener(channel, listener) { listeners.set(channel, (listeners.get(channel) ?? []).filter((l) => l !== listener)); return this; },
  };
  Object.defineProperty(window, '__testDeliver', { value: deliver });
  const contextBridge = {
    exposeInMainWorld: (key, api) => Object.defineProperty(window, key, { value: Object.freeze({ ...api }) }),
  };
  const electron = { contextBridge, ipcRenderer, webUtils: { getPathForFile: () => '' } };
  const require = (name) => {
    if (name === 'electron') return electron;
    throw new Error('module not found: ' + name);
  };
  const exports = {};
  (${sandboxWrapperSource(preloadSource)})(require, {}, exports, { exports }, undefined, globalThis, undefined, undefined);
})();`;
}

/** The renderer's files as app:// answers them, over HTTP on 127.0.0.1. */
async function serveRenderer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((request, response) => {
    void appProtocolResponse(RENDERER_DIR, `app://renderer${request.url ?? '/'}`).then(async (answer) => {
      response.writeHead(answer.status, Object.fromEntries(answer.headers));
      response.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let browser: Browser;
let renderer: Awaited<ReturnType<typeof serveRenderer>>;
beforeAll(async () => {
  for (const file of [PRELOAD, path.join(RENDERER_DIR, 'index.html')]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first.`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  renderer = await serveRenderer();
});
afterAll(async () => {
  await browser?.close();
  await renderer?.close();
});

const temp = tempFoldersPerTest();

describe('the desktop window in Chromium', () => {
  let service: AppService;
  let page: Page;
  let window: FakeBrowserWindow;
  let channel: RendererChannel;
  let unregister: () => void;
  let atReady: () => void;
  let dialogCalls: { kind: string }[];

  beforeEach(async () => {
    resetElectronDouble();
    service = new AppService({
      dataDir: temp.dataDir,
      hooks: { platform: 'linux', createDemo: async () => temp.root },
    });
    window = new FakeBrowserWindow();
    channel = new RendererChannel(asWebContents(window.webContents));
    service.subscribe((event: AppEvent) => channel.sendEvent(event));
    atReady = () => {};
    const dialogs = fakeDialogs({ choice: 'copy-id' });
    dialogCalls = dialogs.calls;
    unregister = registerIpcAdapter({
      ipcMain: asIpcMain(),
      service,
      getWindow: () => asBrowserWindow(window),
      dialogs: dialogs.dialogs,
      // Chromium's own locale is en-US: the page speaks English, as the assertions below do.
      language: new DesktopLanguage(temp.dataDir, () => ['en-US']),
      onRendererReady: () => {
        channel.markReady();
        atReady();
      },
      log: () => {},
    });
    // No permission granted: not the clipboard, not anything.
    const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
    page = await context.newPage();
    await page.exposeBinding('__testInvoke', (_source, channelName: string, args: unknown[]) =>
      invokeHandler(channelName, trustedEvent(window), ...args),
    );
    // main → page, in order.
    let delivered = Promise.resolve();
    window.webContents.onSend = (sent, payload) => {
      delivered = delivered.then(() =>
        page
          .evaluate(
            ([name, message]) =>
              (globalThis as unknown as { __testDeliver: (c: string, m: unknown) => void }).__testDeliver(
                name,
                message,
              ),
            [sent, payload] as const,
          )
          // What main sends after the page closed goes nowhere, as in Electron.
          .then(
            () => {},
            (error: unknown) => {
              if (!page.isClosed()) throw error;
            },
          ),
      );
    };
  });

  /** Loads the window's page; `atReady` is emitted the moment the page says rendererReady. */
  const load = async (atReady: [string, unknown][] = []) => {
    await page.addInitScript(pageElectron(readFileSync(PRELOAD, 'utf8'), atReady));
    await page.goto(renderer.url);
  };
  afterEach(async () => {
    await page.context().close();
    unregister();
    await service.close();
  });

  it('loses nothing main sends the moment rendererReady arrives: the held events and a menu command', async () => {
    const sessions = await writeSessions(temp.root, 3, 'pending');
    // Opened before the page loads: the state and the first deltas wait in main for rendererReady.
    await service.handlers.openRoot({ root: temp.root });
    atReady = () => channel.sendCommand({ command: 'refresh' });
    // A menu command the moment rendererReady arrives, before React has mounted its listener:
    // File › Open, which asks main for the native folder picker (the dialogs double records it).
    await load([[IPC.menuCommand, { command: 'open-folder' }]]);
    // The held state reached the store: the folder's sessions are in the window. (No timeout of
    // its own: the test's bounds the wait.)
    await page.locator(`[role="row"][data-ref="${sessions[0]?.ref}"]`).waitFor({ timeout: 0 });
    // The menu command reached the renderer's listener, which subscribes only once React has mounted.
    await until(() => dialogCalls.some((call) => call.kind === 'pickFolder'));
  });

  it('copies a session id with no clipboard permission granted', async () => {
    const [session] = await writeSessions(temp.root, 1, 'pending');
    await service.handlers.openRoot({ root: temp.root });
    await load();
    const row = page.locator(`[role="row"][data-ref="${session?.ref}"]`);
    await row.waitFor({ timeout: 0 });
    await row.click({ button: 'right' });
    // The native context menu is the test's dialogs double, which answers "Copy Session ID".
    const outcome = page.getByText(/^Copied |^Could not use the clipboard/).first();
    await outcome.waitFor({ timeout: 0 });
    expect(await outcome.textContent()).toBe(`Copied ${session?.id}`);
    // What is on the clipboard (reading it needs a permission: granted only now, after the copy).
    await page.context().grantPermissions(['clipboard-read']);
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(session?.id);
  });
});
