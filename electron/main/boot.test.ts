/**
 * The built main process (out/main/index.js) booted over the electron double: the call order, the
 * window, the app:// files, the IPC surface, the demo with and without a keyring, quitting, a second
 * instance, and the platform calls of Linux, Windows and macOS (test/support/bootScenarios.ts).
 * packaging.test.ts runs the same scenarios on the packed app. Needs `npm run build` first.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { copyBuiltApp } from '../../test/support/bootMain.js';
import { describeBoot } from '../../test/support/bootScenarios.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let appDir: string | null = null;

beforeAll(() => {
  if (!existsSync(path.join(root, 'out/main/index.js'))) {
    throw new Error('out/main/index.js is missing: run `npm run build` first (`npm test` does).');
  }
  appDir = copyBuiltApp(root);
});
afterAll(() => {
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

describeBoot('the built main process (out/)', () => {
  if (!appDir) throw new Error('the built app was not copied');
  return appDir;
});
