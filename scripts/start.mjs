#!/usr/bin/env node
// `npm start [-- <MobileApps folder> | --demo] [--no-build]`: builds (unless --no-build), then starts
// the desktop app. Where the Electron binary is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD,
// or its download failed), it starts the browser mode instead, on the folder or the demo, prints
// its URL and opens it in a browser where there is a desktop.
//
// npm runs this in the project folder: a relative folder is resolved against the folder npm was
// started from (INIT_CWD), as the admin typed it. ELECTRON_RUN_AS_NODE is not passed on (Electron
// would run as plain Node and never open a window), and Electron's end is ours: its exit code, or
// the same signal when a signal ended it.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const given = process.argv.slice(2);
const build = !given.includes('--no-build');
const invokedFrom = process.env.INIT_CWD ?? process.cwd();
const args = given
  .filter((arg) => arg !== '--no-build')
  .map((arg) => (arg.startsWith('-') ? arg : path.resolve(invokedFrom, arg)));

function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

if (build) {
  // Through a shell on Windows, where npm is a .cmd file that Node no longer spawns directly.
  const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const binary = electronBinary();
if (!binary) await startBrowserMode();

/**
 * Without the Electron binary (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or its download
 * failed), the same UI in the browser mode: `mobile-sessions serve` on the folder given, or on the
 * demo when none is, its URL printed and opened in a browser where there is one. Never returns.
 */
async function startBrowserMode() {
  const folder = args.find((arg) => !arg.startsWith('-'));
  const serveArgs = folder
    ? ['serve', folder, ...args.filter((arg) => arg === '--polling')]
    : ['serve', '--demo'];
  console.error(
    'The Electron binary is not installed on this machine (reinstall without ELECTRON_SKIP_BINARY_DOWNLOAD to get it): starting the browser mode, the same UI in a browser.',
  );
  const cli = fileURLToPath(new URL('../out/node/cli.js', import.meta.url));
  const serve = spawn(process.execPath, [cli, ...serveArgs], { stdio: ['inherit', 'pipe', 'inherit'] });
  let printed = '';
  serve.stdout.on('data', (chunk) => {
    process.stdout.write(chunk);
    if (printed === null) return;
    printed += chunk;
    const url = /https?:\/\/\S+/.exec(printed)?.[0];
    if (url) {
      printed = null;
      openBrowser(url);
    }
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => serve.kill(signal));
  const [code] = await new Promise((resolve) => serve.on('exit', (...end) => resolve(end)));
  process.exit(code ?? 0);
}

/** Opens the URL in the desktop's browser, where there is a desktop; says so where there is not. */
function openBrowser(url) {
  const headless =
    process.env.MOBILE_SESSIONS_NO_BROWSER === '1' ||
    process.env.CI === 'true' ||
    (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY);
  if (headless) {
    console.error('No desktop to open a browser on: open the URL above in a browser.');
    return;
  }
  const [command, commandArgs] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]]
        : ['xdg-open', [url]];
  const opener = spawn(command, commandArgs, { stdio: 'ignore', detached: true });
  opener.on('error', () => console.error('Could not open a browser: open the URL above in a browser.'));
  opener.unref();
}

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE;
const child = spawn(binary, ['.', ...args], { stdio: 'inherit', env });
// A terminal's Ctrl+C reaches both; a signal sent to this process alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  if (signal) {
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(name);
    process.kill(process.pid, signal);
    return;
  }
  process.exit(code ?? 1);
});
