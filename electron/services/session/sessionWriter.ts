/**
 * The one writer: every byte the app puts in a MobileApps folder goes through here. Written over
 * plain `fs` primitives rather than write-file-atomic, which resolves links (`realpath`) and then
 * renames over whatever the link points to, and cannot tell what its rename displaced.
 *
 * Replacing a session file (docs/architecture.md, "How a status change is written"):
 *  1. the new bytes go to `<work folder>/<id>.new`, created O_CREAT|O_EXCL|O_NOFOLLOW, given the
 *     file's owner, group and mode, flushed;
 *  2. whatever is at the session's name now is renamed aside to `<id>.base` (a rename moves a link
 *     itself, never its target);
 *  3. what was moved aside is compared with the bytes the edit was based on; if it is not them
 *     (someone replaced or rewrote the file after we read it), it goes straight back: a conflict,
 *     and nobody ever saw our version;
 *  4. the new file is hard-linked at the session's literal name, which fails if anyone wrote a
 *     file there while the name was free (then theirs stays: a conflict);
 *  5. what was moved aside is compared once more: a write in place through a descriptor opened
 *     before step 2 may have landed after step 3; then theirs is put back without ever replacing
 *     a newer version, and the edit is reported as a conflict.
 * No version written by another process is dropped, except one written in place, through a
 * descriptor opened before step 2, after step 5 has read it. Between steps 2 and 4 (a few system
 * calls) the session's name is free: a reader then finds no file, a writer creating one wins.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsync,
  linkSync,
  lstatSync,
  openSync,
  readSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../../shared/errors.js';
import { errnoCode, ioError } from '../fsErrors.js';
import { MAX_SESSION_FILE_BYTES, parseSessionBytes } from './sessionFile.js';
import { type WorkFolders, workNames } from './workFolder.js';

export type TrashFunction = (file: string) => Promise<void>;

/**
 * The OS trash (Finder Trash, Recycle Bin, freedesktop Trash), through the `trash` package, loaded
 * only when a file goes to the trash this way: the desktop app uses Electron's shell.trashItem
 * instead and never loads it.
 */
export const moveToOsTrash: TrashFunction = async (file) => {
  const { default: trash } = await import('trash');
  await trash(file, { glob: false });
};

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** O_NOFOLLOW does not exist on Windows, where the directory entry's link flag is the guard. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const READ_FLAGS = constants.O_RDONLY | NOFOLLOW | (constants.O_NONBLOCK ?? 0);
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | NOFOLLOW;

/** A version of a session file: its bytes and the identity a rewrite must keep. */
export interface SessionBytes {
  bytes: Buffer;
  mode: number;
  uid: number;
  gid: number;
  /** The file's birth time (change time where there is none), ISO: its first-seen time. */
  born: string;
  /** Inode, size and times: differs when the file was written again, even with the same bytes. */
  stamp: string;
}

/** What a rewrite or a restore keeps of a file. */
export type FileIdentity = Pick<SessionBytes, 'mode' | 'uid' | 'gid'>;

/**
 * Reads a file without following a link. Synchronous on purpose, like the scan's reader: a
 * session is a few KB, and promise-based file handles cost more than the read itself (the write
 * path's profile: most of its own time went to FileHandle objects). Only fsync, which waits for
 * the disk, is asynchronous.
 */
function readNoFollow(file: string): SessionBytes {
  const fd = openSync(file, READ_FLAGS);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new AppError('not-a-session', `${path.basename(file)} is not a regular file.`);
    if (stats.size > MAX_SESSION_FILE_BYTES) {
      throw new AppError(
        'not-a-session',
        `${path.basename(file)} is ${stats.size} bytes, too large to be a session.`,
      );
    }
    const buffer = Buffer.allocUnsafe(stats.size + 1);
    let length = 0;
    for (;;) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      if (length > MAX_SESSION_FILE_BYTES) {
        throw new AppError(
          'not-a-session',
          `${path.basename(file)} grew past the size limit while being read.`,
        );
      }
      if (length === buffer.length) break; // grew while read: the next check sees the change
    }
    return {
      bytes: Buffer.from(buffer.subarray(0, length)),
      mode: stats.mode & 0o7777,
      uid: stats.uid,
      gid: stats.gid,
      born: new Date(stats.birthtimeMs > 0 ? stats.birthtimeMs : stats.ctimeMs).toISOString(),
      stamp: `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`,
    };
  } finally {
    closeSync(fd);
  }
}

