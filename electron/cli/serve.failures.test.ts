/**
 * `serve` as a real process when it cannot start: a port in use, a token too short or empty. Each
 * prints one line on stderr (no stack trace) and exits non-zero by itself: nothing it opened
 * (the folder's watcher, the demo's 4D Server double) keeps it alive. `npm test` builds first.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../test/support/fixtures.js';

const CLI = path.resolve('out/node/cli.js');
let dataDir: string;
let blocker: net.Server;
let busyPort: number;

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  dataDir = await makeTempDir('ms-serve-fail-');
  blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  busyPort = (blocker.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => blocker.close(resolve));
  await removeDir(dataDir);
});

/** Runs `serve` and waits for it to exit by itself (the test's own timeout is the only limit). */
function serve(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'serve', ...args], {
      env: { ...process.env, MOBILE_SESSIONS_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const errorLines = (stderr: string) =>
  stderr.split('\n').filter((line) => line.startsWith('mobile-sessions:') || /^\s+at /.test(line));

describe('serve refuses to start', () => {
  it('on a port in use, with the demo open: one line, exit 1, and the process ends', async () => {
    const result = await serve(['--demo', '--port', String(busyPort)]);
    expect(result.code).toBe(1);
    expect(errorLines(result.stderr)).toEqual([
      `mobile-sessions: Port ${busyPort} is already in use on 127.0.0.1: choose another with --port (0 picks a free one).`,
    ]);
    expect(result.stdout).toBe('');
  });

  it.each([
    ['a short', 'abc123'],
    ['an empty', ''],
  ])('with %s --token', async (_kind, token) => {
    const result = await serve(['--demo', '--port', '0', '--token', token]);
    expect(result.code).not.toBe(0);
    expect(errorLines(result.stderr)).toEqual([
      'mobile-sessions: --token must be at least 16 characters (anyone who guesses it can change sessions); leave it out for a random one.',
    ]);
    expect(result.stdout).toBe('');
  });
});
