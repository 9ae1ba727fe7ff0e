/**
 * Boots a built main process (out/main/index.js, or the same file extracted from the packed
 * app.asar) inside Vitest, with `electron` replaced by the one double (test/support/electronDouble.ts),
 * so the shell that cannot run here (no Electron binary) is proven on the files that ship.
 *
 * How `electron` reaches the built file:
 * - the project's build (`copyBuiltApp`): Vitest runs the bundle itself (it is not under
 *   node_modules), so its `import … from "electron"` goes through Vitest's alias (vitest.config.ts).
 *   Its dependencies are Node's to load, and one of them requires `electron` itself (electron-log,
 *   CommonJS): for that `require`, the require cache entry of `electron` as resolved from the main
 *   file (the npm package, which cannot give the binary's path here) is set to the double.
 * - the packed app: extracted under a `node_modules` folder, which Vitest hands to Node as it is:
 *   no alias, and no fall-back on the project's node_modules either, so every import must resolve
 *   inside the app (the production dependency closure is checked). There `electron` is a stand-in
 *   package (`writeElectronStandIn`) that exports the double the harness publishes on `globalThis`.
 *
 * Each boot evaluates the main process afresh: its folder (out/main, the entry and its chunks, which
 * import the entry back) is copied beside itself (out/main-boot-N) and imported from there, so the
 * app folder must be a temporary copy. The process's platform, argv and data folder are set for the
 * boot and put back by `restore()`.
 */
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppState } from '../../shared/contract.js';
import { IPC } from '../../shared/ipc.js';
import {
  app,
  FakeBrowserWindow,
  invokeHandler,
  mainProcessModule,
  resetElectronDouble,
  safeStorageState,
  trustedEvent,
} from './electronDouble.js';

export type Keyring = 'keychain' | 'none' | 'basic_text';

export interface BootOptions {
  /** The built main process file, in a temporary app folder. */
  mainFile: string;
  /** The data folder (MOBILE_SESSIONS_DATA_DIR): a temporary folder of the test. */
  dataDir: string;
  /** The app's own arguments (after the executable and, from source, the app path). */
  args?: string[];
  platform?: NodeJS.Platform;
  /** `keychain` (default): encryption available; `none`: unavailable; `basic_text`: Linux without a keyring. */
  keyring?: Keyring;
  isPackaged?: boolean;
  /** false: another instance holds the lock. */
  singleInstanceLock?: boolean;
  /** What `app.getPreferredSystemLanguages()` answers (the double's default: `['en-US']`). */
  systemLanguages?: string[];
  /**
   * `process.resourcesPath` (Electron sets it; Node has none): where a packaged app's app-update.yml
   * and package-type are, which electron-updater reads.
   */
  resourcesPath?: string;
}

export interface Boot {
  /** Electron is ready: the rest of the start-up runs (protocol handler, menu, window, folder). */
  becomeReady(): Promise<FakeBrowserWindow>;
  /** The window the boot made (after `becomeReady`). */
  window(): FakeBrowserWindow;
  /** Invokes a request as the window's renderer does (through the IPC adapter's sender check). */
  request(method: string, params?: unknown): Promise<{ ok: boolean; result?: unknown; error?: unknown }>;
  /** The app's state, as the renderer asks for it. */
  state(): Promise<AppState>;
  /** Quits as Cmd+Q does, and waits until the app has quit. */
  quit(): Promise<void>;
  /** Puts back the process's platform, argv and environment. */
  restore(): void;
}

let boots = 0;