/** Reads a session file as it is on disk now; refuses links, non-files and oversized files. */
export async function readSessionBytes(file: string): Promise<SessionBytes> {
  try {
    return readNoFollow(file);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = errnoCode(error);
    if (code === 'ENOENT') {
      throw new AppError(
        'unknown-ref',
        `${path.basename(file)} is no longer there: it was deleted or moved.`,
      );
    }
    if (code === 'ELOOP' || code === 'EMLINK') {
      throw new AppError('not-a-session', `${path.basename(file)} is a symbolic link: not written through.`);
    }
    throw ioError(`read ${file}`, error);
  }
}

/** What the file holds now, in words for a conflict message. */
async function describeNow(file: string): Promise<string> {
  try {
    const now = readNoFollow(file);
    const parsed = parseSessionBytes(now.bytes);
    const status = parsed.ok ? parsed.json.status : undefined;
    return status === 'accepted' || status === 'pending'
      ? `it is ${status} now`
      : 'it is not a valid session now';
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') return 'it is gone now';
    if (code === 'ELOOP' || code === 'EMLINK') return 'it is a symbolic link now';
    return 'it cannot be read now';
  }
}

/** A conflict error that says what the file holds now. */
export async function conflict(file: string, what: string): Promise<AppError> {
  return new AppError(
    'conflict',
    `${path.basename(file)} ${what} (${await describeNow(file)}): not changed.`,
  );
}

/** Creates `file` with `bytes`, the owner, group and mode given, flushed; returns its inode. */
const fsyncAsync = promisify(fsync);

async function writeNewFile(file: string, bytes: Buffer, like: FileIdentity): Promise<number> {
  const fd = openSync(file, CREATE_FLAGS, 0o600);
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    // Owner and group first: chown may clear set-id bits, chmod then sets the mode exactly.
    try {
      fchownSync(fd, like.uid, like.gid);
    } catch (error) {
      // A process may give a file only its own user and one of its groups: keep what it can.
      if (errnoCode(error) !== 'EPERM' && errnoCode(error) !== 'EINVAL') throw error;
    }
    fchmodSync(fd, like.mode);
    await fsyncAsync(fd);
    return fstatSync(fd).ino;
  } finally {
    closeSync(fd);
  }
}

const LINKS_UNSUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/**
 * Puts `from` at the name `to` only if that name is free; false when it is taken. A hard link
 * cannot replace anything. Where the file system has no hard links (FAT, some network shares),
 * it checks and renames: a window of one system call, the best such a file system allows.
 */
function placeIfFree(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'EEXIST') return false;
    if (!code || !LINKS_UNSUPPORTED.has(code)) throw error;
  }
  try {
    lstatSync(to);
    return false;
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
  }
  renameSync(from, to);
  return true;
}

function sameBytes(file: string, expected: Buffer): boolean {
  try {
    return readNoFollow(file).bytes.equals(expected);
  } catch {
    return false; // a link, a directory, gone or unreadable: not what the edit was based on
  }
}

/**
 * Someone else's version ended up aside (at `aside`) while ours sits at `file`. Moves whatever is
 * at `file` now out of the way, and puts back the newest version that is not ours.
 */
function putTheirsBack(file: string, aside: string, displaced: string, oursIno: number): void {
  try {
    renameSync(file, displaced);
  } catch (error) {
    if (errnoCode(error) !== 'ENOENT') throw error;
    placeIfFree(aside, file); // ours was removed by someone: theirs comes back if still free
    return;
  }
  const displacedIno = lstatSync(displaced).ino;
  // Not ours: someone wrote an even newer version after our link; it is the one to keep.
  placeIfFree(displacedIno === oursIno ? aside : displaced, file);
}

/** The chunk's work folder beside `file` (made on first use), or an `io` error naming the action. */
async function workFolderFor(work: WorkFolders, file: string, action: string): Promise<string> {
  try {
    return await work.in(path.dirname(file));
  } catch (error) {
    throw ioError(`prepare to ${action} ${file}`, error);
  }
}

/**
 * Replaces a session file's content, provided it still holds `base.bytes`; keeps its owner, group
 * and mode. Throws a `conflict` (with the file's current status) when someone else changed it.
 */
