/**
 * A test double of the `electron` module, for the Electron-only code where the Electron binary
 * cannot run. vitest.config.ts aliases `electron` to this module for every test, so a test imports
 * the same objects from here to drive and inspect them (one instance). Call `resetElectronDouble()`
 * in `beforeEach`; the boot test (test/support/bootMain.ts) also hands it to the built main process.
 *
 * It models the documented behaviour the app relies on, not Electron as a whole, and records what
 * the code under test did, in order, in `electronJournal` (the boot test reads the call order):
 * - The app's life: `app.whenReady()` resolves, `isReady()` turns true and `ready` is emitted when the
 *   test calls `app.becomeReady()`. Before that, as in Electron, `new BrowserWindow`, `protocol.handle`
 *   and `screen` throw; after it, `protocol.registerSchemesAsPrivileged` throws. `resetElectronDouble()`
 *   starts ready (unit tests run code that runs after `ready`); `{ ready: false }` starts before it.
 * - `app.quit()` emits `before-quit` (which a listener may prevent), closes the windows, emits
 *   `will-quit` and `quit`, and sets `app.hasQuit`. Closing the last window emits `window-all-closed`.
 * - The platform (`resetElectronDouble({ platform })`) decides the API surface as Electron's own build
 *   does: `app.setAppUserModelId` exists on Windows only, `safeStorage.getSelectedStorageBackend` on
 *   Linux only. (`process.platform` itself is the boot harness's to set.)
 * - `safeStorage` encrypts reversibly (not plain text) and reports what `safeStorageState` says: no
 *   keyring is `{ available: false }` or, on Linux, `{ backend: 'basic_text' }`.
 * - `Notification`: Electron keeps only a weak reference to a notification that was shown, so the
 *   double does too (`Notification.shownRefs`): a notification nobody else holds can be collected, and
 *   its `click` is lost.
 * - `ipcMain.handle` stores one handler per channel (a second registration throws, as Electron
 *   does) and `removeHandler` drops it; `ipcMain.on` listeners are kept too (`ipcMain.channels()`
 *   lists both). Tests call a handler with `invokeHandler(channel, event, …)` and an event
 *   `{ sender, senderFrame }` such as `trustedEvent(window)`.
 * - A `FakeBrowserWindow` has `webContents` with a `mainFrame` (a `FakeFrame` with `url`, `origin`,
 *   `parent`, `top`), `send` (recorded), `on`/`once`/`emit`, `isDestroyed`, `setWindowOpenHandler`
 *   and `session.setPermissionRequestHandler`/`setPermissionCheckHandler` (stored, so tests can call
 *   them). `maximize()` shows a hidden window, as Electron's does. After `destroy()`, the window's
 *   members throw "Object has been destroyed", and a frame's `url` throws, like Electron's.
 * - `shell.openExternal`, `shell.showItemInFolder`, `shell.trashItem` are spies.
 * - `app.getPreferredSystemLanguages()` answers `app.systemLanguages` (`['en-US']` after a reset) and
 *   `app.getLocale()` `app.locale` (`en-US`), as Electron does after `ready`.
 * - `Tray` (`FakeTray.all`) cannot be made before `ready` and keeps its tool tip, title and menu;
 *   `nativeImage` keeps only representations whose data URL decodes to a PNG (else it is empty).
 *   `app.addRecentDocument` records; `app.get/setLoginItemSettings` keep `app.loginItem`.
 * - `net.request` (what electron-updater downloads with) is Electron's documented `ClientRequest` built on
 *   Node's `http`/`https`: options as a URL string or `{ method, url | protocol+hostname+port+path,
 *   headers, redirect, session }`; `setHeader`/`getHeader`/`removeHeader`, `write`, `end`, `abort`,
 *   `followRedirect`; events `response` (Node's IncomingMessage, which has the documented `statusCode`,
 *   `statusMessage`, lower-cased `headers` and the stream), `redirect` (mode `manual`; `error` mode
 *   fails, `follow` follows), `error`, `abort`, `finish`, `close`. Each request is journaled
 *   (`net.request GET <url>`). No `login`, upload progress, cache or cookies. `session.fromPartition`
 *   answers one object per partition. `autoUpdater` (Electron's own, Squirrel's) is only its events:
 *   electron-updater emits `before-quit-for-update` on it.
 * - `contextBridge.exposeInMainWorld` records what the preload exposes; `ipcRenderer` records
 *   `invoke` calls and delivers `emitToRenderer(channel, payload)` to its listeners with a raw
 *   event object, as Electron does, so tests can check the preload never forwards that event.
 *   `mainProcessModule()` is `electron` as the main process sees it (without these renderer APIs).
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type * as Electron from 'electron';
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

/** What the code under test asked of Electron, in order. */
export const electronJournal: string[] = [];
const record = (entry: string) => {
  electronJournal.push(entry);
};