/** Waits, a few milliseconds at a time, until `condition` holds; gives up, naming the condition, after `patienceMs`. */
export async function until(condition: () => boolean | Promise<boolean>, patienceMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    // Far beyond any slow machine: a wait this long is a hang, and the failure says which wait it is.
    if (Date.now() - start > patienceMs) {
      throw new Error(`still waiting after ${patienceMs / 1000} s for: ${condition.toString()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A temporary copy of the project's built app (package.json, out/main, out/preload, out/renderer),
 * its node_modules a link to the project's: what `electron .` runs, in a folder the boots may write.
 */
export function copyBuiltApp(projectDir: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-built-app-'));
  cpSync(path.join(projectDir, 'package.json'), path.join(dir, 'package.json'));
  for (const part of ['main', 'preload', 'renderer']) {
    cpSync(path.join(projectDir, 'out', part), path.join(dir, 'out', part), { recursive: true });
  }
  symlinkSync(path.join(projectDir, 'node_modules'), path.join(dir, 'node_modules'), 'junction');
  return dir;
}

/** A fresh copy of the main process's folder beside it: a new module for every boot, chunks included. */
function freshMainFile(mainFile: string): string {
  const relative = path.relative(os.tmpdir(), mainFile);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`${mainFile} is not in a temporary folder: boot a copy (copyBuiltApp).`);
  }
  const copy = `${path.dirname(mainFile)}-boot-${++boots}`;
  cpSync(path.dirname(mainFile), copy, { recursive: true });
  return path.join(copy, path.basename(mainFile));
}

/** Where a boot publishes the double for the stand-in `electron` package. */
const DOUBLE_KEY = 'mobile-sessions.electron-double';

/**
 * A stand-in `electron` package in an extracted app's node_modules: it exports the double published
 * by the boot, each main-process module as `exports.<name>` (so Node's import of this CommonJS file
 * finds the named exports).
 */
export function writeElectronStandIn(appDir: string): void {
  const dir = path.join(appDir, 'node_modules', 'electron');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'electron', main: 'index.js' })}\n`,
  );
  const names = Object.keys(mainProcessModule());
  writeFileSync(
    path.join(dir, 'index.js'),
    [
      "'use strict';",
      '// A stand-in for the boot test (test/support/bootMain.ts): the electron double, main-process view.',
      `const double = globalThis[Symbol.for(${JSON.stringify(DOUBLE_KEY)})];`,
      "if (!double) throw new Error('electron stand-in: no double was published (boot it with bootMain)');",
      ...names.map((name) => `exports.${name} = double.${name};`),
      '',
    ].join('\n'),
  );
}

/**
 * `require('electron')` from the main file's folder (and its dependencies') gets the double. Also for
 * unit tests of code handed a CommonJS dependency that requires `electron` itself (electron-updater),
 * which Vitest leaves to Node, beyond its alias.
 */
export function primeElectronRequire(mainFile: string): void {
  const id = createRequire(mainFile).resolve('electron');
  const cached = new Module(id);
  cached.filename = id;
  cached.loaded = true;
  cached.exports = mainProcessModule();
  createRequire(mainFile).cache[id] = cached;
}

function setPlatform(platform: NodeJS.Platform): () => void {
  const original = Object.getOwnPropertyDescriptor(process, 'platform') as PropertyDescriptor;
  Object.defineProperty(process, 'platform', { ...original, value: platform });
  return () => Object.defineProperty(process, 'platform', original);
}

export async function bootMain(options: BootOptions): Promise<Boot> {
  const platform = options.platform ?? 'linux';
  resetElectronDouble({ ready: false, platform });
  app.isPackaged = options.isPackaged ?? false;
  app.singleInstanceLock = options.singleInstanceLock ?? true;
  if (options.systemLanguages) app.systemLanguages = options.systemLanguages;
  app.paths.set('logs', path.join(options.dataDir, 'logs'));
  if (options.keyring === 'none') safeStorageState.available = false;
  if (options.keyring === 'basic_text') safeStorageState.backend = 'basic_text';

  const restorePlatform = setPlatform(platform);
  const argv = process.argv;
  const env = process.env.MOBILE_SESSIONS_DATA_DIR;
  const executable = options.isPackaged ? '/opt/Mobile Sessions/mobile-sessions' : '/usr/bin/electron';
  // From source, Electron runs as `electron <app folder> …`: the folder of package.json, above out/main.
  const appPath = options.isPackaged ? [] : [path.resolve(options.mainFile, '../../..')];
  process.argv = [executable, ...appPath, ...(options.args ?? [])];
  process.env.MOBILE_SESSIONS_DATA_DIR = options.dataDir;
  if (options.resourcesPath) {
    Object.defineProperty(process, 'resourcesPath', { value: options.resourcesPath, configurable: true });
  }
  const restore = () => {
    if (options.resourcesPath) Reflect.deleteProperty(process, 'resourcesPath');
    restorePlatform();
    process.argv = argv;
    if (env === undefined) delete process.env.MOBILE_SESSIONS_DATA_DIR;
    else process.env.MOBILE_SESSIONS_DATA_DIR = env;
  };

  try {
    const mainFile = freshMainFile(options.mainFile);
    (globalThis as Record<symbol, unknown>)[Symbol.for(DOUBLE_KEY)] = mainProcessModule();
    primeElectronRequire(mainFile);
    await import(/* @vite-ignore */ pathToFileURL(mainFile).href);
  } catch (error) {
    restore();
    throw error;
  }

  const window = () => {
    const [only, ...others] = FakeBrowserWindow.getAllWindows();
    if (!only || others.length > 0) throw new Error(`${FakeBrowserWindow.all.size} windows, not one`);
    return only;
  };
  const request: Boot['request'] = async (method, params = {}) =>
    (await invokeHandler(IPC.request, trustedEvent(window()), method, params)) as {
      ok: boolean;
      result?: unknown;
      error?: unknown;
    };
  return {
    async becomeReady() {
      app.becomeReady();
      await until(() => FakeBrowserWindow.all.size > 0);
      return window();
    },
    window,
    request,
    state: async () => {
      const answer = await request('getState');
      if (!answer.ok) throw new Error(`getState failed: ${JSON.stringify(answer.error)}`);
      return answer.result as AppState;
    },
    async quit() {
      app.quit();
      await until(() => app.hasQuit);
    },
    restore,
  };
}
