/**
 * The one writer on real files: what it keeps (owner, group, mode, first seen), what it refuses
 * (links), what it leaves behind (nothing). Racing processes and crashes: writer.attack.test.ts
 * and crash.test.ts.
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  tempFoldersPerTest,
  writeSession,
} from '../../../test/support/fixtures.js';
import { SessionActions } from '../history/sessionActions.js';
import { readSessionBytes, replaceSessionFile, restoreSessionFile } from './sessionWriter.js';
import { editStatus } from './statusEdit.js';
import { WorkFolders } from './workFolder.js';

const run = promisify(execFile);
const CLI = path.resolve('out/node/cli.js');
const isRoot = process.getuid?.() === 0;
const OTHER = 65534; // nobody / nogroup

const temp = tempFoldersPerTest();
let outside: string;
let actions: SessionActions;
const trashed: string[] = [];

beforeEach(async () => {
  outside = await makeTempDir('ms-outside-');
  actions = new SessionActions({
    ...temp,
    trash: async (file) => {
      trashed.push(file);
      await fs.unlink(file);
    },
  });
});
afterEach(async () => {
  await removeDir(outside);
});

const appFolderEntries = () => fs.readdir(path.join(temp.root, IOS_FOLDER));

describe('the one writer keeps what the file was', () => {
  it.skipIf(!isRoot)('keeps owner, group and mode when it rewrites a file', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    await fs.chown(session.file, OTHER, OTHER);
    await fs.chmod(session.file, 0o640);
    const report = await actions.setStatus([session.ref], 'accepted');
    expect(report.results[0]?.outcome).toBe('changed');
    const stats = await fs.stat(session.file);
    expect([stats.uid, stats.gid, stats.mode & 0o7777]).toEqual([OTHER, OTHER, 0o640]);
    expect(await appFolderEntries()).toEqual([session.id]);
  });

  it.skipIf(!isRoot)('gives a deleted file back with its owner, group and mode', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    await fs.chown(session.file, OTHER, OTHER);
    await fs.chmod(session.file, 0o640);
    const before = await fs.readFile(session.file);
    const deleted = await actions.delete([session.ref]);
    expect(deleted.results[0]?.outcome).toBe('deleted');
    expect(existsSync(session.file)).toBe(false);
    const undone = await actions.undo({ batch: deleted.batch });
    expect(undone.results[0]?.outcome).toBe('restored');
    const stats = await fs.stat(session.file);
    expect([stats.uid, stats.gid, stats.mode & 0o7777]).toEqual([OTHER, OTHER, 0o640]);
    expect(await fs.readFile(session.file)).toEqual(before);
    expect(await appFolderEntries()).toEqual([session.id]);
  });

  it('keeps the mode a non-root user gives its own files', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    await fs.chmod(session.file, 0o600);
    await actions.setStatus([session.ref], 'accepted');
    expect((await fs.stat(session.file)).mode & 0o7777).toBe(0o600);
  });

  it('keeps "first seen" across its own rewrites, in the command line\'s list too', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
    const session = await writeSession(temp.root, { status: 'pending' });
    const env = { ...process.env, MOBILE_SESSIONS_DATA_DIR: temp.dataDir };
    const firstSeen = async () => {
      const { stdout } = await run(process.execPath, [CLI, 'list', temp.root, '--json'], { env });
      return JSON.parse(stdout).apps[0].sessions[0].firstSeen as string;
    };
    const before = await firstSeen();
    const inode = (await fs.stat(session.file)).ino;
    await new Promise((resolve) => setTimeout(resolve, 20)); // a new inode gets a later birth time
    await run(process.execPath, [CLI, 'accept', temp.root, session.ref], { env });
    await run(process.execPath, [CLI, 'pend', temp.root, session.ref], { env });
    expect((await fs.stat(session.file)).ino).not.toBe(inode); // rewritten: a new file
    expect(await firstSeen()).toBe(before);
  });
});

/** Replaces a session file with a link to a file outside the folder; returns that file. */
async function swapForLinkOutside(file: string): Promise<string> {
  const target = path.join(outside, 'precious');
  await fs.writeFile(target, 'outside the folder\n');
  await fs.rm(file);
  await fs.symlink(target, file);
  return target;
}

/** Work folders holding the lock of the file's app folder, as a chunk of a batch does. */
async function lockedWorkFolders(file: string): Promise<WorkFolders> {
  const work = new WorkFolders();
  await work.lock([path.dirname(file)]);
  return work;
}

describe('the one writer never goes through a link', () => {
  it('refuses a session file that became a link after it was read, and changes nothing outside', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    const base = await readSessionBytes(session.file);
    const target = await swapForLinkOutside(session.file);
    const work = await lockedWorkFolders(session.file);
    await expect(
      replaceSessionFile(work, session.file, base, editStatus(base.bytes, 'accepted').bytes),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/symbolic link now/) });
    await work.removeAll();
    expect(await fs.readFile(target, 'utf8')).toBe('outside the folder\n');
    expect((await fs.lstat(session.file)).isSymbolicLink()).toBe(true); // theirs put back as it was
    expect(await appFolderEntries()).toEqual([session.id]);
  });

  it('restores next to a link, never through it', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    const saved = await readSessionBytes(session.file);
    const target = await swapForLinkOutside(session.file);
    const work = await lockedWorkFolders(session.file);
    await expect(restoreSessionFile(work, session.file, saved)).rejects.toMatchObject({ code: 'conflict' });
    await work.removeAll();
    expect(await fs.readFile(target, 'utf8')).toBe('outside the folder\n');
  });

  it('reports a file deleted by someone else between read and write as a conflict, and leaves no trace', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    const base = await readSessionBytes(session.file);
    await fs.rm(session.file);
    const work = await lockedWorkFolders(session.file);
    await expect(
      replaceSessionFile(work, session.file, base, editStatus(base.bytes, 'accepted').bytes),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/gone now/) });
    await work.removeAll();
    expect(await appFolderEntries()).toEqual([]);
  });

  it('puts back a version written by someone else after the read, and says what the file holds now', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    const base = await readSessionBytes(session.file);
    const theirs = Buffer.from(
      JSON.stringify({ ...session.json, status: 'accepted', email: 'new@example.com' }),
    );
    await fs.writeFile(session.file, theirs);
    const work = await lockedWorkFolders(session.file);
    await expect(
      replaceSessionFile(work, session.file, base, editStatus(base.bytes, 'accepted').bytes),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/accepted now/) });
    await work.removeAll();
    expect(await fs.readFile(session.file)).toEqual(theirs);
    expect(await appFolderEntries()).toEqual([session.id]);
  });
});
