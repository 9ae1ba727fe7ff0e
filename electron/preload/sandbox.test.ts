/**
 * The built preload (out/preload/index.cjs, what the window loads) run as Electron 41's sandbox
 * runs it: wrapped, compiled in a page's global without Node, with a `require` that knows only the
 * sandbox's modules. It must load there, ask only for those modules, and expose the bridge.
 * Needs the build output: `npm test` runs `npm run build` first.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { IPC, REQUEST_NAMES } from '../../shared/ipc.js';
import {
  contextBridge,
  emitToRenderer,
  ipcRenderer,
  resetElectronDouble,
  webUtils,
} from '../../test/support/electronDouble.js';
import { runSandboxedPreload, SANDBOX_MODULES } from '../../test/support/sandboxedPreload.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BUILT_PRELOAD = path.join(root, 'out/preload/index.cjs');
/** `electron` as a sandboxed preload sees it: the renderer's modules. */
const rendererElectron = { contextBridge, ipcRenderer, webUtils };
const scratch = mkdtempSync(path.join(os.tmpdir(), 'ms-preload-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function builtPreload(): string {
  if (!existsSync(BUILT_PRELOAD))
    throw new Error(`${BUILT_PRELOAD} is missing: run \`npm run build\` first.`);
  return BUILT_PRELOAD;
}

/** A preload file with this text, to show what the sandbox refuses. */
function preloadWith(name: string, text: string): string {
  const file = path.join(scratch, name);
  writeFileSync(file, text);
  return file;
}

beforeEach(() => resetElectronDouble());

describe('the built preload in the sandbox', () => {
  it('loads, asks only for modules the sandbox has, and exposes exactly the bridge', () => {
    const { required, global } = runSandboxedPreload(builtPreload(), rendererElectron);
    expect(required.length).toBeGreaterThan(0);
    for (const name of required) expect(SANDBOX_MODULES, name).toContain(name);
    expect([...contextBridge.exposed.keys()]).toEqual(['mobileSessions']);
    const bridge = contextBridge.exposed.get('mobileSessions') as Record<string, unknown>;
    expect(Object.keys(bridge)).toEqual(
      expect.arrayContaining([...REQUEST_NAMES, 'onEvent', 'rendererReady']),
    );
    // Nothing leaks onto the page's global but through the bridge.
    expect(Object.keys(global).sort()).toEqual([
      'URL',
      'clearTimeout',
      'console',
      'queueMicrotask',
      'setTimeout',
    ]);
  });

  it('holds what main sends before the page subscribes', async () => {
    runSandboxedPreload(builtPreload(), rendererElectron);
    const bridge = contextBridge.exposed.get('mobileSessions') as {
      onMenuCommand(listener: (message: unknown) => void): () => void;
    };
    emitToRenderer(IPC.menuCommand, { command: 'show-problems' });
    const seen: unknown[] = [];
    bridge.onMenuCommand((message) => seen.push(message));
    await Promise.resolve();
    expect(seen).toEqual([{ command: 'show-problems' }]);
  });

  it('refuses what the sandbox refuses: a Node module, an ES module, Node globals', () => {
    const fs = preloadWith('fs.cjs', "require('node:fs');\n");
    expect(() => runSandboxedPreload(fs, rendererElectron)).toThrow('module not found: node:fs');
    const esm = preloadWith('esm.mjs', "import { contextBridge } from 'electron';\n");
    expect(() => runSandboxedPreload(esm, rendererElectron)).toThrow(
      'Cannot use import statement outside a module',
    );
    const dirname = preloadWith('dirname.cjs', 'module.exports = __dirname;\n');
    expect(() => runSandboxedPreload(dirname, rendererElectron)).toThrow('__dirname is not defined');
    const allowed = preloadWith(
      'allowed.cjs',
      "require('events'); require('node:timers'); require('url');\n",
    );
    expect(runSandboxedPreload(allowed, rendererElectron).required).toEqual(['events', 'node:timers', 'url']);
  });
});
