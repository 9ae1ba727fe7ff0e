/**
 * What is in a MobileApps folder, without reading any session: the app folders of the root, and
 * the candidate session files, leftovers and listing problem of one app folder. Shared by the
 * scan on the main thread and the scan workers (scanWorker.ts), so it imports nothing heavier.
 */
import { type Dirent, readdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import type { FileProblem } from '../../../shared/session.js';
import { describeFsError, errnoCode } from '../fsErrors.js';
import { processIsAlive } from '../session/processIdentity.js';
import { problem } from '../session/sessionChecks.js';
import { isLockName, lockOwner } from '../session/sessionLock.js';
import { isAppFolderName, isSessionFileName } from '../session/sessionNames.js';
import { isWorkFolderName, workFolderOwner } from '../session/workFolder.js';

/** Lists the root's app folders; a missing or unreadable root is an error the admin must see. */
export function listAppFolders(root: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(root, { withFileTypes: true });
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new AppError('root-missing', `The folder ${root} does not exist or is not a folder.`, {
        cause: error,
      });
    }
    throw new AppError('io', `Could not read the folder ${root}: ${describeFsError(error)}.`, {
      cause: error,
    });
  }
  return entries
    .filter((entry) => entry.isDirectory() && isAppFolderName(entry.name))
    .map((entry) => entry.name)
    .sort();
}

export interface AppFolderListing {
  /** Regular files and links with session names; links are reported, never followed. */
  candidates: string[];
  /** Set when the folder itself could not be listed. */
  problem: FileProblem | null;
  /** Work folders of dead Mobile Sessions processes that are still there (the start could not remove them). */
  leftovers: string[];
}

export function listSessionCandidates(root: string, folder: string): AppFolderListing {
  try {
    const entries = readdirSync(path.join(root, folder), { withFileTypes: true });
    const candidates: string[] = [];
    const leftovers: string[] = [];
    for (const entry of entries) {
      if ((entry.isFile() || entry.isSymbolicLink()) && isSessionFileName(entry.name))
        candidates.push(entry.name);
      else if (entry.isDirectory() && isWorkFolderName(entry.name)) {
        const owner = workFolderOwner(entry.name);
        if (owner !== null && !processIsAlive(owner)) leftovers.push(entry.name);
      } else if (entry.isFile() && isLockName(entry.name)) {
        const owner = lockOwner(path.join(root, folder, entry.name));
        if (owner !== null && !processIsAlive(owner)) leftovers.push(entry.name);
      }
    }
    return { candidates: candidates.sort(), problem: null, leftovers };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { candidates: [], problem: null, leftovers: [] };
    const message = `The app folder cannot be read: ${describeFsError(error)}.`;
    return {
      candidates: [],
      problem: { path: `${folder}/`, ...problem('unreadable', message) },
      leftovers: [],
    };
  }
}
