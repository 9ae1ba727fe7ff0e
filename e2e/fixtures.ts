/**
 * One fixture, two front doors: `web` starts the browser mode (`mobile-sessions serve --double`) on a
 * fresh demo folder and drives it in Chromium; `electron` launches the built app (`electron . <folder>
 * --double`) with the same folder, where the Electron binary exists, and skips (saying why) where it
 * does not. Both push to a 4D Server double.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { _electron, test as base, type ElectronApplication, type Page } from '@playwright/test';
import {
  addCleanupCases,
  type CleanupCaseCounts,
  type CleanupCasesWritten,
} from '../electron/services/demo/cleanupCases.js';

const PROJECT = path.resolve('.');
const CLI = path.join(PROJECT, 'out/node/cli.js');
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
  /** A second folder the app may open (the browser mode allows it too); the test creates it if it needs it. */
  secondRoot: string;
  dataDir: string;
  door: 'web' | 'electron';
  /** Runs the CLI against the same data directory (to prepare or inspect). */
  cli: (...args: string[]) => string;
  /** The known clean-up cases written into the demo (`test.use({ cleanupCases })`), else null. */
  cleanupCases: CleanupCasesWritten | null;
}

export interface AppOptions {
  /** Adds known clean-up cases to the demo folder before the app opens it (docs/cleanup.md). */
  cleanupCases: CleanupCaseCounts | null;
  /**
   * The language of the system the app runs on (a BCP 47 tag such as `fr-FR`), else the machine's:
   * the browser's locale in the web project, the locale environment of the Electron process.
   */
  systemLanguage: string | null;
  /**
   * The web door only: the browser's WebSocket to the server fails, as behind a proxy that passes
   * HTTP only (a Playwright route closes it; the server is not involved), so the page must use HTTP.
   */
  refuseRequestSocket: boolean;
}

/** The locale variables an Electron process on Linux reads its preferred languages from. */
const localeEnv = (tag: string | null): Record<string, string> => {
  if (!tag) return {};
  const posix = tag.replace('-', '_');
  return { LANGUAGE: posix, LANG: `${posix}.UTF-8`, LC_ALL: `${posix}.UTF-8` };
};

/**
 * The environment of the app and the CLI: the test's data directory, and an OS trash of its own
 * beside it (the `trash` package reads XDG_DATA_HOME), so what a spec moves to the Trash goes with
 * the test's folder instead of piling up in the user's Trash.
 */
const doorEnv = (dataDir: string) => ({
  ...process.env,
  MOBILE_SESSIONS_DATA_DIR: dataDir,
  XDG_DATA_HOME: path.join(path.dirname(dataDir), 'xdg-data'),
});

function startServe(
  root: string,
  secondRoot: string,
  dataDir: string,
): Promise<{ url: string; child: ChildProcess }> {
  const args = [CLI, 'serve', root, '--port', '0', '--double', '--allow-root', secondRoot];
  const child = spawn(process.execPath, args, {
    env: doorEnv(dataDir),
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

export const test = base.extend<{ app: AppFixture } & AppOptions>({
  cleanupCases: [null, { option: true }],
  systemLanguage: [null, { option: true }],
  refuseRequestSocket: [false, { option: true }],
  app: async ({ browser, cleanupCases, systemLanguage, refuseRequestSocket }, use, testInfo) => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
    const door = testInfo.project.name === 'electron' ? 'electron' : 'web';
    const binary = door === 'electron' ? electronBinary() : null;
    if (door === 'electron' && !binary) {
      const reason =
        'the Electron binary is not installed here (its download failed or was skipped); the web project runs the same specs';
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
    const secondRoot = path.join(work, 'Second', 'MobileApps');
    const dataDir = path.join(work, 'data');
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [CLI, ...args], {
        env: doorEnv(dataDir),
        encoding: 'utf8',
      });
    cli('demo', root, '--apps', '4', '--sessions', '120', '--seed', '3', '--with-problems');
    // The cases are added as the demo generator adds them (`writeDemoFolder({ cleanupCases })`),
    // new ids kept clear of the session ids the demo wrote.
    const usedIds = new Set(
      readdirSync(root, { recursive: true }).map((file) => path.basename(String(file))),
    );
    const written = cleanupCases ? await addCleanupCases(root, cleanupCases, 3, usedIds) : null;

    let page: Page;
    let electronApp: ElectronApplication | null = null;
    let server: ChildProcess | null = null;
    if (door === 'electron') {
      electronApp = await _electron.launch({
        // The app folder, as `npm start` runs it: app.name is the product's ("Electron" for
        // out/main/index.js, with its profile and single-instance lock in ~/.config/Electron).
        // No executablePath: Playwright then finds Electron itself and injects its loader, which it
        // does not do for an executablePath. --double: a 4D Server double to push to, as the web door's.
        args: ['.', root, '--double'],
        cwd: PROJECT,
        env: { ...doorEnv(dataDir), ...localeEnv(systemLanguage) },
      });
      page = await electronApp.firstWindow();
    } else {
      const started = await startServe(root, secondRoot, dataDir);
      server = started.child;
      const context = await browser.newContext({
        permissions: ['clipboard-read', 'clipboard-write'],
        ...(systemLanguage ? { locale: systemLanguage } : {}),
      });
      if (refuseRequestSocket) await context.routeWebSocket('**/api/socket', (socket) => socket.close());
      page = await context.newPage();
      await page.goto(started.url);
    }
    try {
      await use({ page, root, secondRoot, dataDir, door, cli, cleanupCases: written });
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
