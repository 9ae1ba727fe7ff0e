#!/usr/bin/env node
// The project's own postinstall: fetches the Electron binary with Electron's own installer
// (node_modules/electron/install.js, which honours ELECTRON_SKIP_BINARY_DOWNLOAD, its mirrors and
// its cache) and carries on when that fails. Electron's package has no install script of its own
// here (package.json `allowScripts`): when its download fails, npm would roll the whole install back.
// Without the binary, `npm start` opens the browser mode, the same UI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function electronInstaller() {
  try {
    return path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    return null; // installed without devDependencies (npm install --omit=dev): nothing to fetch
  }
}

const installer = electronInstaller();
if (!installer || !existsSync(installer)) process.exit(0);
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log(
    'mobile-sessions: ELECTRON_SKIP_BINARY_DOWNLOAD is set: the desktop app is not installed; `npm start` opens the browser mode.',
  );
  process.exit(0);
}
const result = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), encoding: 'utf8' });
if (result.status === 0) process.exit(0);
const reason =
  `${result.stderr ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /error/i.test(line) && !line.startsWith('at ')) ?? `exit code ${result.status}`;
console.warn(
  `mobile-sessions: the Electron binary could not be downloaded (${reason}). The install goes on: \`npm start\` opens the browser mode, the same UI in a browser. To get the desktop app later: node node_modules/electron/install.js`,
);
process.exit(0);