class FakeEmitter {
  private readonly listeners = new Map<string, Listener[]>();

  on(name: string, listener: Listener): this {
    this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
    return this;
  }

  addListener(name: string, listener: Listener): this {
    return this.on(name, listener);
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

  removeAllListeners(name?: string): this {
    if (name === undefined) this.listeners.clear();
    else this.listeners.delete(name);
    return this;
  }

  emit(name: string, ...args: unknown[]): boolean {
    const listeners = this.listeners.get(name) ?? [];
    for (const listener of listeners) listener(...args);
    return listeners.length > 0;
  }

  listenerCount(name: string): number {
    return (this.listeners.get(name) ?? []).length;
  }

  eventNames(): string[] {
    return [...this.listeners].filter(([, listeners]) => listeners.length > 0).map(([name]) => name);
  }
}

/** An Electron event that can be prevented (`will-navigate`, `before-quit`, `close`, …). */
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
  private currentUrl: string;

  constructor(
    url: string,
    readonly parent: FakeFrame | null = null,
  ) {
    this.currentUrl = url;
    parent?.frames.push(this);
  }

  /** Like Electron's, a disposed frame's URL cannot be read. */
  get url(): string {
    if (this.destroyed) throw new Error('Render frame was disposed before WebFrameMain could be accessed');
    return this.currentUrl;
  }

  set url(url: string) {
    this.currentUrl = url;
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

export interface FakePermissionDetails {
  requestingUrl: string;
  isMainFrame: boolean;
}
export type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: FakePermissionDetails,
) => void;
export type PermissionCheckHandler = (
  contents: unknown,
  permission: string,
  requestingOrigin: string,
  details: FakePermissionDetails,
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

  /**
   * A frame of the page (the main frame by default) asks for a permission: what the request handler
   * grants (Electron grants without one).
   */
  requestPermission(permission: string, frame: FakeFrame = this.frame): Promise<boolean> {
    const handler = this.session.permissionRequestHandler;
    if (!handler) return Promise.resolve(true);
    const details = { requestingUrl: frame.url, isMainFrame: frame === this.frame };
    return new Promise((resolve) => handler(this, permission, resolve, details));
  }

  /** A frame of the page checks a permission: what the check handler answers (Electron allows without one). */
  checkPermission(permission: string, frame: FakeFrame = this.frame): boolean {
    const handler = this.session.permissionCheckHandler;
    const details = { requestingUrl: frame.url, isMainFrame: frame === this.frame };
    return handler ? handler(this, permission, frame.origin, details) : true;
  }
}

export class FakeBrowserWindow extends FakeEmitter {
  static readonly all = new Set<FakeBrowserWindow>();
  static getAllWindows(): FakeBrowserWindow[] {
    return [...FakeBrowserWindow.all];
  }

