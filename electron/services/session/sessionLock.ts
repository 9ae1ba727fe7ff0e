/**
 * One Mobile Sessions writer per app folder at a time, across windows, the browser mode and the
 * CLI. The writer's protocol is safe against any other process, but two of its own runs on one
 * file could interleave so that one puts back a version the other had already superseded. So a
 * chunk of a batch holds `<app folder>/.mobile-sessions-lock` while it changes files there: a file
 * created with O_CREAT|O_EXCL|O_NOFOLLOW (git's `index.lock`) holding `<pid>-<start>` of its
 * owner. A lock whose owner is dead is stale: removed by whoever finds it, and by the next start.
 * Within one process, holders of one folder queue before they reach the file.
 *
 * Per app folder and per chunk, not per file: creating and removing a file is a journal
 * transaction that waits behind the writes' fsyncs, so a lock per file cost more than the write
 * itself (`npm run bench:writes`).
 */
import {
  closeSync,
  constants,
  promises as fs,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { errnoCode, ioError } from '../fsErrors.js';
import { type ProcessIdentity, processIsAlive, thisProcess } from './processIdentity.js';

export const LOCK_NAME = '.mobile-sessions-lock';
const LOCK_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
/** How long a change waits for another Mobile Sessions process to finish in the same app folder. */
const WAIT_MS = 15_000;
const POLL_MS = 5;
/** A lock still empty after this long was left by a process that died as it made it. */
const EMPTY_LOCK_STALE_MS = 5_000;

export const isLockName = (name: string) => name === LOCK_NAME;

/** The owner written in a lock file, or null when it cannot be read (being written, or gone). */
export function lockOwner(lockFile: string): ProcessIdentity | null {
  try {
    const match = /^(\d+)-(\d+)$/.exec(readFileSync(lockFile, 'utf8'));
    return match?.[1] && match[2] ? { pid: Number(match[1]), start: match[2] } : null;
  } catch {
    return null;
  }
}

/** Whether a lock file was left by a dead process. */
export async function lockIsStale(lockFile: string): Promise<boolean> {
  const owner = lockOwner(lockFile);
  if (owner) return !processIsAlive(owner);
  const stats = await fs.lstat(lockFile).catch(() => null);
  return stats !== null && Date.now() - stats.mtimeMs > EMPTY_LOCK_STALE_MS;
}

/** In this process: the holder of each app folder, as a promise that settles when it lets go. */
const held = new Map<string, Promise<void>>();

async function acquireInProcess(appFolder: string): Promise<() => void> {
  let letGo = () => {};
  const mine = new Promise<void>((resolve) => {
    letGo = resolve;
  });
  const previous = held.get(appFolder) ?? Promise.resolve();
  const chain = previous.then(() => mine);
  held.set(appFolder, chain);
  await previous;
  return () => {
    letGo();
    // The last holder cleans up after itself, so the map does not grow with every folder ever locked.
    void chain.then(() => {
      if (held.get(appFolder) === chain) held.delete(appFolder);
    });
  };
}

async function acquireFile(appFolder: string): Promise<number> {
  const lockFile = path.join(appFolder, LOCK_NAME);
  const deadline = Date.now() + WAIT_MS;
  const me = thisProcess();
  for (;;) {
    try {
      // Synchronous: a few microseconds, cheaper than promise-based file handles (see sessionWriter).
      const fd = openSync(lockFile, LOCK_FLAGS, 0o600);
      try {
        writeSync(fd, `${me.pid}-${me.start}`);
        return fstatSync(fd).ino;
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw ioError(`change sessions in ${appFolder}`, error);
    }
    if (await lockIsStale(lockFile)) {
      await fs.unlink(lockFile).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) {
      throw new AppError(
        'conflict',
        `Another Mobile Sessions window or command is changing sessions of ${path.basename(appFolder)}: not changed. Try again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function releaseFile(appFolder: string, ino: number): void {
  const lockFile = path.join(appFolder, LOCK_NAME);
  try {
    if (lstatSync(lockFile).ino === ino) unlinkSync(lockFile);
  } catch {
    // gone already
  }
}

/**
 * Locks app folders (absolute paths) for this process, in sorted order so that two holders never
 * wait for each other. Returns the function that lets them all go.
 */
export async function lockAppFolders(appFolders: Iterable<string>): Promise<() => void> {
  const releases: Array<() => void> = [];
  const releaseAll = () => {
    for (const release of releases.reverse()) release();
    releases.length = 0;
  };
  try {
    for (const appFolder of [...new Set(appFolders)].sort()) {
      const letGo = await acquireInProcess(appFolder);
      releases.push(letGo);
      const ino = await acquireFile(appFolder);
      releases.push(() => releaseFile(appFolder, ino));
    }
  } catch (error) {
    releaseAll();
    throw error;
  }
  return releaseAll;
}
