/**
 * What a crashed process leaves in an app folder, and what the next start does with it: files
 * moved aside come back, the work folder goes, and what cannot go is reported by the scan.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IOS_FOLDER, tempFoldersPerTest, writeSession } from '../../../test/support/fixtures.js';
import { SessionActions } from '../history/sessionActions.js';
import { scanRoot } from '../live/scanRoot.js';
import { processStart } from './processIdentity.js';
import { isWorkFolderName, WORK_FOLDER_PREFIX } from './workFolder.js';

/** The pid of a process that has ended. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

const temp = tempFoldersPerTest();

async function leftWorkFolder(pid: number): Promise<string> {
  const dir = path.join(temp.root, IOS_FOLDER, `${WORK_FOLDER_PREFIX}${pid}-${processStart(pid)}-deadbeef0`);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

describe('work folders left by a crash', () => {
  it('puts back a file that was moved aside, and removes the folder', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    const bytes = await fs.readFile(session.file);
    const dir = await leftWorkFolder(deadPid());
    await fs.rename(session.file, path.join(dir, `${session.id}.base`));
    await fs.writeFile(path.join(dir, `${session.id}.new`), 'half written');
    const report = await new SessionActions({ ...temp }).start();
    expect(report.leftovers).toEqual([]);
    expect(await fs.readFile(session.file)).toEqual(bytes);
    expect(await fs.readdir(path.join(temp.root, IOS_FOLDER))).toEqual([session.id]);
  });

  it("puts back someone else's newer version rather than the older one", async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    const dir = await leftWorkFolder(deadPid());
    await fs.rename(session.file, path.join(dir, `${session.id}.base`));
    await fs.writeFile(path.join(dir, `${session.id}.new`), 'ours');
    await fs.writeFile(path.join(dir, `${session.id}.displaced`), 'theirs, newer');
    await new SessionActions({ ...temp }).start();
    expect(await fs.readFile(session.file, 'utf8')).toBe('theirs, newer');
  });

  it('leaves the work folder of a live process alone', async () => {
    const dir = await leftWorkFolder(process.pid);
    await new SessionActions({ ...temp }).start();
    expect(existsSync(dir)).toBe(true);
    expect((await scanRoot(temp.root)).problems).toEqual([]);
  });

  it('recovers the work folder of a dead process whose pid now belongs to another one', async () => {
    const session = await writeSession(temp.root, { status: 'pending' });
    const bytes = await fs.readFile(session.file);
    // This test process's pid, with another start time: what a reused pid looks like.
    const dir = path.join(temp.root, IOS_FOLDER, `${WORK_FOLDER_PREFIX}${process.pid}-1-deadbeef0`);
    await fs.mkdir(dir, { mode: 0o700 });
    await fs.rename(session.file, path.join(dir, `${session.id}.base`));
    await new SessionActions({ ...temp }).start();
    expect(await fs.readFile(session.file)).toEqual(bytes);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports a work folder it cannot remove, in the scan (check, Problems)', async () => {
    const dir = await leftWorkFolder(deadPid());
    await fs.mkdir(path.join(dir, 'not-ours')); // a directory inside: unlink cannot remove it
    const report = await new SessionActions({ ...temp }).start();
    expect(report.leftovers).toEqual([
      { path: `${IOS_FOLDER}/${path.basename(dir)}`, reason: expect.any(String) },
    ]);
    const { problems } = await scanRoot(temp.root);
    expect(problems).toEqual([
      expect.objectContaining({ code: 'leftover', path: `${IOS_FOLDER}/${path.basename(dir)}`, mobi: null }),
    ]);
  });

  it('names work folders so that nothing else matches', () => {
    expect(isWorkFolderName(`${WORK_FOLDER_PREFIX}123-4567-abc0`)).toBe(true);
    for (const name of [
      '.mobile-sessions-work-',
      '.mobile-sessions-work-x-1-a',
      '.mobile-sessions-work-1-abc',
      'mobile-sessions-work-1-a',
      '7023d9',
    ])
      expect(isWorkFolderName(name)).toBe(false);
  });
});