  readonly id = nextId++;
  private destroyed = false;
  private visible: boolean;
  private maximized = false;
  focused = false;
  private readonly contents: FakeWebContents;
  readonly loadURL = vi.fn(async (url: string) => {
    record(`window.loadURL ${url}`);
  });

  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    if (!app.isReady()) throw new Error('Cannot create BrowserWindow before app is ready');
    record('new BrowserWindow');
    this.visible = options.show !== false;
    this.contents = new FakeWebContents();
    FakeBrowserWindow.all.add(this);
    app.emit('web-contents-created', fakeEvent(), this.contents);
  }

  get webContents(): FakeWebContents {
    if (this.destroyed) throw destroyedError();
    return this.contents;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  /** The page is painted: Electron emits `ready-to-show` once. */
  becomeReadyToShow(): void {
    this.emit('ready-to-show');
  }

  show(): void {
    record('window.show');
    this.visible = true;
  }

  /** Like Electron's, it shows (without focusing) a window that is not shown yet. */
  maximize(): void {
    record('window.maximize');
    if (!this.visible) record('window.show (by maximize)');
    this.visible = true;
    this.maximized = true;
  }

  isVisible(): boolean {
    return this.visible;
  }

  isMaximized(): boolean {
    return this.maximized;
  }

  isMinimized(): boolean {
    return false;
  }

  restore(): void {}

  focus(): void {
    this.focused = true;
  }

  isFocused(): boolean {
    return this.focused;
  }

  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    const { x = 0, y = 0, width = 800, height = 600 } = this.options as Record<string, number | undefined>;
    return { x, y, width, height };
  }

  /** The window's close button (or `close()`): `close` may be prevented, else the window is destroyed. */
  close(): void {
    const event = fakeEvent();
    this.emit('close', event);
    if (!event.defaultPrevented) this.destroy();
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.contents.destroy();
    FakeBrowserWindow.all.delete(this);
    this.emit('closed');
    if (FakeBrowserWindow.all.size === 0 && !app.quitting) app.emit('window-all-closed');
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

class FakeIpcMain extends FakeEmitter {
  readonly handlers = new Map<string, InvokeHandler>();

  handle(channel: string, handler: InvokeHandler): void {
    if (this.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    record(`ipcMain.handle ${channel}`);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }

  /** Every channel main answers or listens on. */
  channels(): string[] {
    return [...new Set([...this.handlers.keys(), ...this.eventNames()])].sort();
  }
}

export const ipcMain = new FakeIpcMain();

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
  registerSchemesAsPrivileged(schemes: { scheme: string }[]): void {
    if (app.isReady())
      throw new Error('protocol.registerSchemesAsPrivileged should be called before app is ready');
    record(`protocol.registerSchemesAsPrivileged ${schemes.map((s) => s.scheme).join(',')}`);
    this.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    if (!app.isReady()) throw new Error('Session can only be received when app is ready');
    record(`protocol.handle ${scheme}`);
    this.handlers.set(scheme, handler);
  },
};

export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template, popup: vi.fn() })),
  setApplicationMenu: vi.fn((_menu: unknown) => {
    record('Menu.setApplicationMenu');
  }),
};

export const dialog = {
  showOpenDialog: vi.fn(async () => ({ canceled: true, filePaths: [] as string[] })),
  showMessageBox: vi.fn(async (..._args: unknown[]) => ({ response: 1, checkboxChecked: false })),
};

