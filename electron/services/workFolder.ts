/**
 * The one place the writer puts its own files inside a MobileApps folder: a hidden work folder per
 * batch and app folder, `.mobile-sessions-work-<pid>-<token>`, on the same file system as the
 * session files so that every move is an atomic rename or link. It is hidden (never an app folder,
 * never a session name), owned by one process (its pid is in the name), and removed when the
 * batch ends. After a crash, the next start of any Mobile Sessions process puts back whatever the
 * dead process had moved aside and removes the folder (see `recoverWorkFolder`).
 */
import { randomBytes } from 'node:crypto';
import { type Dirent, promises as fs, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { errnoCode } from './fsErrors.js';

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

export interface ProcessIdentity {
  pid: number;
  /** When the process started, in clock ticks since boot (Linux); '0' where the platform does not say. */
  start: string;
}

/** A process's start time from /proc (Linux), or '0'. Field 22 of /proc/<pid>/stat. */
export function processStart(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return /^\d+$/.test(fields[19] ?? '') ? (fields[19] as string) : '0';
  } catch {
    return '0';
  }
}

let ownStart: string | null = null;
/** This process, as work folders and in-flight markers name it. */
export function thisProcess(): ProcessIdentity {
  ownStart ??= processStart(process.pid);
  return { pid: process.pid, start: ownStart };
}

/**
 * Whether the process that made something still runs. EPERM means it runs under another user. A
 * pid reused by a later process (after a reboot, or once pids wrap) has another start time.
 */
export function processIsAlive(owner: ProcessIdentity): boolean {
  if (owner.pid === process.pid && owner.start === thisProcess().start) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if (errnoCode(error) !== 'EPERM') return false;
  }
  return owner.start === '0' || processStart(owner.pid) === '0' || processStart(owner.pid) === owner.start;
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

/** The work folders of one batch, made on first use in each app folder and removed at the end. */
export class WorkFolders {
  private readonly token = `${randomBytes(4).toString('hex')}${(sequence++).toString(16)}`;
  private readonly made = new Map<string, Promise<string>>();

  /** The batch's work folder inside `appFolder` (an absolute path), made on first use. */
  in(appFolder: string): Promise<string> {
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

  /** Removes the batch's (empty) work folders; a non-empty one stays for the next start to recover. */
  async removeAll(): Promise<void> {
    for (const made of this.made.values()) {
      const dir = await made.catch(() => null);
      if (dir) await fs.rmdir(dir).catch(() => {});
    }
    this.made.clear();
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
 * Recovers and removes the work folders left by dead processes in every app folder of `root`.
 * Returns the ones it could not remove (reported by `check` and the Problems view).
 */
export async function recoverWorkFolders(root: string): Promise<LeftoverWorkFolder[]> {
  const leftovers: LeftoverWorkFolder[] = [];
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
