/**
 * After an undone delete, the copy the delete sent to the OS trash would stay there, a second
 * "deleted" version of a session that is back. This removes it where the trash can be listed and
 * the copy told apart for certain:
 *
 * - **Linux (freedesktop trash)**: the home trash (`$XDG_DATA_HOME/Trash`, `~/.local/share/Trash`)
 *   and the trash of the folder's own mount (`<top>/.Trash/<uid>`, `<top>/.Trash-<uid>`), where the
 *   `trash` package and Electron's `shell.trashItem` (GIO) put files. A copy is ours only if its
 *   `.trashinfo` names the path the delete sent it from (the session's name inside one of our work
 *   folders of the session's app folder) and its bytes are exactly the bytes deleted; anything
 *   else, an other program's file, a version someone changed, a link, is left alone.
 * - **macOS**: the Finder's Trash keeps no record of where a file came from that a program may
 *   read (`~/.Trash` is protected by the system's privacy controls, and "Put Back" data lives in
 *   the Finder's private store): not done.
 * - **Windows**: the Recycle Bin's `$I` records are readable, but matching one means walking
 *   `$Recycle.Bin\<SID>` of every drive through an undocumented binary format: not done.
 *
 * Best effort: the restore has happened either way; a failure here only leaves the copy.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isWorkFolderName, workNames } from './workFolder.js';

/** A session file is at most this large (the reader's limit): a bigger "copy" is not ours. */
const MAX_COPY_BYTES = 1024 * 1024;

export interface TrashedCopyOptions {
  platform?: NodeJS.Platform;
  /** The trash folders to look in (tests); default: the freedesktop ones for the file. */
  trashDirs?: string[];
}

/** The freedesktop trash folders a file of `folder` may have gone to. */
async function freedesktopTrashDirs(folder: string): Promise<string[]> {
  const dataHome = process.env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  const dirs = [path.join(dataHome, 'Trash')];
  // The top directory of the folder's mount: the highest ancestor on the same device.
  try {
    const device = (await fs.stat(folder)).dev;
    let top = folder;
    for (let parent = path.dirname(top); parent !== top; parent = path.dirname(top)) {
      if ((await fs.stat(parent)).dev !== device) break;
      top = parent;
    }
    const uid = process.getuid?.() ?? 0;
    dirs.push(path.join(top, '.Trash', String(uid)), path.join(top, `.Trash-${uid}`));
  } catch {
    // the folder is gone: only the home trash
  }
  return dirs;
}

/** The original path a `.trashinfo` records (URL-escaped; relative to a top directory's trash). */
function recordedPath(info: string, trashDir: string): string | null {
  const line = /^Path=(.*)$/m.exec(info)?.[1]?.trim();
  if (!line) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(line);
  } catch {
    return null;
  }
  // A top directory's trash (`<top>/.Trash/<uid>`, `<top>/.Trash-<uid>`) may record paths relative to <top>.
  if (path.isAbsolute(decoded)) return decoded;
  const top =
    path.basename(path.dirname(trashDir)) === '.Trash'
      ? path.dirname(path.dirname(trashDir))
      : path.dirname(trashDir);
  return path.join(top, decoded);
}

/** Whether `recorded` is where a delete of `sessionFile` sent it from: its name, in one of our work folders beside it. */
function sentByOurDelete(recorded: string, sessionFile: string): boolean {
  const workFolder = path.dirname(recorded);
  return (
    path.dirname(workFolder) === path.dirname(sessionFile) &&
    isWorkFolderName(path.basename(workFolder)) &&
    path.basename(recorded) === workNames(path.basename(sessionFile)).leaving
  );
}

/**
 * Removes from the OS trash the copy a delete of `sessionFile` put there, if it holds exactly the
 * bytes whose sha-256 is `sha256Hex`. Returns whether a copy was removed (false where not done).
 */
export async function removeTrashedCopy(
  sessionFile: string,
  sha256Hex: string,
  options: TrashedCopyOptions = {},
): Promise<boolean> {
  if ((options.platform ?? process.platform) !== 'linux') return false;
  const trashDirs = options.trashDirs ?? (await freedesktopTrashDirs(path.dirname(sessionFile)));
  for (const trashDir of trashDirs) {
    const infoDir = path.join(trashDir, 'info');
    const names = await fs.readdir(infoDir).catch(() => [] as string[]);
    for (const infoName of names) {
      if (!infoName.endsWith('.trashinfo')) continue;
      const infoFile = path.join(infoDir, infoName);
      const info = await fs.readFile(infoFile, 'utf8').catch(() => '');
      const recorded = recordedPath(info, trashDir);
      if (!recorded || !sentByOurDelete(recorded, sessionFile)) continue;
      const copy = path.join(trashDir, 'files', infoName.slice(0, -'.trashinfo'.length));
      const stat = await fs.lstat(copy).catch(() => null);
      if (!stat?.isFile() || stat.size > MAX_COPY_BYTES) continue;
      const bytes = await fs.readFile(copy).catch(() => null);
      if (!bytes || createHash('sha256').update(bytes).digest('hex') !== sha256Hex) continue;
      await fs.unlink(copy);
      await fs.unlink(infoFile).catch(() => {}); // the spec: the file first, then its record
      return true;
    }
  }
  return false;
}
