/**
 * The preload, with `electron` replaced by its double: it exposes the contract's named methods and
 * the few desktop calls, nothing else (never ipcRenderer, never the raw IPC event), each one goes to
 * the channel main handles, and what main sends before the page subscribes waits for it.
 * (sandbox.test.ts runs the built file as Electron's sandbox does.)
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { type DesktopBridge, IPC, REQUEST_NAMES } from '../../shared/ipc.js';
import {
  asBrowserWindow,
  asIpcMain,
  contextBridge,
  emitToRenderer,
  FakeBrowserWindow,
  ipcMain,
  ipcRenderer,
  rawRendererEvent,
  webUtils,
} from '../../test/support/electronDouble.js';
import { fakeDialogs, memoryLanguage } from '../../test/support/ipcDoor.js';
import { registerIpcAdapter } from '../main/ipcAdapter.js';

const DESKTOP_CALLS = [
  'onEvent',
  'onMenuCommand',
  'rendererReady',
  'showContextMenu',
  'pickFolder',
  'confirm',
  'pathForFile',
  'language',
  'setLanguage',
  'onLanguageChanged',
];

let bridge: DesktopBridge;
let loads = 0;
// A fresh preload for each test (a query string makes it a new module), as each page load gets one.
beforeEach(async () => {
  contextBridge.exposed.clear();
  ipcRenderer.listeners.clear();
  await import(/* @vite-ignore */ `./index.js?load=${++loads}`);
  bridge = contextBridge.exposed.get('mobileSessions') as DesktopBridge;
  ipcRenderer.invoke.mockClear();
});

