/**
 * A test double of the `electron` module, for unit tests of the Electron-only code where the
 * Electron binary cannot run. vitest.config.ts aliases `electron` to this module for every test,
 * so a test imports the same objects from here to drive and inspect them (one instance). Call `resetElectronDouble()` in `beforeEach`.
 *
 * It models the documented behaviour the app relies on, not Electron as a whole:
 * - `ipcMain.handle` stores one handler per channel (a second registration throws, as Electron
 *   does) and `removeHandler` drops it; tests call a handler with `invokeHandler(channel, event, …)`
 *   and an event `{ sender, senderFrame }` such as `trustedEvent(window)`.
 * - A `FakeBrowserWindow` has `webContents` with a `mainFrame` (a `FakeFrame` with `url`, `origin`,
 *   `parent`, `top`), `send` (recorded), `on`/`once`/`emit`, `isDestroyed`, `setWindowOpenHandler`
 *   and `session.setPermissionRequestHandler`/`setPermissionCheckHandler` (stored, so tests can call
 *   them). After `destroy()`, the window's members throw "Object has been destroyed" like Electron's.
 * - `shell.openExternal`, `shell.showItemInFolder`, `shell.trashItem` are spies.
 * - `contextBridge.exposeInMainWorld` records what the preload exposes; `ipcRenderer` records
 *   `invoke` calls and delivers `emitToRenderer(channel, payload)` to its listeners with a raw
 *   event object, as Electron does, so tests can check the preload never forwards that event.
 */
import type * as Electron from 'electron';
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

class FakeEmitter {
  private readonly listeners = new Map<string, Listener[]>();

  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }

  once(name: string, listener: Listener): this {
    const wrapped: Listener = (...args) => {
      this.removeListener(name, wrapped);
      listener(...args);
    };
    return this.on(name, wrapped);
  }

  removeListener(name: string, listener: Listener): this {
    this.listeners.set(
      name,
      (this.listeners.get(name) ?? []).filter((l) => l !== listener),
    );
    return this;
  }

  off(name: string, listener: Listener): this {
    return this.removeListener(name, listener);
  }

  emit(name: string, ...args: unknown[]): boolean {
    const listeners = this.listeners.get(name) ?? [];
    for (const listener of listeners) listener(...args);
    return listeners.length > 0;
  }

  listenerCount(name: string): number {
    return (this.listeners.get(name) ?? []).length;
  }
}

/** An Electron event that can be prevented (`will-navigate`, `will-redirect`, …). */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

let nextId = 1;

/** A WebFrameMain: the main frame of a page or one of its iframes. */
export class FakeFrame {
  readonly routingId = nextId++;
  readonly frames: FakeFrame[] = [];
  private destroyed = false;

  constructor(
    public url: string,
    readonly parent: FakeFrame | null = null,
  ) {
    parent?.frames.push(this);
  }

  get top(): FakeFrame {
    return this.parent ? this.parent.top : this;
  }

  get origin(): string {
    try {
      return new URL(this.url).origin;
    } catch {
      return 'null';
    }
  }

  /** An iframe inside this frame. */
  addChild(url: string): FakeFrame {
    return new FakeFrame(url, this);
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
  }
}

export type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details?: unknown,
) => void;
export type PermissionCheckHandler = (
  contents: unknown,
  permission: string,
  requestingOrigin: string,
  details?: unknown,
) => boolean;
export type WindowOpenHandler = (details: {
  url: string;
  frameName: string;
  features: string;
  disposition: string;
}) => { action: 'deny' } | { action: 'allow' };

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
}

const destroyedError = () => new TypeError('Object has been destroyed');

export class FakeWebContents extends FakeEmitter {
  readonly id = nextId++;
  readonly session = new FakeSession();
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: WindowOpenHandler | null = null;
  private destroyed = false;
  private frame: FakeFrame;
  /** Called on every `send`, after the arguments went through structured cloning (as IPC does). */
  onSend: ((channel: string, ...args: unknown[]) => void) | null = null;

