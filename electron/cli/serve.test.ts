/**
 * `mobile-sessions serve --demo` through the CLI function, with Ctrl+C in the test's hands: it
 * prints one line with the URL and its token, and that URL serves the built UI and the contract.
 * Needs the built renderer (out/renderer): `npm test` builds before it tests.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AppState, AppSummary, Envelope } from '../../shared/contract.js';
import { makeTempDir, removeDir } from '../../test/support/fixtures.js';
import { DEMO_OPTIONS } from '../services/demo/demoFolder.js';
import { type CliIo, EXIT, runCli } from './program.js';

// The serve command looks for the built renderer next to the built CLI (out/node/cli.js → out/renderer).
// Run from source its own file is electron/cli/serve.ts, so the test places it where the
// build puts it; everything else about the command runs as shipped.
vi.mock('node:url', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:url')>();
  const nodePath = await import('node:path');
  const fileURLToPath = (url: string | URL) => {
    const file = actual.fileURLToPath(url);
    return file.endsWith(nodePath.join('electron', 'cli', 'serve.ts'))
      ? nodePath.resolve('out', 'node', 'cli.js')
      : file;
  };
  return { ...actual, default: { ...actual, fileURLToPath }, fileURLToPath };
});

const BUILT_INDEX = path.resolve('out/renderer/index.html');

beforeAll(() => {
  if (!existsSync(BUILT_INDEX)) {
    throw new Error(
      `${BUILT_INDEX} is missing: run "npm run build" first (npm test builds before it tests).`,
    );
  }
});

let dataDir: string | null = null;
afterEach(async () => {
  if (dataDir) await removeDir(dataDir);
  dataDir = null;
});

/** Runs `serve` with an io whose Ctrl+C the test presses; resolves with the first line printed. */
function startServe(args: string[], env: NodeJS.ProcessEnv) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let interrupt = () => {};
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  let printed: (line: string) => void = () => {};
  const firstLine = new Promise<string>((resolve) => {
    printed = resolve;
  });
  const io: CliIo = {
    stdout: (text) => {
      stdout.push(text);
      printed(text);
    },
    stderr: (text) => stderr.push(text),
    env,
    untilInterrupted: () => interrupted,
  };
  const exit = runCli(['serve', ...args], io);
  const line = Promise.race([
    firstLine,
    exit.then((code) => {
      throw new Error(`serve ended (exit ${code}) before printing its URL: ${stderr.join('')}`);
    }),
  ]);
  line.catch(() => {}); // awaited by the tests that expect a line; the others look at `exit`
  return { line, exit, interrupt, stdout, stderr };
}

describe('mobile-sessions serve', () => {
  it('--demo --port 0 prints one line with the URL and token; the URL works; Ctrl+C stops it', async () => {
    dataDir = await makeTempDir('ms-serve-data-');
    const serve = startServe(['--demo', '--port', '0'], {
      ...process.env,
      MOBILE_SESSIONS_DATA_DIR: dataDir,
    });
    const line = await serve.line;
    expect(line).toMatch(
      /^Mobile Sessions is running at http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}\n$/,
    );
    const url = new URL((/http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(line) as RegExpExecArray)[0]);
    const token = url.searchParams.get('token') as string;

    // The printed URL opens the built UI and hands the browser its cookie.
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(readFileSync(BUILT_INDEX, 'utf8'));
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly/i);

    // The contract answers with the token, and the demo folder is open.
    const call = async <T>(method: string, params: unknown = {}) => {
      const response = await fetch(new URL(`/api/${method}`, url), {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(params),
      });
      expect(response.status).toBe(200);
      const envelope = (await response.json()) as Envelope<T>;
      if (!envelope.ok) throw new Error(envelope.error.message);
      return envelope.result;
    };
    const state = await call<AppState>('getState');
    expect(state).toMatchObject({
      root: path.join(dataDir, 'demo', 'MobileApps'),
      demo: true,
      platform: 'browser',
      revealKind: 'path',
    });
    const apps = await call<AppSummary[]>('listApps');
    expect(apps).toHaveLength(DEMO_OPTIONS.apps);
    expect((await fetch(new URL('/api/getState', url), { method: 'POST' })).status).toBe(401);

    expect(serve.stdout).toHaveLength(1);
    // stderr is for notes (the demo's 4D Server double), never a warning or an error here.
    expect(serve.stderr.join('')).not.toMatch(/warning|error|unexpected/i);
    serve.interrupt();
    expect(await serve.exit).toBe(EXIT.ok);
    await expect(fetch(url)).rejects.toThrow();
  });

  it('refuses a port out of range, saying why', async () => {
    dataDir = await makeTempDir('ms-serve-data-');
    const serve = startServe(['--demo', '--port', '70000'], {
      ...process.env,
      MOBILE_SESSIONS_DATA_DIR: dataDir,
    });
    expect(await serve.exit).toBe(EXIT.failure);
    expect(serve.stderr.join('')).toMatch(/--port must be a number from 0 to 65535/);
    expect(serve.stdout).toEqual([]);
  });
});
