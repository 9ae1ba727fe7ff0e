#!/usr/bin/env node
// `npm start [-- <MobileApps folder> | --demo]`: builds, then starts the desktop app. Where the
// Electron binary is missing (installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or its download
// failed), it says so and names the browser mode instead of failing with a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

// Through a shell on Windows, where npm is a .cmd file that Node no longer spawns directly.
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);

const binary = electronBinary();
if (!binary) {
  const folder = args.find((arg) => !arg.startsWith('-'));
  const serve = folder
    ? `npx mobile-sessions serve ${JSON.stringify(folder)}`
    : 'npx mobile-sessions serve --demo';
  console.error(
    `The Electron binary is not installed on this machine (reinstall without ELECTRON_SKIP_BINARY_DOWNLOAD to get it); meanwhile run the browser mode: ${serve}`,
  );
  process.exit(1);
}
const child = spawn(binary, ['.', ...args], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
