/**
 * One Mobile Sessions writer per session file at a time, across windows, the browser mode and the
 * CLI. The writer's protocol is safe against any other process, but two of its own runs on one
 * file could interleave so that one puts back a version the other had already superseded. So each
 * write holds `<app folder>/.mobile-sessions-lock-<id>`, created with O_CREAT|O_EXCL|O_NOFOLLOW
 * (git's `index.lock`), holding `<pid>-<start>` of its owner. A lock whose owner is dead is stale:
 * it is removed by whoever finds it, and by the next start. Within one process, writes to one file
 * are queued before they reach the lock.
 */
import { constants, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import { errnoCode, ioError } from './fsErrors.js';
import {
  type LeftoverWorkFolder,
  listAppFolderEntries,
  type ProcessIdentity,
  processIsAlive,
  thisProcess,
} from './workFolder.js';

export const LOCK_PREFIX = '.mobile-sessions-lock-';
const LOCK_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
/** How long a write waits for another Mobile Sessions process to finish with the same file. */
const WAIT_MS = 10_000;
const POLL_MS = 5;
/** A lock still empty after this long was left by a process that died as it made it. */
const EMPTY_LOCK_STALE_MS = 5_000;

export const isLockName = (name: string) => name.startsWith(LOCK_PREFIX);

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

const queues = new Map<string, Promise<unknown>>();

async function acquire(lockFile: string): Promise<number> {
  const deadline = Date.now() + WAIT_MS;
  const me = thisProcess();
  for (;;) {
    try {
      const handle = await fs.open(lockFile, LOCK_FLAGS, 0o600);
      try {
        await handle.writeFile(`${me.pid}-${me.start}`);
        return (await handle.stat()).ino;
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (errnoCode(error) !== 'EEXIST') throw ioError(`change ${lockFile.replace(LOCK_PREFIX, '')}`, error);
    }
    if (await lockIsStale(lockFile)) {
      await fs.unlink(lockFile).catch(() => {});
      continue;
    }
    if (Date.now() > deadline) {
      throw new AppError(
        'conflict',
        `${path.basename(lockFile).slice(LOCK_PREFIX.length)} is being changed by another Mobile Sessions window or command: not changed. Try again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function release(lockFile: string, ino: number): Promise<void> {
  const stats = await fs.lstat(lockFile).catch(() => null);
  if (stats?.ino === ino) await fs.unlink(lockFile).catch(() => {});
}

/** Runs `write` holding the lock of session file `file` (an absolute path). */
export function withSessionLock<T>(file: string, write: () => Promise<T>): Promise<T> {
  const lockFile = path.join(path.dirname(file), `${LOCK_PREFIX}${path.basename(file)}`);
  const previous = queues.get(file) ?? Promise.resolve();
  const run = previous.then(async () => {
    const ino = await acquire(lockFile);
    try {
      return await write();
    } finally {
      await release(lockFile, ino);
    }
  });
  const settled = run.catch(() => {});
  queues.set(file, settled);
  void settled.then(() => {
    if (queues.get(file) === settled) queues.delete(file);
  });
  return run;
}

/** Removes the locks of dead processes in every app folder; returns those it could not remove. */
export async function removeStaleLocks(root: string): Promise<LeftoverWorkFolder[]> {
  const leftovers: LeftoverWorkFolder[] = [];
  for (const [folder, entry] of listAppFolderEntries(root)) {
    if (!entry.isFile() || !isLockName(entry.name)) continue;
    const lockFile = path.join(root, folder, entry.name);
    if (!(await lockIsStale(lockFile))) continue;
    await fs.unlink(lockFile).catch((error: unknown) => {
      if (errnoCode(error) !== 'ENOENT')
        leftovers.push({ path: `${folder}/${entry.name}`, reason: String(error) });
    });
  }
  return leftovers;
}
