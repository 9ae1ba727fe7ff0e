import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ANDROID_BUNDLE,
  BUNDLE,
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  sessionId,
  sessionJson,
  TEAM,
  writeFile,
  writeSession,
  writeSessions,
} from '../../../test/support/fixtures.js';
import { MAX_SESSION_FILE_BYTES } from '../session/sessionFile.js';
import { scanRoot, syncIndex } from './scanRoot.js';
import { SessionIndex } from './sessionIndex.js';

let root: string;
beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(async () => {
  await removeDir(root);
});

const problemCodes = async () => (await scanRoot(root)).problems.map((p) => `${p.path}:${p.code}`).sort();

describe('scanRoot: what is an app and what is a session', () => {
  it('lists app folders (not hidden ones), with an empty app still an app', async () => {
    await writeSession(root);
    await fs.mkdir(path.join(root, 'com.empty.app'));
    await fs.mkdir(path.join(root, '.hidden'));
    await writeFile(root, '.', 'key.mobileapp', 'opaque key');
    const scan = await scanRoot(root);
    expect(scan.apps.map((a) => a.folder)).toEqual([IOS_FOLDER, 'com.empty.app']);
    expect(scan.apps[1]).toMatchObject({
      name: 'com.empty.app',
      bundleId: 'com.empty.app',
      teamId: null,
      platform: 'android',
    });
    expect(scan.apps[1]?.counts).toEqual({ sessions: 0, pending: 0, problems: 0 });
  });

  it('reads only extension-less hexadecimal names and ignores every other file, silently', async () => {
    const { id } = await writeSession(root);
    for (const name of [
      'manifest.json',
      'AuthKey_ABC123.p8',
      'google-services.json',
      'test_session',
      '.DS_Store',
      `${id}~`,
      `${id}.bak`,
      `${id}.tmp`,
    ]) {
      await writeFile(root, IOS_FOLDER, name, 'not a session {');
    }
    await fs.mkdir(path.join(root, IOS_FOLDER, 'abcdef0123')); // a sub-folder with a hex name
    const scan = await scanRoot(root);
    expect(scan.apps[0]?.sessions.map((s) => s.id)).toEqual([id]);
    expect(scan.problems).toEqual([]);
  });

  it('labels apps from sessions, then manifest.json, then the folder name', async () => {
    await writeSession(root, { teamId: null, appId: ANDROID_BUNDLE });
    await writeFile(root, `${TEAM}.com.acme.tasks`, 'manifest.json', {
      application: { id: 'com.acme.tasks', name: 'Tasks' },
      team: { id: TEAM },
      info: { target: 'iOS' },
    });
    await writeSession(root);
    const apps = (await scanRoot(root)).apps;
    const byFolder = Object.fromEntries(apps.map((a) => [a.folder, a]));
    expect(byFolder[IOS_FOLDER]).toMatchObject({
      name: 'Contact',
      bundleId: BUNDLE,
      teamId: TEAM,
      platform: 'ios',
    });
    expect(byFolder[ANDROID_BUNDLE]).toMatchObject({
      bundleId: ANDROID_BUNDLE,
      teamId: null,
      platform: 'android',
    });
    expect(byFolder[`${TEAM}.com.acme.tasks`]).toMatchObject({
      name: 'Tasks',
      teamId: TEAM,
      platform: 'ios',
    });
  });

  it('summarizes each session with file-system times and never a password or push token', async () => {
    const { ref } = await writeSession(root, {
      status: 'pending',
      extra: {
        password: 'hunter2',
        device: {
          description: 'iPhone 13',
          os: 'iOS',
          version: '17.5.1',
          token: 'a'.repeat(64),
          password: 'x',
        },
      },
    });
    const session = (await scanRoot(root)).apps[0]?.sessions[0];
    expect(session).toMatchObject({
      ref,
      status: 'pending',
      email: 'ann@example.com',
      device: { description: 'iPhone 13', os: 'iOS', version: '17.5.1', pushRegistered: true },
      language: { id: 'en_US', code: 'en', region: 'US' },
      session: { ip: '::ffff:192.168.5.4' },
    });
    expect(JSON.stringify(session)).not.toMatch(/hunter2|password|aaaaaaaa/);
    const stats = await fs.stat(path.join(root, ref));
    expect(Math.abs(Date.parse(session?.modified ?? '') - stats.mtimeMs)).toBeLessThan(1);
    expect(Date.parse(session?.firstSeen ?? '')).toBeLessThanOrEqual(stats.mtimeMs + 1);
    expect((await scanRoot(root)).apps[0]?.counts).toEqual({ sessions: 1, pending: 1, problems: 0 });
  });
});

