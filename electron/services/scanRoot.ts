/**
 * Scans a MobileApps folder from scratch: every app folder, every session file, judged. No single
 * file (junk, huge, link, vanished, unreadable) can stop the scan. Files are read one at a time,
 * synchronously, in short time slices (see sessionReader for why): one descriptor open at most.
 */
import { type Dirent, readdirSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../shared/errors.js';
import type { AppSummary, FileProblem, SessionSummary } from '../../shared/session.js';
import { describeApp, readAppManifest } from './appFolder.js';
import { describeFsError, errnoCode } from './fsErrors.js';
import { problem } from './sessionChecks.js';
import { isAppFolderName, isSessionFileName } from './sessionNames.js';
import { type FileStamp, readSessionFile } from './sessionReader.js';
import { TimeSlicer } from './timeSlices.js';

export interface AppScan extends AppSummary {
  sessions: SessionSummary[];
}

export interface ScanResult {
  root: string;
  apps: AppScan[];
  /** Every problem of every file, parseable or not. */
  problems: FileProblem[];
  /** The stamp of every session file read, by `<folder>/<file>`, for incremental refresh. */
  stamps: Map<string, FileStamp>;
}

export interface ScanOptions {
  /** Called between time slices and at the end: files read so far, files in all. */
  onProgress?: (scanned: number, total: number) => void;
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
}

export function listSessionCandidates(root: string, folder: string): AppFolderListing {
  try {
    const entries = readdirSync(path.join(root, folder), { withFileTypes: true });
    const candidates = entries
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && isSessionFileName(entry.name))
      .map((entry) => entry.name)
      .sort();
    return { candidates, problem: null };
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return { candidates: [], problem: null };
    const message = `The app folder cannot be read: ${describeFsError(error)}.`;
    return { candidates: [], problem: { path: `${folder}/`, ...problem('unreadable', message) } };
  }
}

/** Reads one app folder's files into an app scan. */
function assembleApp(
  folder: string,
  sessions: SessionSummary[],
  broken: FileProblem[],
  root: string,
): AppScan {
  const app = describeApp(folder, readAppManifest(path.join(root, folder)), sessions);
  app.counts.problems = broken.length + sessions.filter((s) => s.problems.length > 0).length;
  return { ...app, sessions };
}

export async function scanRoot(root: string, options: ScanOptions = {}): Promise<ScanResult> {
  const absoluteRoot = path.resolve(root);
  const slicer = new TimeSlicer();
  const folders = listAppFolders(absoluteRoot);
  const listings = folders.map((folder) => listSessionCandidates(absoluteRoot, folder));
  const total = listings.reduce((sum, listing) => sum + listing.candidates.length, 0);
  let scanned = 0;

  const apps: AppScan[] = [];
  const problems: FileProblem[] = [];
  const stamps = new Map<string, FileStamp>();
  for (const [index, folder] of folders.entries()) {
    const listing = listings[index] ?? { candidates: [], problem: null };
    const sessions: SessionSummary[] = [];
    const broken: FileProblem[] = listing.problem ? [listing.problem] : [];
    for (const fileName of listing.candidates) {
      const read = readSessionFile(absoluteRoot, folder, fileName);
      if (read.kind === 'session') {
        sessions.push(read.summary);
        stamps.set(read.summary.ref, read.stamp);
        for (const sessionProblem of read.summary.problems)
          problems.push({ path: read.summary.ref, ...sessionProblem });
      } else if (read.kind === 'broken') {
        broken.push(read.problem);
      }
      scanned += 1;
      await slicer.maybeYield(() => options.onProgress?.(scanned, total));
    }
    problems.push(...broken);
    apps.push(assembleApp(folder, sessions, broken, absoluteRoot));
  }
  options.onProgress?.(scanned, total);
  return { root: absoluteRoot, apps, problems, stamps };
}
