/**
 * The one writer: every byte the app puts in a MobileApps folder goes through here. Writes are
 * compare-and-swap on the file's current bytes (a conflict is reported, never guessed through),
 * atomic (temporary file in the same folder, flushed, renamed: write-file-atomic, which also
 * keeps the file's mode and, where permitted, its owner), and never through a link.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import trash from 'trash';
import writeFileAtomic from 'write-file-atomic';
import { AppError } from '../../shared/errors.js';
import { errnoCode, ioError } from './fsErrors.js';
import { MAX_SESSION_FILE_BYTES } from './sessionFile.js';

export type TrashFunction = (file: string) => Promise<void>;

/** The OS trash (Finder Trash, Recycle Bin, freedesktop Trash), through the `trash` package. */
export const moveToOsTrash: TrashFunction = async (file) => {
  await trash(file, { glob: false });
};

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export interface SessionBytes {
  bytes: Buffer;
  mode: number;
}

/** Reads a session file as it is on disk now; refuses links, non-files and oversized files. */
export async function readSessionBytes(file: string): Promise<SessionBytes> {
  let stats: Awaited<ReturnType<typeof fs.lstat>>;
  try {
    stats = await fs.lstat(file);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') {
      throw new AppError(
        'unknown-ref',
        `${path.basename(file)} is no longer there: it was deleted or moved.`,
      );
    }
    throw ioError(`read ${file}`, error);
  }
  if (stats.isSymbolicLink())
    throw new AppError('not-a-session', `${file} is a symbolic link: not written through.`);
  if (!stats.isFile()) throw new AppError('not-a-session', `${file} is not a regular file.`);
  if (stats.size > MAX_SESSION_FILE_BYTES) {
    throw new AppError('not-a-session', `${file} is ${stats.size} bytes, too large to be a session.`);
  }
  try {
    return { bytes: await fs.readFile(file), mode: stats.mode & 0o7777 };
  } catch (error) {
    throw ioError(`read ${file}`, error);
  }
}

async function assertUnchanged(file: string, expected: Buffer): Promise<void> {
  const now = await readSessionBytes(file).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'unknown-ref') {
      throw new AppError(
        'conflict',
        `${path.basename(file)} was deleted by someone else meanwhile: nothing changed.`,
      );
    }
    throw error;
  });
  if (!now.bytes.equals(expected)) {
    throw new AppError(
      'conflict',
      `${path.basename(file)} was changed by someone else (the 4D Server?) meanwhile: nothing changed. Try again.`,
    );
  }
}

/** Replaces a session file's content, provided it still holds `expected`. */
export async function replaceSessionFile(file: string, expected: Buffer, next: Buffer): Promise<void> {
  await assertUnchanged(file, expected);
  try {
    await writeFileAtomic(file, next, { fsync: true });
  } catch (error) {
    throw ioError(`write ${file}`, error);
  }
}

/** Removes a session file, provided it still holds `expected`: to the OS trash, or for good. */
export async function removeSessionFile(
  file: string,
  expected: Buffer,
  how: { permanent: boolean; trash: TrashFunction },
): Promise<void> {
  await assertUnchanged(file, expected);
  try {
    if (how.permanent) await fs.unlink(file);
    else await how.trash(file);
  } catch (error) {
    throw ioError(how.permanent ? `delete ${file}` : `move ${file} to the trash`, error);
  }
}

/**
 * Puts deleted bytes back where they were, never over a file that has appeared since: the
 * content is written and flushed under a temporary name, then hard-linked into place (which
 * fails if the name is taken). Where links are not supported, it checks and renames.
 */
export async function restoreSessionFile(file: string, bytes: Buffer, mode: number): Promise<void> {
  const temporary = `${file}.${process.pid}.${Date.now()}.restore`;
  const taken = () =>
    new AppError(
      'conflict',
      `${path.basename(file)} exists again (the device logged in anew?): not overwritten.`,
    );
  try {
    const handle = await fs.open(temporary, 'wx', mode);
    try {
      await handle.writeFile(bytes);
      await handle.chmod(mode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.link(temporary, file);
    } catch (error) {
      const code = errnoCode(error);
      if (code === 'EEXIST') throw taken();
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
      if (
        await fs.lstat(file).then(
          () => true,
          () => false,
        )
      )
        throw taken();
      await fs.rename(temporary, file);
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw ioError(`restore ${file}`, error);
  } finally {
    await fs.unlink(temporary).catch(() => {});
  }
}