export async function replaceSessionFile(
  work: WorkFolders,
  file: string,
  base: SessionBytes,
  next: Buffer,
): Promise<void> {
  const names = workNames(path.basename(file));
  const dir = await workFolderFor(work, file, 'write');
  const fresh = path.join(dir, names.fresh);
  const aside = path.join(dir, names.base);
  const displaced = path.join(dir, names.displaced);
  await settling(work, [fresh, aside, displaced], async () => {
    let oursIno: number;
    try {
      oursIno = await writeNewFile(fresh, next, base);
    } catch (error) {
      throw ioError(`write ${file}`, error);
    }
    try {
      renameSync(file, aside);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') throw await conflict(file, 'was deleted by someone else meanwhile');
      throw ioError(`write ${file}`, error);
    }
    if (!sameBytes(aside, base.bytes)) {
      // Replaced or rewritten after we read it: theirs goes back (unless an even newer one is there).
      placeIfFree(aside, file);
      throw await conflict(file, 'was changed by someone else (the 4D Server?) meanwhile');
    }
    let placed: boolean;
    try {
      placed = placeIfFree(fresh, file);
    } catch (error) {
      try {
        placeIfFree(aside, file);
      } catch {
        // left for the recovery, which puts it back when the name is free
      }
      throw ioError(`write ${file}`, error);
    }
    // Someone wrote the file while its name was free: theirs is newer than what we read.
    if (!placed) throw await conflict(file, 'was written by someone else meanwhile');
    if (!sameBytes(aside, base.bytes)) {
      // Written in place through a descriptor opened before the move, after the first check.
      putTheirsBack(file, aside, displaced, oursIno);
      throw await conflict(file, 'was changed by someone else (the 4D Server?) meanwhile');
    }
  });
}

/**
 * Runs one file's change; once it has settled (done, or refused with every version where it
 * belongs) its temporary files are left for the chunk's end to remove (WorkFolders.removeAll):
 * removing a file is a journal transaction that would wait behind the chunk's fsyncs. After any
 * other failure they stay for the recovery, which puts a version moved aside back if its name is
 * free.
 */
async function settling<T>(work: WorkFolders, temporary: string[], change: () => Promise<T>): Promise<T> {
  try {
    const result = await change();
    work.discardLater(temporary);
    return result;
  } catch (error) {
    if (error instanceof AppError) work.discardLater(temporary);
    throw error;
  }
}

/**
 * Removes a session file, provided it still holds `base.bytes`: it is moved into the work folder
 * under its own name, checked, then sent to the trash (or unlinked). A different version found
 * there is put back, and the removal reported as a conflict.
 */
export async function removeSessionFile(
  work: WorkFolders,
  file: string,
  base: SessionBytes,
  how: { permanent: boolean; trash: TrashFunction },
): Promise<void> {
  const dir = await workFolderFor(work, file, 'delete');
  const leaving = path.join(dir, workNames(path.basename(file)).leaving);
  await settling(work, [leaving], async () => {
    try {
      renameSync(file, leaving);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') throw await conflict(file, 'was deleted by someone else meanwhile');
      throw ioError(`delete ${file}`, error);
    }
    if (!sameBytes(leaving, base.bytes)) {
      placeIfFree(leaving, file);
      throw await conflict(file, 'was changed by someone else (the 4D Server?) meanwhile');
    }
    try {
      if (how.permanent) unlinkSync(leaving);
      else await how.trash(leaving);
    } catch (error) {
      let putBack = false;
      try {
        putBack = placeIfFree(leaving, file);
      } catch {
        // not put back: the recovery will, when the chunk ends or at the next start
      }
      if (putBack) {
        throw ioError(how.permanent ? `delete ${file}` : `move ${file} to the trash`, error);
      }
      throw error; // not put back: the recovery will, when the chunk ends or at the next start
    }
  });
}

/**
 * Puts deleted bytes back where they were, never over a file that has appeared since: written and
 * flushed in the work folder with the owner, group and mode the file had, then linked into place.
 * Returns `already` when the name holds exactly these bytes (another undo got there first).
 */
export async function restoreSessionFile(
  work: WorkFolders,
  file: string,
  saved: FileIdentity & { bytes: Buffer },
): Promise<'restored' | 'already'> {
  const dir = await workFolderFor(work, file, 'restore');
  const fresh = path.join(dir, workNames(path.basename(file)).fresh);
  const placed = await settling(work, [fresh], async () => {
    try {
      await writeNewFile(fresh, saved.bytes, saved);
      return placeIfFree(fresh, file);
    } catch (error) {
      throw ioError(`restore ${file}`, error);
    }
  });
  if (placed) return 'restored';
  if (sameBytes(file, saved.bytes)) return 'already';
  throw new AppError(
    'conflict',
    `${path.basename(file)} exists again (${await describeNow(file)}; the device logged in anew?): not overwritten.`,
  );
}
