/**
 * `npm start` (scripts/start.mjs), with a stand-in Electron (electron's own ELECTRON_OVERRIDE_DIST_PATH
 * points `require('electron')` at it; the real binary cannot be downloaded here) and `--no-build`:
 * a relative folder is the one the admin meant (npm's INIT_CWD), ELECTRON_RUN_AS_NODE does not reach
 * Electron, and Electron's exit code or signal is the script's own. Without the binary, the browser
 * mode starts on the folder (or the demo) and its page answers. `npm test` builds first.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
let sandbox: string;
let fakeElectron: string;
const record = () => path.join(sandbox, 'electron-run.json');

beforeAll(() => {
  sandbox = mkdtempSync(path.join(os.tmpdir(), 'ms-start-'));
  // What Electron was given, then the end the test asks for.
  const script = `#!${process.execPath}
require('node:fs').writeFileSync(process.env.FAKE_RECORD, JSON.stringify({
  args: process.argv.slice(2),
  cwd: process.cwd(),
  runAsNode: process.env.ELECTRON_RUN_AS_NODE ?? null,
}));
if (process.env.FAKE_SIGNAL) process.kill(process.pid, process.env.FAKE_SIGNAL);
else process.exit(Number(process.env.FAKE_EXIT ?? 0));
`;
  writeFileSync(path.join(sandbox, 'electron'), script);
  chmodSync(path.join(sandbox, 'electron'), 0o755);
  // require('electron') gives <ELECTRON_OVERRIDE_DIST_PATH>/electron.
  fakeElectron = sandbox;
});
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

function start(args: string[], env: Record<string, string | undefined> = {}) {
  rmSync(record(), { force: true });
  const result = spawnSync(process.execPath, ['scripts/start.mjs', '--no-build', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: fakeElectron,
      FAKE_RECORD: record(),
      INIT_CWD: '/srv/4d',
      ...env,
    },
  });
  let run: { args: string[]; cwd: string; runAsNode: string | null } | null = null;
  try {
    run = JSON.parse(readFileSync(record(), 'utf8'));
  } catch {
    run = null;
  }
  return { status: result.status, signal: result.signal, stderr: result.stderr, run };
}

describe('npm start (scripts/start.mjs)', () => {
  it('starts the app folder with the folder the admin typed, resolved where npm was started', () => {
    const { status, run } = start(['MobileApps', '--demo', '/abs/Other'], { ELECTRON_RUN_AS_NODE: '1' });
    expect(status).toBe(0);
    expect(run).toEqual({
      args: ['.', '/srv/4d/MobileApps', '--demo', '/abs/Other'],
      cwd: root.replace(/\/$/, ''),
      runAsNode: null,
    });
  });

  it('ends as Electron ended: its exit code, or its signal', () => {
    expect(start([], { FAKE_EXIT: '3' }).status).toBe(3);
    const killed = start([], { FAKE_SIGNAL: 'SIGTERM' });
    expect(killed).toMatchObject({ status: null, signal: 'SIGTERM' });
  });

  it('starts the browser mode on the folder, with its URL, where the Electron binary is missing', async () => {
    const folder = path.join(sandbox, 'MobileApps');
    mkdirSync(path.join(folder, 'UTT7VDX8W5.com.acme.contacts'), { recursive: true });
    const started = await startAndFetch(['MobileApps'], { INIT_CWD: sandbox });
    expect(started.page).toMatch(/<div id="root">/);
    expect(started.stderr).toContain('starting the browser mode');
    expect(started.stderr).toContain('No desktop to open a browser on');
    expect(started.state).toMatchObject({ root: folder, demo: false });
  });

  it('starts the browser mode on the demo when no folder is given', async () => {
    const started = await startAndFetch([], {});
    expect(started.state).toMatchObject({ demo: true });
  });
});

/**
 * Runs `npm start` without an Electron binary until it prints its URL, loads the page and asks the
 * engine for its state through the browser mode's API, then stops it (and waits for its end).
 */
async function startAndFetch(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ['scripts/start.mjs', '--no-build', ...args], {
    cwd: root,
    env: {
      ...process.env,
      ELECTRON_OVERRIDE_DIST_PATH: path.join(sandbox, 'none'),
      MOBILE_SESSIONS_DATA_DIR: mkdtempSync(path.join(sandbox, 'data-')),
      MOBILE_SESSIONS_NO_BROWSER: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk;
        const found = /http:\/\/\S+/.exec(out)?.[0];
        if (found) resolve(found);
      });
      child.once('exit', (code) => reject(new Error(`npm start ended (${code}) before its URL: ${stderr}`)));
    });
    const page = await (await fetch(url)).text();
    const token = new URL(url).searchParams.get('token');
    const state = await (
      await fetch(new URL('/api/getState', url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      })
    ).json();
    return { page, stderr, state: (state as { result: unknown }).result };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}