export class Notification extends FakeEmitter {
  static supported = true;
  /** The notifications shown, held weakly as Electron holds them. */
  static readonly shownRefs: WeakRef<Notification>[] = [];
  static isSupported(): boolean {
    return Notification.supported;
  }
  constructor(readonly options: { title?: string; body?: string } = {}) {
    super();
  }
  show(): void {
    record('Notification.show');
    Notification.shownRefs.push(new WeakRef(this));
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A NativeImage: its representations, each a PNG data URL (empty unless one decodes to a PNG). */
export class FakeNativeImage {
  readonly representations: { scaleFactor: number; bytes: Buffer }[] = [];

  addRepresentation(options: { scaleFactor?: number; dataURL?: string }): void {
    const match = /^data:image\/png;base64,(.*)$/.exec(options.dataURL ?? '');
    const bytes = Buffer.from(match?.[1] ?? '', 'base64');
    // Electron leaves the image as it was when the data is not an image.
    if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
      this.representations.push({ scaleFactor: options.scaleFactor ?? 1, bytes });
    }
  }

  isEmpty(): boolean {
    return this.representations.length === 0;
  }

  getScaleFactors(): number[] {
    return this.representations.map((r) => r.scaleFactor);
  }
}

export const nativeImage = {
  createEmpty: () => new FakeNativeImage(),
  createFromDataURL(dataURL: string): FakeNativeImage {
    const image = new FakeNativeImage();
    image.addRepresentation({ dataURL });
    return image;
  },
};

/** A tray / menu-bar icon. Like Electron's, it cannot be made before `ready`. */
export class FakeTray extends FakeEmitter {
  static readonly all = new Set<FakeTray>();
  toolTip = '';
  title = '';
  contextMenu: { template: unknown[] } | null = null;
  private destroyed = false;

  constructor(readonly image: FakeNativeImage) {
    super();
    if (!app.isReady()) throw new Error('Cannot create Tray before app is ready');
    record('new Tray');
    FakeTray.all.add(this);
  }

  setToolTip(toolTip: string): void {
    record(`tray.setToolTip ${toolTip}`);
    this.toolTip = toolTip;
  }

  setTitle(title: string): void {
    this.title = title;
  }

  setContextMenu(menu: { template: unknown[] } | null): void {
    this.contextMenu = menu;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
    FakeTray.all.delete(this);
  }
}

export const Tray = FakeTray;

/** The keyring the double's safeStorage reports. */
export const safeStorageState = { available: true, backend: 'gnome_libsecret' };

export const safeStorage = {
  isEncryptionAvailable: vi.fn(() => safeStorageState.available),
  getSelectedStorageBackend: vi.fn(() => safeStorageState.backend) as (() => string) | undefined,
  encryptString: vi.fn((plain: string) => {
    record('safeStorage.encryptString');
    if (!safeStorageState.available) throw new Error('Encryption is not available.');
    return Buffer.from(`sealed:${Buffer.from(plain).toString('base64')}`);
  }),
  decryptString: vi.fn((cipher: Buffer) => {
    const text = cipher.toString();
    if (!text.startsWith('sealed:'))
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(text.slice('sealed:'.length), 'base64').toString();
  }),
};

/** The default session's preload scripts: none of the app's own (its preload is the window's). */
export const session = {
  defaultSession: {
    registerPreloadScript(script: { id?: string; filePath: string }): string {
      record(`session.registerPreloadScript ${script.filePath}`);
      return script.id ?? script.filePath;
    },
  },
  partitions: new Map<string, { partition: string }>(),
  /** One session per partition name (electron-updater's own, `electron-updater`, for its downloads). */
  fromPartition(partition: string, _options?: { cache?: boolean }): { partition: string } {
    const existing = this.partitions.get(partition);
    if (existing) return existing;
    const created = { partition };
    this.partitions.set(partition, created);
    return created;
  },
};

interface ClientRequestOptions {
  method?: string;
  url?: string;
  protocol?: string;
  hostname?: string;
  host?: string;
  port?: number | string;
  path?: string;
  headers?: Record<string, string | string[]>;
  redirect?: 'follow' | 'error' | 'manual';
  session?: unknown;
}

/** Electron's `ClientRequest` (net.request), over Node's http: see the header for what it models. */
export class FakeClientRequest extends EventEmitter {
  private readonly method: string;
  private readonly redirectMode: 'follow' | 'error' | 'manual';
  private url: URL;
  private readonly headers = new Map<string, { name: string; value: string | string[] }>();
  private readonly body: Buffer[] = [];
  private current: http.ClientRequest | null = null;
  private aborted = false;
  private redirects = 0;
  private followed = false;

