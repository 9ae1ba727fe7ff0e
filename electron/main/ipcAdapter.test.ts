/**
 * The Electron IPC front door with `electron` replaced by its double: every handler runs only for
 * the main frame of the app's own window (anything else is dropped: answered with null, logged,
 * the service never called), requests go through the contract's dispatch, the desktop-only
 * calls refuse malformed models before any native UI is shown, and the language the window asks
 * for is the one main speaks, a choice kept in the data folder.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, type Mock, vi } from 'vitest';
import { IPC } from '../../shared/ipc.js';
import { testHooks } from '../../test/support/contractFixture.js';
import {
  asBrowserWindow,
  asIpcMain,
  eventFrom,
  FakeBrowserWindow,
  type FakeInvokeEvent,
  invokeHandler,
  ipcMain,
  resetElectronDouble,
  trustedEvent,
} from '../../test/support/electronDouble.js';
import { makeTempDir, removeDir } from '../../test/support/fixtures.js';
import { fakeDialogs } from '../../test/support/ipcDoor.js';
import { AppService } from '../services/appService.js';
import { registerIpcAdapter } from './ipcAdapter.js';
import { DesktopLanguage, LANGUAGE_FILE } from './language.js';

const CHANNELS = [
  IPC.request,
  IPC.contextMenu,
  IPC.pickFolder,
  IPC.confirm,
  IPC.rendererReady,
  IPC.language,
  IPC.setLanguage,
];

let dataDir: string;
let service: AppService;
let window: FakeBrowserWindow | null;
let dialogs: ReturnType<typeof fakeDialogs>;
let onRendererReady: Mock<() => void>;
let log: Mock<(message: string, error?: unknown) => void>;
let unregister: () => void;
let systemLanguages: string[];
let language: DesktopLanguage;

beforeAll(async () => {
  dataDir = await makeTempDir('ms-ipc-data-');
  service = new AppService({ dataDir, hooks: testHooks('linux', async () => dataDir) });
});
afterAll(async () => {
  await service.close();
  await removeDir(dataDir);
});

beforeEach(() => {
  resetElectronDouble();
  window = new FakeBrowserWindow();
  dialogs = fakeDialogs({ folder: '/Users/admin/MobileApps', confirm: true, choice: 'accept' });
  onRendererReady = vi.fn<() => void>();
  log = vi.fn<(message: string, error?: unknown) => void>();
  rmSync(path.join(dataDir, LANGUAGE_FILE), { force: true });
  systemLanguages = ['en-US'];
  language = new DesktopLanguage(dataDir, () => systemLanguages);
  unregister = registerIpcAdapter({
    ipcMain: asIpcMain(),
    service,
    getWindow: () => (window ? asBrowserWindow(window) : null),
    dialogs: dialogs.dialogs,
    language,
    onRendererReady,
    log,
  });
});
afterEach(() => {
  unregister();
  vi.restoreAllMocks();
});

const app = () => window as FakeBrowserWindow;
const trusted = () => trustedEvent(app());

/** Every kind of sender that is not the app window's main frame at app://renderer. */
function untrustedSenders(): [string, () => FakeInvokeEvent][] {
  return [
    [
      'an iframe at the app origin',
      () => eventFrom(app().webContents, app().webContents.mainFrame.addChild('app://renderer/x.html')),
    ],
    [
      'an iframe elsewhere',
      () => eventFrom(app().webContents, app().webContents.mainFrame.addChild('https://evil.example/')),
    ],
    [
      'another window',
      () => {
        const other = new FakeBrowserWindow();
        return eventFrom(other.webContents, other.webContents.mainFrame);
      },
    ],
    [
      'the main frame, navigated away',
      () => {
        const event = trusted();
        app().webContents.mainFrame.url = 'https://evil.example/index.html';
        return event;
      },
    ],
    ['a frame that is gone', () => eventFrom(app().webContents, null)],
    [
      'a destroyed window',
      () => {
        const event = trusted();
        app().destroy();
        return event;
      },
    ],
    [
      'no window at all',
      () => {
        const event = trusted();
        window = null;
        return event;
      },
    ],
  ];
}