describe('the preload', () => {
  it('exposes exactly the contract requests and the desktop calls, as window.mobileSessions', () => {
    expect([...contextBridge.exposed.keys()]).toEqual(['mobileSessions']);
    expect(Object.keys(bridge).sort()).toEqual([...REQUEST_NAMES, ...DESKTOP_CALLS].sort());
    for (const [name, value] of Object.entries(bridge)) expect(typeof value, name).toBe('function');
  });

  it('never hands out ipcRenderer, not even as the result of a call', async () => {
    ipcRenderer.invoke.mockResolvedValue({ ok: true, result: null });
    const exposed = Object.values(bridge) as unknown[];
    expect(exposed).not.toContain(ipcRenderer);
    expect(exposed).not.toContain(ipcRenderer.invoke);
    expect(exposed).not.toContain(ipcRenderer.on);
    for (const name of REQUEST_NAMES) {
      const result = await bridge[name]({});
      expect(result, name).not.toBe(ipcRenderer);
    }
    for (const result of [
      bridge.onEvent(() => {}),
      bridge.onMenuCommand(() => {}),
      bridge.onLanguageChanged(() => {}),
      await bridge.language(),
      await bridge.setLanguage('fr'),
      await bridge.rendererReady(),
      await bridge.showContextMenu([]),
      await bridge.pickFolder(),
      await bridge.confirm({ message: 'm', confirmLabel: 'OK' }),
      bridge.pathForFile({ name: 'MobileApps' } as File),
    ]) {
      expect(result).not.toBe(ipcRenderer);
      if (typeof result === 'function') expect(result()).not.toBe(ipcRenderer);
    }
    ipcRenderer.invoke.mockReset();
  });

  it('sends a request as invoke(IPC.request, name, params) and answers what main answers', async () => {
    const page = { ok: true, result: { total: 3, matching: 1, matchingPending: 1, offset: 0, rows: [] } };
    ipcRenderer.invoke.mockResolvedValueOnce(page);
    const params = { filter: { folder: 'A', search: 'ann' }, offset: 0, limit: 50 };
    expect(await bridge.querySessions(params)).toBe(page);
    expect(ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith(IPC.request, 'querySessions', params);
    await bridge.listApps();
    expect(ipcRenderer.invoke).toHaveBeenLastCalledWith(IPC.request, 'listApps', {});
  });

  it('onEvent passes only the payload, never the raw IPC event, and unsubscribes', () => {
    const seen: unknown[][] = [];
    const unsubscribe = bridge.onEvent((...args: unknown[]) => seen.push(args));
    const event = { type: 'deltas', deltas: [{ type: 'session-removed', ref: 'A/b1', folder: 'A' }] };
    emitToRenderer(IPC.event, event);
    expect(seen).toEqual([[event]]);
    expect(seen.flat()).not.toContain(rawRendererEvent);

    unsubscribe();
    emitToRenderer(IPC.event, event);
    expect(seen).toHaveLength(1);
    // The preload's own listener stays, one per channel, however often the page subscribes.
    expect(ipcRenderer.listenerCount(IPC.event)).toBe(1);
  });

  it('holds what main sends before the page subscribes, and gives it, in order, to the first subscriber', async () => {
    const first = { type: 'deltas', deltas: [{ type: 'session-removed', ref: 'A/b1', folder: 'A' }] };
    const second = { type: 'deltas', deltas: [] };
    emitToRenderer(IPC.event, first);
    emitToRenderer(IPC.menuCommand, { command: 'show-problems' });
    emitToRenderer(IPC.event, second);
    const events: unknown[] = [];
    const commands: unknown[] = [];
    bridge.onEvent((event) => events.push(event));
    // Not inside the subscribe call: the subscriber has its unsubscribe function first.
    expect(events).toEqual([]);
    // A message that arrives before the held ones are out comes after them.
    emitToRenderer(IPC.event, {
      type: 'deltas',
      deltas: [{ type: 'session-removed', ref: 'A/b2', folder: 'A' }],
    });
    await Promise.resolve();
    expect(events.map((event) => JSON.stringify(event))).toEqual([
      JSON.stringify(first),
      JSON.stringify(second),
      JSON.stringify({ type: 'deltas', deltas: [{ type: 'session-removed', ref: 'A/b2', folder: 'A' }] }),
    ]);
    bridge.onMenuCommand((message) => commands.push(message));
    await Promise.resolve();
    expect(commands).toEqual([{ command: 'show-problems' }]);
    // Held once: a later subscriber gets only what comes next.
    const later: unknown[] = [];
    bridge.onEvent((event) => later.push(event));
    await Promise.resolve();
    expect(later).toEqual([]);
  });

  it('keeps holding when the only subscriber left before the held messages went out', async () => {
    emitToRenderer(IPC.menuCommand, { command: 'refresh' });
    const gone = vi.fn();
    bridge.onMenuCommand(gone)();
    await Promise.resolve();
    expect(gone).not.toHaveBeenCalled();
    const listener = vi.fn();
    bridge.onMenuCommand(listener);
    await Promise.resolve();
    expect(listener).toHaveBeenCalledExactlyOnceWith({ command: 'refresh' });
  });

  it('keeps each subscription apart: unsubscribing one leaves the other', () => {
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = bridge.onEvent(first);
    bridge.onEvent(second);
    stopFirst();
    emitToRenderer(IPC.event, { type: 'deltas', deltas: [] });
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledExactlyOnceWith({ type: 'deltas', deltas: [] });
  });

  it('onMenuCommand passes only the message, and unsubscribes', () => {
    const listener = vi.fn();
    const unsubscribe = bridge.onMenuCommand(listener);
    emitToRenderer(IPC.menuCommand, { command: 'focus-session', ref: 'A/b1' });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ command: 'focus-session', ref: 'A/b1' });
    unsubscribe();
    emitToRenderer(IPC.menuCommand, { command: 'refresh' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('onLanguageChanged passes only the setting, held until the page subscribes, and unsubscribes', async () => {
    emitToRenderer(IPC.languageChanged, { choice: 'fr', language: 'fr' });
    const seen: unknown[][] = [];
    const unsubscribe = bridge.onLanguageChanged((...args: unknown[]) => seen.push(args));
    await Promise.resolve();
    expect(seen).toEqual([[{ choice: 'fr', language: 'fr' }]]);
    unsubscribe();
    emitToRenderer(IPC.languageChanged, { choice: 'system', language: 'en' });
    expect(seen).toHaveLength(1);
  });

  it('sends the desktop calls on their channels', async () => {
    const items = [{ type: 'item' as const, id: 'a', label: 'Accept' }];
    const model = { message: 'Delete?', confirmLabel: 'Delete', destructive: true };
    await bridge.rendererReady();
    await bridge.showContextMenu(items);
    await bridge.pickFolder();
    await bridge.confirm(model);
    await bridge.language();
    await bridge.setLanguage('fr');
    expect(ipcRenderer.invoke.mock.calls).toEqual([
      [IPC.rendererReady],
      [IPC.contextMenu, items],
      [IPC.pickFolder],
      [IPC.confirm, model],
      [IPC.language],
      [IPC.setLanguage, 'fr'],
    ]);
    const file = { name: 'MobileApps' } as File;
    expect(bridge.pathForFile(file)).toBe('/dropped/MobileApps');
    expect(webUtils.getPathForFile).toHaveBeenCalledWith(file);
  });

  it('invokes only channels that main handles', async () => {
    ipcMain.handlers.clear();
    const unregister = registerIpcAdapter({
      ipcMain: asIpcMain(),
      service: {} as never,
      getWindow: () => asBrowserWindow(new FakeBrowserWindow()),
      dialogs: fakeDialogs().dialogs,
      language: memoryLanguage(),
      onRendererReady: () => {},
      log: () => {},
    });
    for (const name of REQUEST_NAMES) await bridge[name]();
    await bridge.rendererReady();
    await bridge.showContextMenu([]);
    await bridge.pickFolder();
    await bridge.confirm({ message: 'm', confirmLabel: 'OK' });
    await bridge.language();
    await bridge.setLanguage('system');
    const channels = new Set(ipcRenderer.invoke.mock.calls.map(([channel]) => channel));
    for (const channel of channels) expect(ipcMain.handlers.has(channel), channel).toBe(true);
    unregister();
  });
});