describe('scanRoot: every bad input is a problem, never a crash', () => {
  it('reports mobi 1-4 and keeps parseable sessions listed with their problems', async () => {
    await writeSession(root, { id: 'aaaa1111' });
    const moved = sessionJson();
    await writeFile(root, IOS_FOLDER, 'bbbb2222', moved); // file name ≠ session.id
    await writeFile(root, IOS_FOLDER, 'cccc3333', '{"application": {"id": ');
    await writeFile(root, IOS_FOLDER, 'dddd4444', sessionJson({ id: 'dddd4444', status: 'maybe' }));
    await writeFile(root, IOS_FOLDER, 'eeee5555', { ...sessionJson({ id: 'eeee5555' }), token: 'e30' });
    const scan = await scanRoot(root);
    expect(scan.problems.map((p) => `${p.path}:${p.code}:${p.mobi}`).sort()).toEqual([
      `${IOS_FOLDER}/bbbb2222:location:1`,
      `${IOS_FOLDER}/cccc3333:malformed:2`,
      `${IOS_FOLDER}/dddd4444:schema:3`,
      `${IOS_FOLDER}/eeee5555:token:4`,
    ]);
    const listed = scan.apps[0]?.sessions.map((s) => `${s.id}:${s.problems.map((p) => p.code).join(',')}`);
    expect(listed).toEqual(['aaaa1111:', 'bbbb2222:location', 'dddd4444:schema', 'eeee5555:token']);
    expect(scan.apps[0]?.counts.problems).toBe(4);
  });

  it('survives binary junk, NUL bytes, absurd nesting, empty files and non-ASCII', async () => {
    await writeFile(root, IOS_FOLDER, 'a1', Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x7b]));
    await writeFile(
      root,
      IOS_FOLDER,
      'a2',
      `{"status":"accepted","x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
    );
    await writeFile(root, IOS_FOLDER, 'a3', '');
    await writeFile(root, IOS_FOLDER, 'a4', '{"email":"zoë\u0000@例え.jp"}'); // a raw NUL: not JSON
    await writeFile(root, IOS_FOLDER, 'a5', '{"email":"zoë\\u0000@例え.jp"}'); // an escaped one: JSON
    await writeSession(root, { email: 'zoë@例え.jp' });
    const scan = await scanRoot(root);
    expect(scan.apps[0]?.sessions.some((s) => s.email === 'zoë@例え.jp')).toBe(true);
    expect(await problemCodes()).toEqual(
      expect.arrayContaining([
        `${IOS_FOLDER}/a1:malformed`,
        `${IOS_FOLDER}/a3:malformed`,
        `${IOS_FOLDER}/a4:malformed`,
        `${IOS_FOLDER}/a5:schema`,
      ]),
    );
    expect(scan.problems.find((p) => p.path.endsWith('/a2'))?.code).toMatch(/malformed|schema/);
  });

  it('reads a session larger than the usual read buffer, up to the limit, whole', async () => {
    for (const size of [64 * 1024 - 700, 200_000, MAX_SESSION_FILE_BYTES - 1000]) {
      const id = sessionId();
      const json = sessionJson({
        id,
        email: `big${size}@example.com`,
        extra: { userInfo: { blob: 'é'.repeat(size / 2) } },
      });
      await writeFile(root, IOS_FOLDER, id, json);
    }
    const scan = await scanRoot(root);
    expect(scan.problems).toEqual([]);
    expect(scan.apps[0]?.sessions.map((s) => s.email).sort()).toEqual([
      'big1047576@example.com',
      'big200000@example.com',
      'big64836@example.com',
    ]);
  });

  it('does not read a file over the size limit', async () => {
    const id = sessionId();
    const json = sessionJson({ id, extra: { userInfo: { blob: 'x'.repeat(MAX_SESSION_FILE_BYTES) } } });
    await writeFile(root, IOS_FOLDER, id, json);
    const [problem] = (await scanRoot(root)).problems;
    expect(problem).toMatchObject({ path: `${IOS_FOLDER}/${id}`, code: 'too-large', mobi: null });
  });

  it('reports a link with a session name and never follows it', async () => {
    const { file, id } = await writeSession(root);
    await fs.symlink(file, path.join(root, IOS_FOLDER, 'ab12'));
    await fs.symlink('/etc/passwd', path.join(root, IOS_FOLDER, 'cd34'));
    const scan = await scanRoot(root);
    expect(scan.apps[0]?.sessions.map((s) => s.id)).toEqual([id]);
    expect(scan.problems.map((p) => `${p.path}:${p.code}`).sort()).toEqual([
      `${IOS_FOLDER}/ab12:symlink`,
      `${IOS_FOLDER}/cd34:symlink`,
    ]);
  });

  it('does not follow a linked app folder and does not hang on a FIFO', async () => {
    await writeSession(root);
    const elsewhere = await makeTempDir();
    try {
      await writeSession(elsewhere, { appId: 'com.other.app', teamId: null });
      await fs.symlink(path.join(elsewhere, 'com.other.app'), path.join(root, 'com.other.app'));
      const { execFileSync } = await import('node:child_process');
      execFileSync('mkfifo', [path.join(root, IOS_FOLDER, 'ff00')]);
      const scan = await scanRoot(root);
      expect(scan.apps.map((a) => a.folder)).toEqual([IOS_FOLDER]);
      expect(scan.apps[0]?.sessions).toHaveLength(1);
    } finally {
      await removeDir(elsewhere);
    }
  });

  it('says clearly when the root is missing', async () => {
    await expect(scanRoot(path.join(root, 'nope'))).rejects.toMatchObject({ code: 'root-missing' });
    await writeFile(root, '.', 'plain-file', 'x');
    await expect(scanRoot(path.join(root, 'plain-file'))).rejects.toMatchObject({ code: 'root-missing' });
  });

  it('reads many files and reports progress up to the total', async () => {
    for (let i = 0; i < 300; i += 1)
      await writeSession(root, { status: i % 3 === 0 ? 'pending' : 'accepted' });
    const progress: [number, number][] = [];
    const scan = await scanRoot(root, { onProgress: (done, total) => progress.push([done, total]) });
    expect(scan.apps[0]?.counts).toEqual({ sessions: 300, pending: 100, problems: 0 });
    expect(progress.at(-1)).toEqual([300, 300]);
    const done = progress.map(([d]) => d);
    expect(done).toEqual([...done].sort((a, b) => a - b));
  });
});

describe('syncIndex: a second pass finds what went', () => {
  const refsOf = (index: SessionIndex) =>
    index
      .snapshot()
      .apps.flatMap((a) => a.sessions.map((s) => s.ref))
      .sort();
  const problemPaths = (index: SessionIndex) =>
    index
      .snapshot()
      .problems.map((p) => p.path)
      .sort();

  it('forgets a removed file, and one swapped for another of a different name (the count unchanged)', async () => {
    const [a, b, c] = await writeSessions(root, 3);
    const index = new SessionIndex(root);
    await syncIndex(index);
    expect(refsOf(index)).toEqual([a, b, c].map((s) => s?.ref).sort());

    await fs.rm(a?.file as string);
    await syncIndex(index);
    expect(refsOf(index)).toEqual([b, c].map((s) => s?.ref).sort());

    await fs.rm(b?.file as string);
    const d = await writeSession(root);
    await syncIndex(index);
    expect(refsOf(index)).toEqual([c?.ref, d.ref].sort());
  });

  it('forgets a broken file that went, and a session swapped for a broken file', async () => {
    const [a, b] = await writeSessions(root, 2);
    const junk = sessionId();
    await writeFile(root, IOS_FOLDER, junk, 'not json {');
    const index = new SessionIndex(root);
    await syncIndex(index);
    expect(problemPaths(index)).toEqual([`${IOS_FOLDER}/${junk}`]);

    await fs.rm(path.join(root, IOS_FOLDER, junk));
    await syncIndex(index);
    expect(problemPaths(index)).toEqual([]);
    expect(refsOf(index)).toEqual([a, b].map((s) => s?.ref).sort());

    await fs.rm(a?.file as string);
    const junk2 = sessionId();
    await writeFile(root, IOS_FOLDER, junk2, 'still not json {');
    await syncIndex(index);
    expect(refsOf(index)).toEqual([b?.ref]);
    expect(problemPaths(index)).toEqual([`${IOS_FOLDER}/${junk2}`]);
  });
});