  constructor(options: string | ClientRequestOptions) {
    super();
    const o = typeof options === 'string' ? { url: options } : options;
    this.method = (o.method ?? 'GET').toUpperCase();
    this.url = new URL(
      o.url ??
        `${o.protocol ?? 'http:'}//${o.hostname ?? o.host ?? 'localhost'}${o.port ? `:${o.port}` : ''}${o.path ?? '/'}`,
    );
    this.redirectMode = o.redirect ?? 'follow';
    for (const [name, value] of Object.entries(o.headers ?? {})) this.setHeader(name, value);
  }

  setHeader(name: string, value: string | string[] | number): void {
    this.headers.set(name.toLowerCase(), { name, value: typeof value === 'number' ? String(value) : value });
  }

  getHeader(name: string): string | string[] | undefined {
    return this.headers.get(name.toLowerCase())?.value;
  }

  removeHeader(name: string): void {
    this.headers.delete(name.toLowerCase());
  }

  write(chunk: string | Buffer): void {
    this.body.push(Buffer.from(chunk));
  }

  end(chunk?: string | Buffer): this {
    if (chunk !== undefined) this.write(chunk);
    this.send();
    return this;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.current?.destroy();
    this.emit('abort');
    this.emit('close');
  }

  /** In mode `manual`, called during `redirect`: the request goes on to the new address. */
  followRedirect(): void {
    this.followed = true;
  }

  private send(): void {
    record(`net.request ${this.method} ${this.url.href}`);
    const client = this.url.protocol === 'https:' ? https : http;
    const headers = Object.fromEntries([...this.headers.values()].map(({ name, value }) => [name, value]));
    const request = client.request(this.url, { method: this.method, headers }, (response) => {
      if (this.aborted) return void response.resume();
      const location = response.headers.location;
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && location) {
        response.resume();
        this.redirectTo(status, new URL(location, this.url), response.headers);
        return;
      }
      response.on('end', () => {
        if (!this.aborted) this.emit('close');
      });
      this.emit('response', response);
    });
    this.current = request;
    request.on('error', (error) => {
      if (!this.aborted) this.emit('error', error);
    });
    request.end(Buffer.concat(this.body), () => this.emit('finish'));
  }

  private redirectTo(status: number, to: URL, responseHeaders: http.IncomingHttpHeaders): void {
    if (this.redirectMode === 'error' || ++this.redirects > 20) {
      this.emit('error', new Error('net::ERR_TOO_MANY_REDIRECTS'));
      return;
    }
    if (this.redirectMode === 'manual') {
      this.followed = false;
      this.emit('redirect', status, this.method, to.href, responseHeaders);
      // Electron: unless `followRedirect()` was called during the event, the redirect is cancelled.
      if (!this.followed) {
        if (!this.aborted) this.abort();
        return;
      }
    }
    this.url = to;
    this.send();
  }
}

export const net = {
  request: (options: string | ClientRequestOptions) => new FakeClientRequest(options),
};

/** Electron's own autoUpdater (Squirrel): only its events (electron-updater emits `before-quit-for-update`). */
export const autoUpdater = new FakeEmitter();

export interface FakeDisplay {
  id: number;
  bounds: { x: number; y: number; width: number; height: number };
  workArea: { x: number; y: number; width: number; height: number };
}

export const screen = {
  displays: [] as FakeDisplay[],
  getAllDisplays(): FakeDisplay[] {
    if (!app.isReady()) throw new Error("The 'screen' module can't be used before the app 'ready' event");
    return this.displays;
  },
  getPrimaryDisplay(): FakeDisplay {
    const [primary] = this.getAllDisplays();
    if (!primary) throw new Error('no display');
    return primary;
  },
};

