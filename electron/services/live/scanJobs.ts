/**
 * The units of a scan: list one app folder, stat a few thousand of its files, or read a few
 * hundred. The same code runs a job on the main thread (in short time slices) or in a scan
 * worker (scanWorker.ts), so both give exactly the same answers.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import { readSessionFile, type SessionFileRead } from '../session/sessionReader.js';
import { type AppManifest, readAppManifest } from './appFolder.js';
import { type AppFolderListing, listSessionCandidates } from './folderListing.js';

export type ScanJob =
  | { kind: 'list'; folder: string }
  /** An lstat of each name: the stamps decide which files must be read again. */
  | { kind: 'stat'; folder: string; names: string[] }
  | { kind: 'read'; folder: string; names: string[] };

export type ScanJobResult =
  | { kind: 'list'; listing: AppFolderListing; manifest: AppManifest | null }
  /** Per name: STAT_WIDTH numbers (regular file 1 or 0, ino, size, mtimeMs, ctimeMs). */
  | { kind: 'stat'; stamps: Float64Array }
  | { kind: 'read'; reads: SessionFileRead[] };

export const STAT_WIDTH = 5;

/** Names per job: a read job is a few milliseconds of work, a stat job about as much. */
export const READ_JOB_FILES = 128;
export const STAT_JOB_FILES = 1024;

/** Called after each file; a promise means: await it (the event loop's turn on the main thread). */
export type AfterFile = () => Promise<void> | undefined;

export async function runScanJob(root: string, job: ScanJob, afterFile: AfterFile): Promise<ScanJobResult> {
  if (job.kind === 'list') {
    return {
      kind: 'list',
      listing: listSessionCandidates(root, job.folder),
      manifest: readAppManifest(path.join(root, job.folder)),
    };
  }
  const folderPath = path.join(root, job.folder) + path.sep;
  if (job.kind === 'stat') {
    const stamps = new Float64Array(job.names.length * STAT_WIDTH);
    for (const [i, name] of job.names.entries()) {
      statInto(stamps, i * STAT_WIDTH, folderPath + name);
      const pause = afterFile();
      if (pause) await pause;
    }
    return { kind: 'stat', stamps };
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
