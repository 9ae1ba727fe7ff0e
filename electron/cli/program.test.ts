import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IOS_FOLDER, makeTempDir, removeDir, writeFile, writeSession } from '../../test/support/fixtures.js';
import { EXIT, runCli } from './program.js';

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

let interrupt: () => void = () => {};

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { ...process.env, MOBILE_SESSIONS_DATA_DIR: dataDir },
    untilInterrupted: () =>
      new Promise<void>((resolve) => {
        interrupt = resolve;
      }),
  });
  return { code, stdout, stderr };
}

describe('mobile-sessions list', () => {
  it('prints the documented JSON shape', async () => {
    const { ref, id } = await writeSession(root, { status: 'pending' });
    await writeFile(root, IOS_FOLDER, 'abcdef', '{broken');
    const { code, stdout } = await cli('list', root, '--json');
    expect(code).toBe(EXIT.ok);
    const out = JSON.parse(stdout);
    expect(out.root).toBe(root);
    expect(out.apps).toHaveLength(1);
    expect(Object.keys(out.apps[0]).sort()).toEqual(
      ['bundleId', 'counts', 'folder', 'name', 'platform', 'sessions', 'teamId'].sort(),
    );
    expect(out.apps[0].counts).toEqual({ sessions: 1, pending: 1, problems: 1 });
    const session = out.apps[0].sessions[0];
    for (const key of [
      'ref',
      'id',
      'status',
      'email',
      'device',
      'application',
      'language',
      'session',
      'firstSeen',
      'modified',
      'problems',
    ]) {
      expect(session).toHaveProperty(key);
    }
    expect(session).toMatchObject({ ref, id, status: 'pending', problems: [] });
    expect(out.problems).toEqual([
      { path: `${IOS_FOLDER}/abcdef`, code: 'malformed', mobi: 2, message: expect.any(String) },
    ]);
  });

  it('filters by app and status, and prints a readable table by default', async () => {
    await writeSession(root, { status: 'pending', email: 'pending@example.com' });
    await writeSession(root, { status: 'accepted', email: 'ok@example.com' });
    const pending = await cli('list', root, '--status', 'pending');
    expect(pending.stdout).toContain('pending@example.com');
    expect(pending.stdout).not.toContain('ok@example.com');
    expect(pending.stdout).toMatch(
      /Contact \(UTT7VDX8W5\.com\.contactApp\.Contact\) — ios, team UTT7VDX8W5: 2 sessions, 1 pending/,
    );
    expect((await cli('list', root, '--app', 'nope')).code).toBe(EXIT.failure);
  });

  it('gives exit 2 on usage errors and 1 with a clear message on a missing folder', async () => {
    expect((await cli('list')).code).toBe(EXIT.usage);
    expect((await cli('list', root, '--status', 'maybe')).code).toBe(EXIT.usage);
    expect((await cli('frobnicate')).code).toBe(EXIT.usage);
    const missing = await cli('list', path.join(root, 'nope'));
    expect(missing.code).toBe(EXIT.failure);
    expect(missing.stderr).toMatch(/does not exist/);
  });
});

describe('mobile-sessions check', () => {
  it('exits 3 and lists the problems, 0 when there are none', async () => {
    await writeSession(root);
    expect((await cli('check', root)).code).toBe(EXIT.ok);
    await writeFile(root, IOS_FOLDER, 'abcdef', '[]');
    const { code, stdout } = await cli('check', root, '--json');
    expect(code).toBe(EXIT.problems);
    expect(JSON.parse(stdout)).toEqual([
      { path: `${IOS_FOLDER}/abcdef`, code: 'malformed', mobi: 2, message: expect.any(String) },
    ]);
  });
});

describe('mobile-sessions accept / pend / delete / undo / log', () => {
  it('walks the whole job and the log tells it', async () => {
    const a = await writeSession(root, { status: 'pending' });
    const b = await writeSession(root, { status: 'pending' });
    const original = await fs.readFile(a.file);

    const accepted = await cli('accept', root, a.ref, b.id);
    expect(accepted.code).toBe(EXIT.ok);
    expect(accepted.stdout).toContain(`${a.ref}: pending → accepted`);
    expect(JSON.parse(await fs.readFile(b.file, 'utf8')).status).toBe('accepted');

    expect((await cli('pend', root, a.ref)).stdout).toContain('accepted → pending');
    expect((await cli('delete', root, b.ref)).stdout).toContain(`${b.ref}: deleted`);
    await expect(fs.stat(b.file)).rejects.toThrow();

    const undone = await cli('undo', root, '--json');
    expect(JSON.parse(undone.stdout).results[0]).toMatchObject({ ref: b.ref, outcome: 'restored' });
    await cli('undo', root); // reverts "pend a": a is accepted again, byte for byte as the accept left it
    expect(await fs.readFile(a.file, 'utf8')).toBe(
      original.toString().replace('"status": "pending"', '"status": "accepted"'),
    );

    const log = await cli('log', root, '--json');
    expect(JSON.parse(log.stdout).map((e: { action: string }) => e.action)).toEqual([
      'set-status',
      'set-status',
      'set-status',
      'delete',
      'undo',
      'undo',
    ]);
    expect((await cli('log', root)).stdout).toMatch(/delete\s+.*moved to the trash/);
  });

  it('exits 1 when a ref is unknown, and still changes the others', async () => {
    const a = await writeSession(root, { status: 'pending' });
    const result = await cli('accept', root, `${IOS_FOLDER}/ffff0000`, a.ref);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stdout).toMatch(/ffff0000: not changed: No session/);
    expect(JSON.parse(await fs.readFile(a.file, 'utf8')).status).toBe('accepted');
  });

  it('undo with nothing to undo says so and exits 1', async () => {
    const result = await cli('undo', root);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/Nothing to undo/);
  });
});

describe('mobile-sessions refresh and watch', () => {
  it('refresh scans the first time, then prints only what changed', async () => {
    const a = await writeSession(root, { status: 'pending' });
    expect((await cli('refresh', root)).stdout).toMatch(/No cached index .* scanned 1 sessions/);
    expect((await cli('refresh', root)).stdout).toBe('Nothing changed.\n');
    await fs.writeFile(a.file, JSON.stringify({ ...a.json, status: 'accepted' }));
    const b = await writeSession(root);
    const changed = await cli('refresh', root, '--json');
    const lines = changed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: 'session-changed', ref: a.ref, status: 'accepted', problems: [] }),
        expect.objectContaining({ type: 'session-added', ref: b.ref, status: 'accepted' }),
      ]),
    );
  });

  it('watch prints each change as one JSON line until interrupted', async () => {
    await writeSession(root);
    let output = '';
    const running = runCli(['watch', root, '--json'], {
      stdout: (text) => {
        output += text;
      },
      stderr: () => {},
      env: { ...process.env, MOBILE_SESSIONS_DATA_DIR: dataDir },
      untilInterrupted: () =>
        new Promise<void>((resolve) => {
          interrupt = resolve;
        }),
    });
    await until(() => output.includes('"state":"watching"'));
    const added = await writeSession(root, { status: 'pending' });
    await until(() => output.includes(added.ref));
    interrupt();
    expect(await running).toBe(EXIT.ok);
    const lines = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toContainEqual(
      expect.objectContaining({ type: 'session-added', ref: added.ref, status: 'pending', problems: [] }),
    );
    for (const line of lines) expect(line.type).toEqual(expect.any(String));
  });
});

async function until(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