const oneScreen = (): FakeDisplay[] => [
  {
    id: 1,
    bounds: { x: 0, y: 0, width: 1920, height: 1080 },
    workArea: { x: 0, y: 25, width: 1920, height: 1055 },
  },
];

class FakeApp extends FakeEmitter {
  isPackaged = false;
  name = 'Mobile Sessions';
  /** Set once `quit` went through (nothing prevented it). */
  hasQuit = false;
  /** Between `app.quit()` and `quit`: windows close without `window-all-closed`. */
  quitting = false;
  /** What `requestSingleInstanceLock` answers: false is "another instance has the lock". */
  singleInstanceLock = true;
  /** What `requestSingleInstanceLock` was handed. */
  instanceData: unknown = undefined;
  private ready = false;
  private resolveReady: () => void = () => {};
  private readyPromise: Promise<void> = Promise.resolve();
  readonly paths = new Map<string, string>();

  readonly getVersion = vi.fn(() => '9.8.7');
  /** The OS's preferred languages, most preferred first. */
  systemLanguages: string[] = ['en-US'];
  /** Chromium's UI locale. */
  locale = 'en-US';

  getPreferredSystemLanguages(): string[] {
    return [...this.systemLanguages];
  }

  getLocale(): string {
    return this.locale;
  }
  readonly getPath = vi.fn((name: string) => this.paths.get(name) ?? `/fake/${name}`);
  readonly setPath = vi.fn((name: string, value: string) => {
    record(`app.setPath ${name}`);
    this.paths.set(name, value);
  });
  readonly setBadgeCount = vi.fn((count?: number) => {
    record(`app.setBadgeCount ${count}`);
    return true;
  });
  /** The OS's recent documents (the Dock menu on macOS, the jump list on Windows). */
  readonly addRecentDocument = vi.fn((path: string) => {
    record(`app.addRecentDocument ${path}`);
  });
  /** The login item (`openAtLogin`), as the OS keeps it. */
  loginItem = { openAtLogin: false };
  readonly getLoginItemSettings = vi.fn(() => ({ ...this.loginItem }));
  readonly setLoginItemSettings = vi.fn((settings: { openAtLogin?: boolean }) => {
    record(`app.setLoginItemSettings openAtLogin=${settings.openAtLogin}`);
    this.loginItem = { openAtLogin: settings.openAtLogin ?? false };
  });
  /** Windows only, as in Electron's build: undefined elsewhere. */
  setAppUserModelId: ((id: string) => void) | undefined = undefined;
  readonly quit = vi.fn(() => this.runQuit());
  readonly exit = vi.fn((_code?: number) => {
    this.hasQuit = true;
  });

  getName(): string {
    return this.name;
  }

  isReady(): boolean {
    return this.ready;
  }

  whenReady(): Promise<void> {
    return this.readyPromise;
  }

  /** The test says Electron is ready: `isReady()`, the `ready` event, then `whenReady()` resolves. */
  becomeReady(): void {
    if (this.ready) return;
    this.ready = true;
    record('app ready');
    this.emit('ready', fakeEvent(), {});
    this.resolveReady();
  }

  requestSingleInstanceLock(additionalData?: unknown): boolean {
    record('app.requestSingleInstanceLock');
    this.instanceData = additionalData;
    return this.singleInstanceLock;
  }

  private runQuit(): void {
    record('app.quit');
    const beforeQuit = fakeEvent();
    this.emit('before-quit', beforeQuit);
    if (beforeQuit.defaultPrevented) return;
    this.quitting = true;
    for (const window of FakeBrowserWindow.getAllWindows()) window.close();
    const willQuit = fakeEvent();
    this.emit('will-quit', willQuit);
    if (willQuit.defaultPrevented) {
      this.quitting = false;
      return;
    }
    this.hasQuit = true;
    record('quit');
    this.emit('quit', fakeEvent(), 0);
  }

