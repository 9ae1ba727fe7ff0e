/**
 * The built command (`npx mobile-sessions`, out/node/cli.js) run as a real process, as admins and
 * scripts run it. `npm test` builds before it tests.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IOS_FOLDER, makeTempDir, removeDir, writeSession } from '../../test/support/fixtures.js';

const CLI = path.resolve('out/node/cli.js');
const run = promisify(execFile);

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
});

let root: string;
let dataDir: string;
beforeEach(async () => {
  root = await makeTempDir();
  dataDir = await makeTempDir('ms-data-');
});
afterEach(async () => {
  await removeDir(root);
  await removeDir(dataDir);
});

const env = () => ({ ...process.env, MOBILE_SESSIONS_DATA_DIR: dataDir });

/** Runs the CLI, as an unprivileged user when the tests run as root (permissions mean nothing to root). */
async function cliAsUser(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot ? 'setpriv' : process.execPath;
  const prefix = asRoot ? ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath] : [];
  try {
    const { stdout, stderr } = await run(command, [...prefix, CLI, ...args], { env: env() });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('the built mobile-sessions command', () => {
  it('writes a demo folder and lists it, as the README says', async () => {
    const demo = path.join(root, 'MobileApps');
    const made = await run(process.execPath, [CLI, 'demo', demo, '--sessions', '300', '--with-problems'], {
      env: env(),
    });
    expect(made.stdout).toMatch(/300 sessions, 6 broken files/);
    const { stdout } = await run(process.execPath, [CLI, 'list', demo, '--json'], {
      env: env(),
      maxBuffer: 64e6,
    });
    const listed = JSON.parse(stdout);
    expect(
      listed.apps.reduce((n: number, a: { counts: { sessions: number } }) => n + a.counts.sessions, 0),
    ).toBe(303);
    expect(listed.problems.map((p: { code: string }) => p.code).sort()).toEqual(
      ['location', 'malformed', 'schema', 'symlink', 'token', 'too-large'].sort(),
    );
  });

  it('stops quietly when its output pipe closes early', async () => {
    const demo = path.join(root, 'MobileApps');
    await run(process.execPath, [CLI, 'demo', demo, '--sessions', '3000'], { env: env() });
    const child = spawn(process.execPath, [CLI, 'list', demo], {
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('reports a file it may not read as unreadable, and still lists the rest', async () => {
    const readable = await writeSession(root);
    const locked = await writeSession(root);
    await fs.chmod(root, 0o755);
    await fs.chmod(locked.file, 0o000);
    await fs.chmod(dataDir, 0o777);
    const result = await cliAsUser(['check', root, '--json']);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toEqual([
      {
        path: locked.ref,
        code: 'unreadable',
        mobi: null,
        message: expect.stringMatching(/permission denied/),
      },
    ]);
    const list = await cliAsUser(['list', root, '--json']);
    expect(JSON.parse(list.stdout).apps[0].sessions.map((s: { ref: string }) => s.ref)).toEqual([
      readable.ref,
    ]);
  });

  it('changes nothing and says why when it may not write', async () => {
    const session = await writeSession(root, { status: 'pending' });
    await fs.chmod(root, 0o755);
    await fs.chmod(path.join(root, IOS_FOLDER), 0o755);
    await fs.chmod(session.file, 0o644); // readable, not writable by others, in a folder they cannot write
    await fs.chmod(dataDir, 0o777);
    const before = await fs.readFile(session.file);
    const result = await cliAsUser(['accept', root, session.ref]);
    expect(result.code).toBe(1);
    // The reason is an error: stderr (issue 13, item 7); stdout carries results only.
    expect(result.stderr).toMatch(/not changed: Could not .*permission denied/);
    expect(result.stdout).not.toMatch(/permission denied/);
    expect(await fs.readFile(session.file)).toEqual(before);
    expect(await fs.readdir(path.join(root, IOS_FOLDER))).toEqual([session.id]);
  });
});
