/**
 * Brings an index in line with the disk. The same pass serves the first scan (every file is new,
 * so it is read without a stat first) and Refresh (a file whose identity, size and times are
 * unchanged costs one lstat, not a read). No single file (junk, huge, link, vanished, unreadable)
 * can stop it.
 *
 * A whole pass (`syncIndex`) runs as jobs on every core (scanPool.ts): workers list, stat and
 * read; the main thread only decides what to read and applies the answers, so its event loop
 * stays free. One app folder (`syncAppFolder`, for a watcher event) is read on the main thread,
 * synchronously, in short time slices (sessionReader says why).
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import pMap from 'p-map';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import type { FileProblem } from '../../../shared/session.js';
import { problem } from '../session/sessionChecks.js';
import { type FileStamp, readSessionFile, type SessionFileRead } from '../session/sessionReader.js';
import { type AppManifest, readAppManifest } from './appFolder.js';
import { type AppFolderListing, listAppFolders, listSessionCandidates } from './folderListing.js';
import { READ_JOB_FILES, STAT_WIDTH } from './scanJobs.js';
import { defaultScanThreads, ScanPool, type ScanPoolStats, type ScanThreads } from './scanPool.js';
import { type AppEntry, type IndexSnapshot, SessionIndex } from './sessionIndex.js';
import type { StampBook } from './stampBook.js';
import { SLICE_MS } from './timeSlices.js';

export type { AppFolderListing } from './folderListing.js';
export { listAppFolders, listSessionCandidates } from './folderListing.js';
export type { IndexedApp as AppScan } from './sessionIndex.js';

export interface ScanResult extends IndexSnapshot {
  /** The stamp of every file read, by `<folder>/<file>`. */
  stamps: Map<string, FileStamp>;
}

