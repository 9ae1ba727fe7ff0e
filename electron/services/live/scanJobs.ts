/**
 * The units of a scan: list one app folder (and lstat every file in it, when the index already
 * knows the folder), or read a few hundred of its files. The same code runs a job on the main
 * thread (in short time slices) or in a scan worker (scanWorker.ts), so both give exactly the same
 * answers.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { readSessionFile, type SessionFileRead } from '../session/sessionReader.js';
import { type AppManifest, readAppManifest } from './appFolder.js';
import { type AppFolderListing, listSessionCandidates } from './folderListing.js';

export type ScanJob =
  /**
   * The folder's listing; with `stamps`, an lstat of every candidate too (a Refresh: the stamps
   * decide which files must be read again). One job a folder rather than a listing and then stat
   * jobs of a thousand files: the round trips between them left the worker idle, and it ran a
   * third of the jobs where it could run half.
   */
  { kind: 'list'; folder: string; stamps: boolean } | { kind: 'read'; folder: string; names: string[] };

export type ScanJobResult =
  | {
      kind: 'list';
      listing: AppFolderListing;
      manifest: AppManifest | null;
      /** Per candidate, in the listing's order: STAT_WIDTH numbers (regular file 1 or 0, ino, size, mtimeMs, ctimeMs). */
      stamps: Float64Array | null;
    }
  | { kind: 'read'; reads: SessionFileRead[] };

export const STAT_WIDTH = 5;

/** Names per read job: a few milliseconds of work. */
export const READ_JOB_FILES = 128;

/** Called after each file; a promise means: await it (the event loop's turn on the main thread). */
export type AfterFile = () => Promise<void> | undefined;

export async function runScanJob(root: string, job: ScanJob, afterFile: AfterFile): Promise<ScanJobResult> {
  const folderPath = path.join(root, job.folder) + path.sep;
  if (job.kind === 'list') {
    const listing = listSessionCandidates(root, job.folder);
    const manifest = readAppManifest(path.join(root, job.folder));
    if (!job.stamps) return { kind: 'list', listing, manifest, stamps: null };
    const names = listing.candidates;
    const stamps = new Float64Array(names.length * STAT_WIDTH);
    for (const [i, name] of names.entries()) {
      statInto(stamps, i * STAT_WIDTH, folderPath + name);
      const pause = afterFile();
      if (pause) await pause;
    }
    return { kind: 'list', listing, manifest, stamps };
  }
  const reads: SessionFileRead[] = [];
  for (const name of job.names) {
    reads.push(readSessionFile(root, job.folder, name));
    const pause = afterFile();
    if (pause) await pause;
  }
  return { kind: 'read', reads };
}

function statInto(out: Float64Array, offset: number, file: string): void {
  try {
    const stats = lstatSync(file, { throwIfNoEntry: false });
    if (!stats?.isFile()) return; // 0: gone, a link, or not a regular file
    out[offset] = 1;
    out[offset + 1] = stats.ino;
    out[offset + 2] = stats.size;
    out[offset + 3] = stats.mtimeMs;
    out[offset + 4] = stats.ctimeMs;
  } catch {
    // Unreadable: the read that follows says why.
  }
}