  constructor(url = 'app://renderer/index.html') {
    super();
    this.frame = new FakeFrame(url);
  }

  get mainFrame(): FakeFrame {
    if (this.destroyed) throw destroyedError();
    return this.frame;
  }

  send(channel: string, ...args: unknown[]): void {
    if (this.destroyed) throw destroyedError();
    const cloned = structuredClone(args);
    this.sent.push({ channel, args: cloned });
    this.onSend?.(channel, ...cloned);
  }

  setWindowOpenHandler(handler: WindowOpenHandler): void {
    this.windowOpenHandler = handler;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.frame.destroy();
    this.emit('destroyed');
  }

  /** A navigation in the main frame: `will-navigate` listeners run; true when one prevented it. */
  attemptNavigation(url: string, eventName = 'will-navigate'): boolean {
    const event = fakeEvent();
    this.emit(eventName, event, url);
    return event.defaultPrevented;
  }

  /** `window.open(url)` in the page: what the window-open handler answers (Electron allows without one). */
  attemptWindowOpen(url: string): { action: 'deny' } | { action: 'allow' } {
    return (
      this.windowOpenHandler?.({ url, frameName: '', features: '', disposition: 'new-window' }) ?? {
        action: 'allow',
      }
    );
  }

  /** A page asks for a permission: what the request handler grants (Electron grants without one). */
  requestPermission(permission: string): Promise<boolean> {
    const handler = this.session.permissionRequestHandler;
    if (!handler) return Promise.resolve(true);
    return new Promise((resolve) => handler(this, permission, resolve, { requestingUrl: this.frame.url }));
  }

  /** A page checks a permission: what the check handler answers (Electron allows without one). */
  checkPermission(permission: string): boolean {
    const handler = this.session.permissionCheckHandler;
    return handler ? handler(this, permission, this.frame.origin, {}) : true;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static readonly all = new Set<FakeBrowserWindow>();
  static getAllWindows(): FakeBrowserWindow[] {
    return [...FakeBrowserWindow.all];
  }

  readonly id = nextId++;
  private destroyed = false;
  private readonly contents: FakeWebContents;
  readonly loadURL = vi.fn(async (_url: string) => {});

  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    this.contents = new FakeWebContents();
    FakeBrowserWindow.all.add(this);
  }

  get webContents(): FakeWebContents {
    if (this.destroyed) throw destroyedError();
    return this.contents;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    this.contents.destroy();
    FakeBrowserWindow.all.delete(this);
    this.emit('closed');
  }

  isFocused(): boolean {
    return false;
  }
}

export const BrowserWindow = FakeBrowserWindow;

export interface FakeInvokeEvent {
  sender: FakeWebContents;
  senderFrame: FakeFrame | null;
  processId: number;
  frameId: number;
}

/** A message from the main frame of `window`: the only sender the app trusts. */
export function trustedEvent(window: FakeBrowserWindow): FakeInvokeEvent {
  const contents = window.webContents;
  return {
    sender: contents,
    senderFrame: contents.mainFrame,
    processId: 1,
    frameId: contents.mainFrame.routingId,
  };
}

/** A message from any frame of any contents. */
export function eventFrom(sender: FakeWebContents, senderFrame: FakeFrame | null): FakeInvokeEvent {
  return { sender, senderFrame, processId: 1, frameId: senderFrame?.routingId ?? -1 };
}

type InvokeHandler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown;

export const ipcMain = {
  handlers: new Map<string, InvokeHandler>(),
  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    this.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

/**
 * Calls the handler stored for `channel` as Electron would for `ipcRenderer.invoke`: arguments and
 * result go through structured cloning; with no handler, the invoke rejects.
 */
export async function invokeHandler(
  channel: string,
  event: FakeInvokeEvent,
  ...args: unknown[]
): Promise<unknown> {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`No handler registered for '${channel}'`);
  return structuredClone(await handler(event, ...structuredClone(args)));
}

type RendererListener = (event: unknown, ...args: unknown[]) => void;