describe('registerIpcAdapter', () => {
  it('registers one handler per channel, and removes them all when asked', () => {
    expect([...ipcMain.handlers.keys()].sort()).toEqual([...CHANNELS].sort());
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
    // Registered again after that, as on a reload of the main module in development.
    unregister = registerIpcAdapter({
      ipcMain: asIpcMain(),
      service,
      getWindow: () => asBrowserWindow(app()),
      dialogs: dialogs.dialogs,
      language,
      onRendererReady,
      log,
    });
    expect(ipcMain.handlers.size).toBe(CHANNELS.length);
  });

  it('dispatches a request from the main frame to the service', async () => {
    const getState = vi.spyOn(service.handlers, 'getState');
    const envelope = await invokeHandler(IPC.request, trusted(), 'getState', {});
    expect(envelope).toMatchObject({
      ok: true,
      result: { root: null, platform: 'linux', revealKind: 'path' },
    });
    expect(getState).toHaveBeenCalledTimes(1);
    expect(log).not.toHaveBeenCalled();
  });

  it('answers a malformed request from the main frame with the contract error', async () => {
    expect(await invokeHandler(IPC.request, trusted(), 'noSuchRequest', {})).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(await invokeHandler(IPC.request, trusted(), { name: 'getState' }, {})).toMatchObject({
      ok: false,
      error: { code: 'bad-request' },
    });
    expect(
      await invokeHandler(IPC.request, trusted(), 'getSession', { ref: '../../etc/passwd' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'root-missing' },
    });
  });

  it.each(untrustedSenders())(
    'drops a request from %s: null, logged, the service not called',
    async (_, sender) => {
      const handlers = Object.keys(service.handlers) as (keyof typeof service.handlers)[];
      const spies = handlers.map((name) => vi.spyOn(service.handlers, name));
      const event = sender();
      expect(
        await invokeHandler(IPC.request, event, 'setStatus', { refs: ['a/b1'], status: 'accepted' }),
      ).toBeNull();
      expect(await invokeHandler(IPC.request, event, 'getState', {})).toBeNull();
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      expect(log).toHaveBeenCalledTimes(2);
      expect(String(log.mock.calls[0]?.[0])).toMatch(/dropped .*untrusted sender/);
    },
  );

  it.each(untrustedSenders())('drops the desktop-only calls from %s too', async (_, sender) => {
    const event = sender();
    expect(await invokeHandler(IPC.contextMenu, event, [{ type: 'item', id: 'a', label: 'A' }])).toBeNull();
    expect(await invokeHandler(IPC.pickFolder, event)).toBeNull();
    expect(
      await invokeHandler(IPC.confirm, event, { message: 'Delete?', confirmLabel: 'Delete' }),
    ).toBeNull();
    expect(await invokeHandler(IPC.rendererReady, event)).toBeNull();
    expect(await invokeHandler(IPC.language, event)).toBeNull();
    expect(await invokeHandler(IPC.setLanguage, event, 'fr')).toBeNull();
    expect(dialogs.calls).toEqual([]);
    expect(onRendererReady).not.toHaveBeenCalled();
    expect(language.setting().choice).toBe('system');
    expect(existsSync(path.join(dataDir, LANGUAGE_FILE))).toBe(false);
  });

  it('shows a well-formed context menu and answers the choice', async () => {
    const items = [
      { type: 'item', id: 'accept', label: 'Accept' },
      { type: 'separator' },
      { type: 'item', id: 'trash', label: 'Move to Trash', enabled: false, accelerator: 'Delete' },
    ];
    expect(await invokeHandler(IPC.contextMenu, trusted(), items)).toBe('accept');
    expect(dialogs.calls).toEqual([{ kind: 'contextMenu', args: [items] }]);
  });

  it('refuses malformed context-menu models without showing anything', async () => {
    const malformed: unknown[] = [
      null,
      'Accept',
      { type: 'item', id: 'a', label: 'A' },
      [null],
      ['Accept'],
      [{ type: 'item', id: 1, label: 'A' }],
      [{ type: 'item', id: 'a' }],
      [{ type: 'item', label: 'A' }],
      [{ type: 'item', id: 'a', label: 42 }],
      [{ type: 'item', id: 'a', label: 'x'.repeat(500) }],
      [{ type: 'separator', label: 'A' }],
      [{ type: 'submenu', id: 'a', label: 'A', submenu: [] }],
      [{ id: 'a', label: 'A' }],
      Array.from({ length: 51 }, (_, i) => ({ type: 'item', id: `i${i}`, label: `Item ${i}` })),
    ];
    for (const model of malformed) {
      expect(
        await invokeHandler(IPC.contextMenu, trusted(), model),
        JSON.stringify(model)?.slice(0, 80),
      ).toBeNull();
    }
    expect(dialogs.calls).toEqual([]);
  });

  it('refuses context-menu items whose optional fields have the wrong type', async () => {
    for (const item of [
      { type: 'item', id: 'a', label: 'A', enabled: 'no' },
      { type: 'item', id: 'a', label: 'A', enabled: 0 },
      { type: 'item', id: 'a', label: 'A', accelerator: 42 },
    ]) {
      expect(await invokeHandler(IPC.contextMenu, trusted(), [item]), JSON.stringify(item)).toBeNull();
    }
    expect(dialogs.calls).toEqual([]);
  });

  it('opens the folder picker and answers the folder', async () => {
    expect(await invokeHandler(IPC.pickFolder, trusted())).toBe('/Users/admin/MobileApps');
    expect(dialogs.calls).toEqual([{ kind: 'pickFolder', args: [] }]);
  });

  it('asks for confirmation with a well-formed model only', async () => {
    const model = {
      message: 'Move 3 sessions to the Trash?',
      confirmLabel: 'Move to Trash',
      destructive: true,
    };
    expect(await invokeHandler(IPC.confirm, trusted(), model)).toBe(true);
    expect(dialogs.calls).toEqual([{ kind: 'confirm', args: [model] }]);
    for (const bad of [
      null,
      'Delete?',
      { message: 'Delete?' },
      { confirmLabel: 'OK' },
      { message: 1, confirmLabel: 'OK' },
    ]) {
      expect(await invokeHandler(IPC.confirm, trusted(), bad), JSON.stringify(bad)).toBe(false);
    }
    expect(dialogs.calls).toHaveLength(1);
  });

  it('tells main the renderer listens', async () => {
    expect(await invokeHandler(IPC.rendererReady, trusted())).toBe(true);
    expect(onRendererReady).toHaveBeenCalledTimes(1);
  });

  it('answers the language: the system’s first supported one while nothing was chosen', async () => {
    expect(await invokeHandler(IPC.language, trusted())).toEqual({ choice: 'system', language: 'en' });
    systemLanguages = ['de-DE', 'fr-CA', 'en-US'];
    expect(await invokeHandler(IPC.language, trusted())).toEqual({ choice: 'system', language: 'fr' });
  });

  it('keeps a valid choice, tells who follows the language, and the choice survives a restart', async () => {
    const changes = vi.fn();
    language.onChange(changes);
    expect(await invokeHandler(IPC.setLanguage, trusted(), 'fr')).toEqual({ choice: 'fr', language: 'fr' });
    expect(changes).toHaveBeenCalledExactlyOnceWith({ choice: 'fr', language: 'fr' });
    expect(await invokeHandler(IPC.language, trusted())).toEqual({ choice: 'fr', language: 'fr' });
    expect(language.t()('desktop:menu.file')).toBe('Fichier');
    expect(JSON.parse(readFileSync(path.join(dataDir, LANGUAGE_FILE), 'utf8'))).toEqual({ choice: 'fr' });
    // The same choice again changes nothing.
    await invokeHandler(IPC.setLanguage, trusted(), 'fr');
    expect(changes).toHaveBeenCalledTimes(1);

    // A new start: a fresh copy of the module reads the choice back from the data folder.
    const restarted = (await import(
      /* @vite-ignore */ `./language.js?restart=${Date.now()}`
    )) as typeof import('./language.js');
    expect(restarted.DesktopLanguage).not.toBe(DesktopLanguage);
    expect(new restarted.DesktopLanguage(dataDir, () => ['en-US']).setting()).toEqual({
      choice: 'fr',
      language: 'fr',
    });

    // Back to the system's language.
    expect(await invokeHandler(IPC.setLanguage, trusted(), 'system')).toEqual({
      choice: 'system',
      language: 'en',
    });
    expect(new DesktopLanguage(dataDir, () => ['en-US']).setting().choice).toBe('system');
  });

  it('refuses a choice that is not a language it speaks: null, logged, nothing kept', async () => {
    const changes = vi.fn();
    language.onChange(changes);
    for (const bad of [
      undefined,
      null,
      42,
      '',
      'de',
      'FR',
      'fr-FR',
      ' system',
      { choice: 'fr' },
      ['fr'],
      '../../etc',
      'x'.repeat(10_000),
    ]) {
      expect(
        await invokeHandler(IPC.setLanguage, trusted(), bad),
        JSON.stringify(bad)?.slice(0, 40),
      ).toBeNull();
    }
    expect(log).toHaveBeenCalledTimes(12);
    expect(String(log.mock.calls[0]?.[0])).toMatch(/refused mobile-sessions:set-language/);
    expect(changes).not.toHaveBeenCalled();
    expect(language.setting()).toEqual({ choice: 'system', language: 'en' });
    expect(existsSync(path.join(dataDir, LANGUAGE_FILE))).toBe(false);
  });

  it('reads a damaged or foreign settings file as no choice', () => {
    const file = path.join(dataDir, LANGUAGE_FILE);
    for (const content of ['{', 'null', '"fr"', '{"choice":"de"}', '{"choice":["fr"]}']) {
      writeFileSync(file, content);
      expect(new DesktopLanguage(dataDir, () => ['fr-FR']).setting(), content).toEqual({
        choice: 'system',
        language: 'fr',
      });
    }
  });
});
