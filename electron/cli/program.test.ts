import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_REFS_PER_REQUEST } from '../../shared/contract.js';
import { runCliCaptured } from '../../test/support/cliRun.js';
import {
  ANDROID_BUNDLE,
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  writeFile,
  writeSession,
} from '../../test/support/fixtures.js';
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

const cli = (...args: string[]) =>
  runCliCaptured(args, {
    dataDir,
    untilInterrupted: () =>
      new Promise<void>((resolve) => {
        interrupt = resolve;
      }),
  });

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
    expect((await cli('delete', root, b.ref)).stdout).toContain(`${b.ref}: moved to the trash`);
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
    expect(result.stderr).toMatch(/ffff0000: not changed: No session/);
    expect(result.stdout).not.toContain('ffff0000');
    expect(result.stdout).toContain(`${a.ref}: pending → accepted`);
    expect(JSON.parse(await fs.readFile(a.file, 'utf8')).status).toBe('accepted');
  });

  it('undo with nothing to undo says so and exits 1', async () => {
    const result = await cli('undo', root);
    expect(result.code).toBe(EXIT.failure);
    expect(result.stderr).toMatch(/Nothing to undo/);
  });
});

describe('every command goes through the contract', () => {
  it("list --app takes only that folder's problems, and no command adds the folder to the recent ones", async () => {
    await writeSession(root);
    const android = await writeSession(root, { appId: ANDROID_BUNDLE, teamId: null });
    const androidFolder = android.ref.split('/')[0] as string;
    await writeFile(root, IOS_FOLDER, 'abcdef', '{broken');
    await writeFile(root, androidFolder, 'abcd01', '[]');
    const ios = JSON.parse((await cli('list', root, '--app', IOS_FOLDER, '--json')).stdout);
    expect(ios.apps.map((a: { folder: string }) => a.folder)).toEqual([IOS_FOLDER]);
    expect(ios.problems.map((p: { path: string }) => p.path)).toEqual([`${IOS_FOLDER}/abcdef`]);
    const all = JSON.parse((await cli('list', root, '--json')).stdout);
    expect(all.problems.map((p: { path: string }) => p.path).sort()).toEqual(
      [`${IOS_FOLDER}/abcdef`, `${androidFolder}/abcd01`].sort(),
    );
    // The desktop reopens the last folder it opened: a command line run must not change which.
    await expect(fs.access(path.join(dataDir, 'recent-roots.json'))).rejects.toThrow(/ENOENT/);
  });

  it('accept --matching changes every session the filter selects, in one batch that one undo reverses', async () => {
    const pending = [
      await writeSession(root, { status: 'pending' }),
      await writeSession(root, { status: 'pending' }),
    ];
    const accepted = await writeSession(root, { status: 'accepted' });
    const other = await writeSession(root, { status: 'pending', appId: ANDROID_BUNDLE, teamId: null });
    const originals = await Promise.all(pending.map((s) => fs.readFile(s.file)));

    const result = await cli(
      'accept',
      root,
      '--matching',
      '--app',
      IOS_FOLDER,
      '--status',
      'pending',
      '--json',
    );
    expect(result.code).toBe(EXIT.ok);
    const report = JSON.parse(result.stdout);
    expect(report.batch).toEqual(expect.any(String));
    expect(report.results.map((r: { ref: string }) => r.ref).sort()).toEqual(
      pending.map((s) => s.ref).sort(),
    );
    expect(JSON.parse(await fs.readFile(other.file, 'utf8')).status).toBe('pending');
    expect(JSON.parse(await fs.readFile(accepted.file, 'utf8')).status).toBe('accepted');

    expect((await cli('accept', root, '--matching', '--app', IOS_FOLDER, '--status', 'pending')).stdout).toBe(
      'No session matches: nothing changed.\n',
    );
    expect((await cli('undo', root)).code).toBe(EXIT.ok);
    expect(await Promise.all(pending.map((s) => fs.readFile(s.file)))).toEqual(originals);
  });

  it('delete --matching moves every matching session to the trash; undo brings them back', async () => {
    const gone = [
      await writeSession(root, { email: 'old@example.com' }),
      await writeSession(root, { email: 'old@example.com' }),
    ];
    const kept = await writeSession(root, { email: 'new@example.com' });
    const bytes = await Promise.all(gone.map((s) => fs.readFile(s.file)));
    const result = await cli('delete', root, '--matching', '--search', 'old@', '--permanent');
    expect(result.code).toBe(EXIT.ok);
    expect(result.stdout).toContain(
      `${gone[0]?.ref}: deleted permanently (undo restores it from the app's copy)`,
    );
    for (const s of gone) await expect(fs.access(s.file)).rejects.toThrow(/ENOENT/);
    await fs.access(kept.file);
    expect((await cli('undo', root)).code).toBe(EXIT.ok);
    expect(await Promise.all(gone.map((s) => fs.readFile(s.file)))).toEqual(bytes);
  });

  it('refuses more references than one request holds, and mixed or missing selections, as usage errors', async () => {
    const session = await writeSession(root, { status: 'pending' });
    const before = await fs.readFile(session.file);
    const tooMany = Array.from({ length: MAX_REFS_PER_REQUEST + 1 }, () => session.ref);
    const refused = await cli('accept', root, ...tooMany);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.stderr).toMatch(/10,001 sessions named: at most 10,000 per command.*--matching/);
    expect((await cli('delete', root, ...tooMany)).code).toBe(EXIT.usage);
    expect((await cli('accept', root)).stderr).toMatch(/Name at least one session/);
    expect((await cli('accept', root, session.ref, '--matching')).code).toBe(EXIT.usage);
    expect((await cli('pend', root, '--app', IOS_FOLDER)).code).toBe(EXIT.usage);
    expect(await fs.readFile(session.file)).toEqual(before);
    expect((await cli('log', root, '--json')).stdout).toBe('[]\n');
  });

  it('call sends any request: the result, or with --json the envelope; errors exit 1, bad JSON exits 2', async () => {
    const { ref } = await writeSession(root);
    const state = await cli('call', 'getState');
    expect(state.code).toBe(EXIT.ok);
    expect(JSON.parse(state.stdout)).toMatchObject({ root: null, watcher: { state: 'stopped' } });

    const details = await cli('call', 'getSession', JSON.stringify({ ref }), '--root', root);
    expect(JSON.parse(details.stdout).summary.ref).toBe(ref);
    const enveloped = await cli('call', 'listApps', '{}', '--root', root, '--json');
    expect(JSON.parse(enveloped.stdout)).toMatchObject({ ok: true, result: [{ folder: IOS_FOLDER }] });

    const missing = await cli('call', 'listApps');
    expect(missing).toMatchObject({ code: EXIT.failure, stdout: '' });
    expect(missing.stderr).toMatch(/^mobile-sessions: No MobileApps folder is open/);
    const unknown = await cli('call', 'nope', '{}', '--json');
    expect(unknown.code).toBe(EXIT.failure);
    expect(JSON.parse(unknown.stdout)).toMatchObject({ ok: false, error: { code: 'bad-request' } });

    const notJson = await cli('call', 'getSession', '{ref:', '--root', root);
    expect(notJson.code).toBe(EXIT.usage);
    expect(notJson.stderr).toMatch(/must be JSON/);
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

  it('refresh --json answers with a last line even when nothing changed (issue 18, item 12)', async () => {
    await writeSession(root, { status: 'pending' });
    await cli('refresh', root);
    const lines = (await cli('refresh', root, '--json')).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines).toEqual([{ type: 'refreshed', changes: 0, openedFrom: 'cache' }]);
  });

  it('watch does not print the changes made before it started as live ones (issue 18, item 12)', async () => {
    const before = await writeSession(root, { status: 'pending' });
    await cli('refresh', root); // the cached index the next run starts from
    await fs.writeFile(before.file, JSON.stringify({ ...before.json, status: 'accepted' }));
    let output = '';
    const running = runCli(['watch', root], {
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
    await until(() => /Watching|watching/.test(output));
    const added = await writeSession(root, { status: 'pending' });
    await until(() => output.includes(added.id));
    interrupt();
    expect(await running).toBe(EXIT.ok);
    expect(output).not.toContain(before.id);
    expect(output).toMatch(/1 changes made before watch started are not listed/);
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
