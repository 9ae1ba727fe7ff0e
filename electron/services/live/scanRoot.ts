/**
 * Brings an index in line with the disk. The same pass serves the first scan (every file is new,
 * so it is read without a stat first) and Refresh (a file whose identity, size and times are
 * unchanged costs one lstat, not a read). No single file (junk, huge, link, vanished, unreadable)
 * can stop it. Files are read one at a time, synchronously, in short time slices (sessionReader
 * says why): one descriptor open at most, and the event loop gets a turn every few milliseconds.
 */
import { type Dirent, lstatSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import { AppError } from '../../../shared/errors.js';
import type { FileProblem } from '../../../shared/session.js';
import { describeFsError, errnoCode } from '../fsErrors.js';
import { processIsAlive } from '../session/processIdentity.js';
import { problem } from '../session/sessionChecks.js';
import { isLockName, lockOwner } from '../session/sessionLock.js';
import { isAppFolderName, isSessionFileName } from '../session/sessionNames.js';
import { type FileStamp, readSessionFile } from '../session/sessionReader.js';
import { isWorkFolderName, workFolderOwner } from '../session/workFolder.js';
import { readAppManifest } from './appFolder.js';
import { type IndexSnapshot, SessionIndex } from './sessionIndex.js';
import { TimeSlicer } from './timeSlices.js';

export type { IndexedApp as AppScan } from './sessionIndex.js';

export interface ScanResult extends IndexSnapshot {
  /** The stamp of every file read, by `<folder>/<file>`. */
  stamps: Map<string, FileStamp>;
}

export interface SyncOptions {
  /** Called between time slices and at the end: files looked at so far, files in all. */
  onProgress?: (scanned: number, total: number) => void;
  /** Called between time slices with the deltas found so far, so the first rows show before the last file is read. */
  onDeltas?: (deltas: WorkspaceDelta[]) => void;
}

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

function sameStamp(file: string, known: FileStamp): boolean {
  try {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    return (
      stats?.isFile() === true &&
      stats.ino === known.ino &&
      stats.size === known.size &&
      stats.mtimeMs === known.mtimeMs &&
      stats.ctimeMs === known.ctimeMs
    );
  } catch {
    return false;
  }
}

/** Where a sync pass sends its deltas, and when it may pause. */
const leftoverProblem = (folder: string, name: string): FileProblem => ({
  path: `${folder}/${name}`,
  ...problem(
    'leftover',
    'A work folder or lock left by an interrupted Mobile Sessions change. It holds no session the server uses; ' +
      'opening the folder in Mobile Sessions removes it, and since it is still here it could not be removed ' +
      '(check its permissions, then remove it by hand).',
  ),
});

export interface SyncSink {
  emit: (deltas: WorkspaceDelta[]) => void;
  /** Called after each file; a promise means: await it (the event loop's turn). */
  afterFile: () => Promise<void> | undefined;
}

/**
 * Re-reads one app folder's listing and the files in it that changed (all of them when the
 * folder is new to the index), and forgets the files that are gone.
 */
export async function syncAppFolder(
  index: SessionIndex,
  folder: string,
  sink: SyncSink,
  listing: AppFolderListing = listSessionCandidates(index.root, folder),
): Promise<void> {
  const root = index.root;
  let changed = 0;
  const emit = (deltas: WorkspaceDelta[]) => {
    changed += deltas.length;
    sink.emit(deltas);
  };
  emit(index.addApp(folder, readAppManifest(path.join(root, folder))));
  emit(index.setFolderProblem(folder, listing.problem));
  const entry = index.apps.get(folder);
  if (!entry) return;
  const present = new Set([...listing.candidates, ...listing.leftovers]);
  for (const name of [...entry.sessions.keys(), ...entry.broken.keys()]) {
    if (name !== '' && !present.has(name)) emit(index.applyRead(folder, name, { kind: 'absent' }));
  }
  for (const name of listing.leftovers) {
    emit(
      index.applyRead(folder, name, { kind: 'broken', problem: leftoverProblem(folder, name), stamp: null }),
    );
  }
  const folderPath = path.join(root, folder) + path.sep;
  for (const fileName of listing.candidates) {
    const known = index.stamps.get(`${folder}/${fileName}`);
    if (!known || !sameStamp(folderPath + fileName, known)) {
      emit(index.applyRead(folder, fileName, readSessionFile(root, folder, fileName)));
    }
    const pause = sink.afterFile();
    if (pause) await pause;
  }
  // Counts and labels are recomputed only when something in the folder changed.
  if (changed > 0) sink.emit(index.appChanges([folder]));
}

/** Brings the whole index in line with the disk; returns every delta (also given to `onDeltas` as they come). */
export async function syncIndex(index: SessionIndex, options: SyncOptions = {}): Promise<WorkspaceDelta[]> {
  const folders = listAppFolders(index.root);
  const listings = folders.map((folder) => listSessionCandidates(index.root, folder));
  const total = listings.reduce((sum, listing) => sum + listing.candidates.length, 0);
  const all: WorkspaceDelta[] = [];
  let pending: WorkspaceDelta[] = [];
  let scanned = 0;
  const flush = () => {
    options.onProgress?.(scanned, total);
    if (options.onDeltas && pending.length > 0) {
      const batch = pending;
      pending = [];
      options.onDeltas(batch);
    }
  };
  const slicer = new TimeSlicer();
  const sink: SyncSink = {
    emit: (deltas) => {
      if (deltas.length === 0) return;
      all.push(...deltas);
      if (options.onDeltas) pending.push(...deltas);
    },
    afterFile: () => {
      scanned += 1;
      return slicer.pause(flush);
    },
  };
  const onDisk = new Set(folders);
  for (const folder of [...index.apps.keys()]) if (!onDisk.has(folder)) sink.emit(index.removeApp(folder));
  for (const [i, folder] of folders.entries()) await syncAppFolder(index, folder, sink, listings[i]);
  flush();
  return all;
}

/** A full scan from scratch (the CLI's list and check). */
export async function scanRoot(
  root: string,
  options: Omit<SyncOptions, 'onDeltas'> & { firstSeen?: ReadonlyMap<string, string> } = {},
): Promise<ScanResult> {
  const index = new SessionIndex(path.resolve(root));
  if (options.firstSeen) index.firstSeen = options.firstSeen;
  await syncIndex(index, options);
  return { ...index.snapshot(), stamps: index.stamps };
}
