/**
 * Issue 13.8: `watch`, the built command as a real process, outlives its folder: moved away, it
 * says so on stderr and waits (it used to end ~115 ms later with exit 13 and no word); back, it
 * carries on and prints the next change. With native watching and with --polling.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, writeSession } from '../../test/support/fixtures.js';

const CLI = path.resolve('out/node/cli.js');

let base: string;
let child: ChildProcess | null = null;

beforeEach(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
  base = await makeTempDir('ms-watch-');
});
afterEach(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  child = null;
  await removeDir(base);
});

async function waitFor(predicate: () => boolean, what: () => string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`not reached in time: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each([[[] as string[]], [['--polling']]])('watch %j', (extra) => {
  it('waits while the folder is gone and carries on when it is back', async () => {
    const root = path.join(base, 'MobileApps');
    const away = path.join(base, 'moved-away');
    await writeSession(root);
    let stdout = '';
    let stderr = '';
    let exit: number | null | undefined;
    const proc = spawn(process.execPath, [CLI, 'watch', root, ...extra], {
      env: { ...process.env, MOBILE_SESSIONS_DATA_DIR: path.join(base, 'data') },
    });
    child = proc;
    proc.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    proc.on('exit', (code) => {
      exit = code;
    });
    const seen = () => `stdout: ${stdout}\nstderr: ${stderr}\nexit: ${exit}`;
    await waitFor(() => /\[(watching|polling)\]/.test(stdout), seen);

    await fs.rename(root, away);
    await waitFor(() => stderr.includes('[root-missing]'), seen);
    // Still running well after the moment it used to end.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(exit, seen()).toBeUndefined();

    await fs.rename(away, root);
    await waitFor(() => /\[(watching|polling)\][^\n]*\n[\s\S]*\[(watching|polling)\]/.test(stdout), seen);
    const added = await writeSession(root);
    await waitFor(() => stdout.includes(`+ ${added.ref}`), seen);

    proc.kill('SIGINT');
    await waitFor(() => exit !== undefined, seen);
    expect(exit, seen()).toBe(0);
  });
});