export interface SyncOptions {
  /** Called now and then and at the end: files looked at so far, files listed so far. */
  onProgress?: (scanned: number, total: number) => void;
  /** Called now and then with the deltas found so far, so the first rows show before the last file is read. */
  onDeltas?: (deltas: WorkspaceDelta[]) => void;
  /** The worker threads to use (default: the built worker on every core; none from source). */
  threads?: ScanThreads;
  /** Told at the end who ran the jobs. */
  onStats?: (stats: ScanPoolStats) => void;
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

/** The same comparison, on a stat job's answer: whether the book's stamp of `name` is the one at `offset`. */
function sameStampAt(stamps: Float64Array, offset: number, book: StampBook, name: string): boolean {
  return (
    stamps[offset] === 1 &&
    book.matches(
      name,
      stamps[offset + 1] as number,
      stamps[offset + 2] as number,
      stamps[offset + 3] as number,
      stamps[offset + 4] as number,
    )
  );
}

const leftoverProblem = (folder: string, name: string): FileProblem => ({
  path: `${folder}/${name}`,
  ...problem(
    'leftover',
    'A work folder or lock left by an interrupted Mobile Sessions change. It holds no session the server uses; ' +
      'opening the folder in Mobile Sessions removes it, and since it is still here it could not be removed ' +
      '(check its permissions, then remove it by hand).',
  ),
});

/** Where a sync pass sends its deltas, and when it may pause. */
export interface SyncSink {
  emit: (deltas: WorkspaceDelta[]) => void;
  /** Called after each file; a promise means: await it (the event loop's turn). */
  afterFile: () => Promise<void> | undefined;
}

/**
 * Whether every file the index knows in this folder is still listed, the common case of a
 * Refresh, told without a set of the listing: when every listed name is known and there are as
 * many of them as known files, the two sets are the same (sessions and broken files never share
 * a name). A set of 2,000 fresh names per folder cost a refresh of 100,000 sessions about 35 ms
 * on the main thread.
 */
function nothingGone(entry: AppEntry, listing: AppFolderListing): boolean {
  const known = entry.sessions.size + entry.broken.size - (entry.broken.has('') ? 1 : 0);
  if (known !== listing.candidates.length + listing.leftovers.length) return false;
  const isKnown = (name: string) => entry.sessions.has(name) || entry.broken.has(name);
  return listing.candidates.every(isKnown) && listing.leftovers.every(isKnown);
}

/**
 * What an app folder's listing says, before any file is read: the app (and its manifest), a
 * folder that cannot be listed, the files that are gone, the leftovers of dead writers.
 */
function applyListing(
  index: SessionIndex,
  folder: string,
  listing: AppFolderListing,
  manifest: AppManifest | null,
  emit: (deltas: WorkspaceDelta[]) => void,
): void {
  emit(index.addApp(folder, manifest));
  emit(index.setFolderProblem(folder, listing.problem));
  const entry = index.apps.get(folder);
  if (!entry) return;
  if (!nothingGone(entry, listing)) {
    const present = new Set([...listing.candidates, ...listing.leftovers]);
    for (const name of [...entry.sessions.keys(), ...entry.broken.keys()]) {
      if (name !== '' && !present.has(name)) emit(index.applyRead(folder, name, { kind: 'absent' }));
    }
  }
  for (const name of listing.leftovers) {
    emit(
      index.applyRead(folder, name, { kind: 'broken', problem: leftoverProblem(folder, name), stamp: null }),
    );
  }
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
  applyListing(index, folder, listing, readAppManifest(path.join(root, folder)), emit);
  if (!index.apps.has(folder)) return;
  const folderPath = path.join(root, folder) + path.sep;
  for (const fileName of listing.candidates) {
    const known = index.stampOf(folder, fileName);
    if (!known || !sameStamp(folderPath + fileName, known)) {
      emit(index.applyRead(folder, fileName, readSessionFile(root, folder, fileName)));
    }
    const pause = sink.afterFile();
    if (pause) await pause;
  }
  // Counts and labels are recomputed only when something in the folder changed.
  if (changed > 0) sink.emit(index.appChanges([folder]));
}

/**
 * App folders synced at once. Enough to keep every core busy (each folder queues all its jobs at
 * once), few enough that only a few folders' listings are alive at a time: with all 50 folders of
 * 100,000 sessions at once, their listings lived long enough to reach V8's old generation, and
 * each Refresh left about 10 MB there until the next full collection.
 */
const FOLDERS_AT_ONCE = 4;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Brings the whole index in line with the disk; returns every delta (also given to `onDeltas` as they come). */
export async function syncIndex(index: SessionIndex, options: SyncOptions = {}): Promise<WorkspaceDelta[]> {
  const folders = listAppFolders(index.root);
  const all: WorkspaceDelta[] = [];
  let pending: WorkspaceDelta[] = [];
  let scanned = 0;
  let total = 0;
  let lastFlush = Number.NEGATIVE_INFINITY;
  const flush = () => {
    lastFlush = performance.now();
    options.onProgress?.(scanned, total);
    if (options.onDeltas && pending.length > 0) {
      const batch = pending;
      pending = [];
      options.onDeltas(batch);
    }
  };
  // Listeners hear of progress at most every slice; the first rows as soon as they are read.
  const maybeFlush = () => {
    if (performance.now() - lastFlush >= SLICE_MS || (all.length > 0 && lastFlush < 0)) flush();
  };
  const emit = (deltas: WorkspaceDelta[]) => {
    if (deltas.length === 0) return;
    for (const delta of deltas) all.push(delta);
    if (options.onDeltas) for (const delta of deltas) pending.push(delta);
  };
  const onDisk = new Set(folders);
  for (const folder of [...index.apps.keys()]) if (!onDisk.has(folder)) emit(index.removeApp(folder));

  const pool = new ScanPool(index.root, options.threads ?? defaultScanThreads());
  // Largest known folders first, so that neither thread is left with a big one at the end (a
  // first scan knows none: its folders keep their order).
  const knownFiles = (folder: string) => index.apps.get(folder)?.stamps.size ?? 0;
  folders.sort((a, b) => knownFiles(b) - knownFiles(a));
  pool.expect(folders.reduce((sum, folder) => sum + knownFiles(folder), 0));
  let firstRead = true;
  const syncFolder = async (folder: string): Promise<void> => {
    const listed = await pool.run({ kind: 'list', folder, stamps: knownFiles(folder) > 0 });
    if (listed.kind !== 'list') return;
    let changed = 0;
    const emitCounted = (deltas: WorkspaceDelta[]) => {
      changed += deltas.length;
      emit(deltas);
    };
    applyListing(index, folder, listed.listing, listed.manifest, emitCounted);
    if (!index.apps.has(folder)) return;
    const { candidates } = listed.listing;
    total += candidates.length;
    // A file is read again unless the book's stamp of it is the one just taken.
    const stamps = index.apps.get(folder)?.stamps;
    const toRead: string[] = [];
    candidates.forEach((name, i) => {
      if (stamps && listed.stamps && sameStampAt(listed.stamps, i * STAT_WIDTH, stamps, name)) scanned++;
      else toRead.push(name);
    });
    maybeFlush();

    const read = async (names: string[]): Promise<void> => {
      const job = pool.run({ kind: 'read', folder, names }, firstRead);
      firstRead = false;
      const result = await job;
      if (result.kind !== 'read') return;
      result.reads.forEach((fileRead: SessionFileRead, i) => {
        emitCounted(index.applyRead(folder, names[i] as string, fileRead));
      });
      scanned += names.length;
      maybeFlush();
    };
    await Promise.all(chunks(toRead, READ_JOB_FILES).map(read));
    // Counts and labels are recomputed only when something in the folder changed.
    if (changed > 0) emit(index.appChanges([folder]));
  };
  try {
    await pMap(folders, syncFolder, { concurrency: FOLDERS_AT_ONCE });
  } finally {
    await pool.close();
  }
  options.onStats?.(pool.stats);
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
  return { ...index.snapshot(), stamps: index.allStamps() };
}
