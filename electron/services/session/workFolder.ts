/**
 * The one place the writer puts its own files inside a MobileApps folder: a hidden work folder per
 * batch and app folder, `.mobile-sessions-work-<pid>-<token>`, on the same file system as the
 * session files so that every move is an atomic rename or link. It is hidden (never an app folder,
 * never a session name), owned by one process (its pid is in the name), and removed when the
 * batch ends. After a crash, the next start of any Mobile Sessions process puts back whatever the
 * dead process had moved aside and removes the folder (see `recoverWorkFolder`).
 */
import { randomBytes } from 'node:crypto';
import { type Dirent, promises as fs, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { errnoCode } from '../fsErrors.js';
import { type ProcessIdentity, processIsAlive, thisProcess } from './processIdentity.js';
import { isLockName, lockAppFolders, lockIsStale } from './sessionLock.js';

export const WORK_FOLDER_PREFIX = '.mobile-sessions-work-';
/** `<prefix><pid>-<process start>-<token>`: the start time tells a live process from a reused pid. */
const WORK_FOLDER_NAME = /^\.mobile-sessions-work-(\d+)-(\d+)-[0-9a-f]+$/;

let sequence = 0;

/** True for the name of a work folder made by any Mobile Sessions process. */
export function isWorkFolderName(name: string): boolean {
  return WORK_FOLDER_NAME.test(name);
}

/** The process that made a work folder: its pid and start time ('0' where unknown). */
export function workFolderOwner(name: string): ProcessIdentity | null {
  const match = WORK_FOLDER_NAME.exec(name);
  return match?.[1] && match[2] ? { pid: Number(match[1]), start: match[2] } : null;
}

/** Names of the files the writer keeps in a work folder for session `id`. */
export const workNames = (id: string) => ({
  /** The new content, written and flushed before it is linked into place. */
  fresh: `${id}.new`,
  /** What was at the session's name when the writer moved it aside. */
  base: `${id}.base`,
  /** What was at the session's name when the writer had to put a version back. */
  displaced: `${id}.displaced`,
  /** A file on its way to the trash, under its own name so the trash shows it as it was. */
  leaving: id,
});

/**
 * The work folders of one chunk of a batch, made on first use in each app folder and removed at
 * the end, and the app-folder locks the chunk holds meanwhile (sessionLock.ts): the writer works
 * only in a folder whose lock is held.
 */
export class WorkFolders {
  private readonly token = `${randomBytes(4).toString('hex')}${(sequence++).toString(16)}`;
  private readonly made = new Map<string, Promise<string>>();
  private readonly locked = new Set<string>();
  private readonly discards: string[] = [];
  private letGo: (() => void) | null = null;

  /** Takes the locks of these app folders (absolute paths) for this chunk; throws `conflict` on time-out. */
  async lock(appFolders: Iterable<string>): Promise<void> {
    if (this.letGo) throw new Error('WorkFolders.lock is called once per chunk');
    const folders = [...new Set(appFolders)];
    this.letGo = await lockAppFolders(folders);
    for (const folder of folders) this.locked.add(folder);
  }

  /** Temporary files of settled changes, removed when the chunk ends. */
  discardLater(files: string[]): void {
    this.discards.push(...files);
  }

  /** The batch's work folder inside `appFolder` (an absolute path), made on first use. */
  in(appFolder: string): Promise<string> {
    if (!this.locked.has(appFolder)) {
      return Promise.reject(new Error(`${appFolder} is not locked: the writer works only under its lock`));
    }
    let folder = this.made.get(appFolder);
    if (!folder) {
      const me = thisProcess();
      const dir = path.join(appFolder, `${WORK_FOLDER_PREFIX}${me.pid}-${me.start}-${this.token}`);
      // mkdir never follows a link in the last component: a planted link makes it fail (EEXIST).
      folder = fs.mkdir(dir, { mode: 0o700 }).then(() => dir);
      this.made.set(appFolder, folder);
    }
    return folder;
  }

  /**
   * Clears the work folders and lets the locks go: the settled changes' temporary files go, and
   * whatever an unexpected failure left is recovered as after a crash (a version moved aside
   * whose name is free goes back). A folder that cannot be cleared stays for the next start.
   */
  async removeAll(): Promise<void> {
    for (const file of this.discards.splice(0)) {
      try {
        unlinkSync(file);
      } catch {
        // never made, or already gone
      }
    }
    for (const [appFolder, made] of this.made) {
      const dir = await made.catch(() => null);
      if (dir) await recoverWorkFolder(appFolder, path.basename(dir)).catch(() => {});
    }
    this.made.clear();
    this.letGo?.();
    this.letGo = null;
    this.locked.clear();
  }
}

export interface LeftoverWorkFolder {
  /** `<app folder>/<work folder>` */
  path: string;
  /** Why it could not be removed. */
  reason: string;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

async function inode(file: string): Promise<number | null> {
  try {
    return (await fs.lstat(file)).ino;
  } catch {
    return null;
  }
}

/** Links `from` to `to` unless `to` exists; false when it does. Never replaces anything. */
async function putBackIfFree(from: string, to: string): Promise<boolean> {
  try {
    await fs.link(from, to);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Puts back what a dead process had moved aside in a work folder, then removes the folder. Every
 * session ends up old or new, never missing: a file moved aside comes back when its name is free.
 */
export async function recoverWorkFolder(appFolder: string, name: string): Promise<void> {
  const dir = path.join(appFolder, name);
  const entries = await fs.readdir(dir);
  const ids = new Set(entries.map((entry) => entry.replace(/\.(new|base|displaced)$/, '')));
  for (const id of ids) {
    const names = workNames(id);
    const file = path.join(appFolder, id);
    if (!(await exists(file))) {
      const displaced = path.join(dir, names.displaced);
      const freshIno = await inode(path.join(dir, names.fresh));
      const displacedIno = await inode(displaced);
      // Interrupted while putting a version back: `displaced` is ours (same inode as `new`) or a
      // newer version written by someone else, which then wins over `base`.
      if (displacedIno !== null && displacedIno !== freshIno) await putBackIfFree(displaced, file);
      else if (await exists(path.join(dir, names.base)))
        await putBackIfFree(path.join(dir, names.base), file);
      else if (entries.includes(names.leaving)) await putBackIfFree(path.join(dir, names.leaving), file);
    }
  }
  for (const entry of entries) await fs.unlink(path.join(dir, entry)).catch(() => {});
  await fs.rmdir(dir);
}

/**
 * Recovers and removes the work folders and locks left by dead processes in every app folder of
 * `root`. Returns the ones it could not remove (reported by `check` and the Problems view).
 */
export async function recoverWorkFolders(root: string): Promise<LeftoverWorkFolder[]> {
  const leftovers: LeftoverWorkFolder[] = [];
  for (const [folder, entry] of listAppFolderEntries(root)) {
    if (!entry.isFile() || !isLockName(entry.name)) continue;
    const lockFile = path.join(root, folder, entry.name);
    if (!(await lockIsStale(lockFile))) continue;
    try {
      unlinkSync(lockFile);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT')
        leftovers.push({ path: `${folder}/${entry.name}`, reason: String(error) });
    }
  }
  for (const [folder, name] of findWorkFolders(root)) {
    const owner = workFolderOwner(name);
    if (owner === null || processIsAlive(owner)) continue;
    try {
      await recoverWorkFolder(path.join(root, folder), name);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') continue; // another process recovered it first
      leftovers.push({
        path: `${folder}/${name}`,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return leftovers;
}

/** The hidden entries of every app folder under `root`, as [app folder, entry]: ours to look at. */
export function listAppFolderEntries(root: string): Array<[string, Dirent]> {
  const found: Array<[string, Dirent]> = [];
  let folders: string[];
  try {
    folders = readdirSync(root, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  } catch {
    return found;
  }
  for (const folder of folders) {
    try {
      for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
        if (entry.name.startsWith('.')) found.push([folder, entry]);
      }
    } catch {
      // an unreadable app folder is reported by the scan
    }
  }
  return found;
}

/** Every work folder under `root`, as [app folder, work folder name]. */
export function findWorkFolders(root: string): Array<[string, string]> {
  return listAppFolderEntries(root).flatMap(([folder, entry]) =>
    entry.isDirectory() && isWorkFolderName(entry.name) ? [[folder, entry.name] as [string, string]] : [],
  );
}
