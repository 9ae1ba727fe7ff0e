/**
 * One fixture, two front doors: `web` starts the browser mode (`mobile-sessions serve`) on a fresh
 * demo folder and drives it in Chromium; `electron` launches the built app with the same folder,
 * where the Electron binary exists, and skips (saying why) where it does not.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test';

const CLI = path.resolve('out/node/cli.js');
const require = createRequire(import.meta.url);

export function electronBinary(): string | null {
  try {
    const binary = require('electron') as unknown;
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

export interface AppFixture {
  page: Page;
  /** The demo MobileApps folder the app has open. */
  root: string;
  dataDir: string;
  door: 'web' | 'electron';
  /** Runs the CLI against the same data directory (to prepare or inspect). */
  cli: (...args: string[]) => string;
}

function startServe(root: string, dataDir: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [CLI, 'serve', root, '--port', '0', '--double'], {
    env: { ...process.env, MOBILE_SESSIONS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
      const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(output)?.[0];
      if (url) resolve({ url, child });
    });
    child.stderr?.on('data', (chunk) => process.stderr.write(chunk));
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
  });
}

export const test = base.extend<{ app: AppFixture }>({
  app: async ({ browser }, use, testInfo) => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
    const door = testInfo.project.name === 'electron' ? 'electron' : 'web';
    const binary = door === 'electron' ? electronBinary() : null;
    if (door === 'electron' && !binary) {
      const reason =
        'the Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); the web project runs the same specs';
      console.log(`Skipping "${testInfo.title}" in the electron project: ${reason}.`);
      testInfo.skip(true, reason);
    }
    // The README's picture shows the folder's path: `npm run screenshot` uses a clean, stable one.
    const stable =
      process.env.MOBILE_SESSIONS_SCREENSHOT === '1' ? path.join(os.tmpdir(), 'Mobile Sessions demo') : null;
    if (stable) rmSync(stable, { recursive: true, force: true });
    if (stable) mkdirSync(stable);
    const work = stable ?? mkdtempSync(path.join(os.tmpdir(), 'ms-e2e-'));
    const root = path.join(work, 'MobileApps');
    const dataDir = path.join(work, 'data');
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [CLI, ...args], {
        env: { ...process.env, MOBILE_SESSIONS_DATA_DIR: dataDir },
        encoding: 'utf8',
      });
    cli('demo', root, '--apps', '4', '--sessions', '120', '--seed', '3', '--with-problems');

    let page: Page;
    let electronApp: ElectronApplication | null = null;
    let server: ChildProcess | null = null;
    if (door === 'electron') {
      electronApp = await _electron.launch({
        executablePath: binary as string,
        args: ['out/main/index.js', root],
        env: { ...process.env, MOBILE_SESSIONS_DATA_DIR: dataDir },
      });
      page = await electronApp.firstWindow();
    } else {
      const started = await startServe(root, dataDir);
      server = started.child;
      const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
      page = await context.newPage();
      await page.goto(started.url);
    }
    try {
      await use({ page, root, dataDir, door, cli });
    } finally {
      await electronApp?.close();
      await page
        .context()
        .close()
        .catch(() => {});
      if (server && server.exitCode === null) {
        const exited = new Promise((resolve) => server?.once('exit', resolve));
        server.kill('SIGINT');
        await exited; // it saves its cache on the way out
      }
      rmSync(work, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';