  /** Back to a fresh app, before or after `ready`, with the API surface of `platform`. */
  reset(ready: boolean, platform: NodeJS.Platform): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.hasQuit = false;
    this.quitting = false;
    this.singleInstanceLock = true;
    this.instanceData = undefined;
    this.paths.clear();
    this.loginItem = { openAtLogin: false };
    this.systemLanguages = ['en-US'];
    this.locale = 'en-US';
    this.ready = ready;
    this.readyPromise = ready ? Promise.resolve() : new Promise((resolve) => (this.resolveReady = resolve));
    this.setAppUserModelId =
      platform === 'win32'
        ? vi.fn((id: string) => {
            record(`app.setAppUserModelId ${id}`);
          })
        : undefined;
  }
}

export const app = new FakeApp();
// Ready from the start, as for the code unit tests run (what runs after `ready`); see resetElectronDouble.
app.reset(true, process.platform);

export interface ResetOptions {
  /** false: before Electron's `ready` (the boot test). Default true. */
  ready?: boolean;
  /** The platform whose API surface the double shows. Default: this machine's. */
  platform?: NodeJS.Platform;
}

/** Back to a fresh double: no handlers, no windows, no exposed API, spies cleared. */
export function resetElectronDouble(options: ResetOptions = {}): void {
  const platform = options.platform ?? process.platform;
  // The app first: closing the old windows below must not reach an old main's listeners.
  app.reset(options.ready ?? true, platform);
  electronJournal.length = 0;
  ipcMain.handlers.clear();
  ipcMain.removeAllListeners();
  ipcRenderer.listeners.clear();
  contextBridge.exposed.clear();
  protocol.privilegedSchemes.length = 0;
  protocol.handlers.clear();
  app.quitting = true;
  for (const window of FakeBrowserWindow.all) window.destroy();
  app.quitting = false;
  FakeBrowserWindow.all.clear();
  for (const tray of FakeTray.all) tray.destroy();
  autoUpdater.removeAllListeners();
  session.partitions.clear();
  Notification.supported = true;
  Notification.shownRefs.length = 0;
  Object.assign(safeStorageState, { available: true, backend: 'gnome_libsecret' });
  safeStorage.getSelectedStorageBackend =
    platform === 'linux' ? vi.fn(() => safeStorageState.backend) : undefined;
  screen.displays = oneScreen();
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
    app.addRecentDocument,
    app.getLoginItemSettings,
    app.setLoginItemSettings,
    app.getVersion,
    app.getPath,
    app.setPath,
    app.quit,
    app.exit,
    safeStorage.isEncryptionAvailable,
    safeStorage.encryptString,
    safeStorage.decryptString,
  ]) {
    spy.mockReset();
  }
}

/**
 * `electron` as the main process sees it: the main-process modules only. Electron's main process
 * has no `ipcRenderer` or `contextBridge`, and libraries tell the processes apart by that
 * (electron-log runs its renderer set-up wherever it finds `ipcRenderer`).
 */
export function mainProcessModule(): Record<string, unknown> {
  return {
    app,
    BrowserWindow,
    dialog,
    ipcMain,
    Menu,
    nativeImage,
    net,
    Notification,
    protocol,
    safeStorage,
    screen,
    session,
    shell,
    Tray,
    autoUpdater,
  };
}

/** The double's objects where the code under test wants Electron's types. */
export const asBrowserWindow = (window: FakeBrowserWindow) => window as unknown as Electron.BrowserWindow;
export const asWebContents = (contents: FakeWebContents) => contents as unknown as Electron.WebContents;
export const asIpcMain = () => ipcMain as unknown as Electron.IpcMain;
export const asProtocol = () => protocol as unknown as Electron.Protocol;
export const asInvokeEvent = (event: FakeInvokeEvent) => event as unknown as Electron.IpcMainInvokeEvent;