export const ipcRenderer = {
  invoke: vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => undefined),
  listeners: new Map<string, RendererListener[]>(),
  on(channel: string, listener: RendererListener) {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  },
  removeListener(channel: string, listener: RendererListener) {
    this.listeners.set(
      channel,
      (this.listeners.get(channel) ?? []).filter((l) => l !== listener),
    );
    return this;
  },
  listenerCount(channel: string): number {
    return (this.listeners.get(channel) ?? []).length;
  },
};

/** The raw event Electron passes to `ipcRenderer.on` listeners: it carries `sender` (ipcRenderer itself). */
export const rawRendererEvent = { sender: ipcRenderer, senderId: 0, ports: [] as unknown[] };

/** main → renderer: delivers a message to the `ipcRenderer.on` listeners of `channel`. */
export function emitToRenderer(channel: string, ...args: unknown[]): void {
  for (const listener of ipcRenderer.listeners.get(channel) ?? []) {
    listener(rawRendererEvent, ...structuredClone(args));
  }
}

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(apiKey: string, api: unknown): void {
    if (this.exposed.has(apiKey)) {
      throw new Error(`Cannot bind an API on top of an existing property on the window object`);
    }
    this.exposed.set(apiKey, api);
  },
};

export const webUtils = {
  getPathForFile: vi.fn((file: { name?: string }) => `/dropped/${file.name ?? ''}`),
};

export const shell = {
  openExternal: vi.fn(async (_url: string) => {}),
  showItemInFolder: vi.fn((_path: string) => {}),
  trashItem: vi.fn(async (_path: string) => {}),
  openPath: vi.fn(async (_path: string) => ''),
};

type ProtocolHandler = (request: { url: string }) => Promise<Response> | Response;

export const protocol = {
  privilegedSchemes: [] as unknown[],
  handlers: new Map<string, ProtocolHandler>(),
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    this.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    this.handlers.set(scheme, handler);
  },
};

export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template, popup: vi.fn() })),
  setApplicationMenu: vi.fn((_menu: unknown) => {}),
};

export const dialog = {
  showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] as string[] })),
  showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 1, checkboxChecked: false })),
};

export class Notification extends FakeEmitter {
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: { title?: string; body?: string } = {}) {
    super();
  }
  show(): void {}
}

export const app = {
  isPackaged: false,
  getVersion: vi.fn(() => '9.8.7'),
  getPath: vi.fn((name: string) => `/fake/${name}`),
  setBadgeCount: vi.fn((_count: number) => true),
  on: vi.fn(),
  whenReady: vi.fn(async () => {}),
  requestSingleInstanceLock: vi.fn(() => true),
  quit: vi.fn(),
};

/** Back to a fresh double: no handlers, no windows, no exposed API, spies cleared. */
export function resetElectronDouble(): void {
  ipcMain.handlers.clear();
  ipcRenderer.listeners.clear();
  contextBridge.exposed.clear();
  protocol.privilegedSchemes.length = 0;
  protocol.handlers.clear();
  for (const window of FakeBrowserWindow.all) window.destroy();
  FakeBrowserWindow.all.clear();
  for (const spy of [
    ipcRenderer.invoke,
    webUtils.getPathForFile,
    shell.openExternal,
    shell.showItemInFolder,
    shell.trashItem,
    shell.openPath,
    Menu.buildFromTemplate,
    Menu.setApplicationMenu,
    dialog.showOpenDialog,
    dialog.showMessageBox,
    app.setBadgeCount,
    app.getVersion,
    app.getPath,
  ]) {
    spy.mockReset();
  }
}

/** The double's objects where the code under test wants Electron's types. */
export const asBrowserWindow = (window: FakeBrowserWindow) => window as unknown as Electron.BrowserWindow;
export const asWebContents = (contents: FakeWebContents) => contents as unknown as Electron.WebContents;
export const asIpcMain = () => ipcMain as unknown as Electron.IpcMain;
export const asProtocol = () => protocol as unknown as Electron.Protocol;
export const asInvokeEvent = (event: FakeInvokeEvent) => event as unknown as Electron.IpcMainInvokeEvent;
