/**
 * Runs a built preload the way Electron 41 runs a sandboxed one (lib/sandboxed_renderer/init.ts and
 * preload.ts in Electron's source): its text wrapped in
 * `(function(require, process, exports, module, Buffer, global, setImmediate, clearImmediate) {…})`,
 * compiled in a fresh global (here a `vm` context: no Node `require`, `module`, `__dirname` or
 * `process` of its own), with a `require` that knows only the sandbox's modules and throws
 * "module not found" for anything else, as Electron's does.
 */
import * as events from 'node:events';
import { readFileSync } from 'node:fs';
import * as timers from 'node:timers';
import * as url from 'node:url';
import vm from 'node:vm';

/** What a sandboxed preload may require in Electron 41 (its `loadedModules` and `loadableModules`). */
export const SANDBOX_MODULES = [
  'electron',
  'electron/common',
  'electron/renderer',
  'events',
  'node:events',
  'timers',
  'node:timers',
  'url',
  'node:url',
] as const;

export interface SandboxedPreload {
  /** The page's global object, as the preload left it. */
  global: Record<string, unknown>;
  /** Every module name the preload asked for, in order. */
  required: string[];
}

/** The wrapper's source, shared with the Chromium test, which runs the same preload in a page. */
export function sandboxWrapperSource(preloadSource: string): string {
  return `(function(require, process, exports, module, Buffer, global, setImmediate, clearImmediate) {\n${preloadSource}\n})`;
}

export function runSandboxedPreload(file: string, electron: unknown): SandboxedPreload {
  const source = readFileSync(file, 'utf8');
  const required: string[] = [];
  const modules = new Map<string, unknown>([
    ['electron', electron],
    ['electron/common', electron],
    ['electron/renderer', electron],
    ['events', events],
    ['node:events', events],
    ['timers', timers],
    ['node:timers', timers],
    ['url', url],
    ['node:url', url],
  ]);
  const preloadRequire = (name: string) => {
    required.push(name);
    if (modules.has(name)) return modules.get(name);
    throw new Error(`module not found: ${name}`);
  };
  // A page's global: what a renderer has and a preload may use, nothing of Node.
  const page = vm.createContext({ console, queueMicrotask, setTimeout, clearTimeout, URL });
  const wrapper = vm.runInContext(sandboxWrapperSource(source), page, { filename: file }) as (
    ...args: unknown[]
  ) => void;
  const exports = {};
  // Electron's preload `process` is an EventEmitter with a few of the renderer's process properties.
  const preloadProcess = Object.assign(new events.EventEmitter(), { sandboxed: true, type: 'renderer' });
  const global = vm.runInContext('globalThis', page) as Record<string, unknown>;
  wrapper(
    preloadRequire,
    preloadProcess,
    exports,
    { exports },
    Buffer,
    global,
    timers.setImmediate,
    timers.clearImmediate,
  );
  return { global, required };
}

/**
 * The channels a built preload invokes: it is run sandboxed over the double's renderer side, and
 * every method of the bridge it exposes is called once.
 */
export async function preloadInvokeChannels(
  file: string,
  renderer: {
    contextBridge: { exposed: Map<string, unknown> };
    ipcRenderer: { invoke: { mock: { calls: unknown[][] }; mockClear(): void } };
    webUtils: unknown;
  },
): Promise<string[]> {
  renderer.contextBridge.exposed.clear();
  runSandboxedPreload(file, renderer);
  const bridge = renderer.contextBridge.exposed.get('mobileSessions') as Record<
    string,
    (arg?: unknown) => unknown
  >;
  renderer.ipcRenderer.invoke.mockClear();
  for (const [name, method] of Object.entries(bridge)) {
    if (name === 'pathForFile') continue; // not IPC: webUtils, in the renderer
    const result = method(name.startsWith('on') ? () => {} : undefined);
    if (result instanceof Promise) await result;
  }
  const channels = new Set(renderer.ipcRenderer.invoke.mock.calls.map(([channel]) => String(channel)));
  renderer.contextBridge.exposed.clear();
  return [...channels].sort();
}
