/**
 * Reads one candidate session file safely: never follows a link, never blocks on a FIFO, never
 * reads more than MAX_SESSION_FILE_BYTES, and turns every failure into a problem, not a throw.
 *
 * Synchronous on purpose: a session file is a few KB, and Node's promise-based file handles cost
 * about ten times more than the read itself (measured: 10 s against 1 s for 100,000 files). Callers
 * that read many files do it in short slices (see scanRoot) so the event loop stays responsive.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import type { FileProblem, SessionSummary } from '../../../shared/session.js';
import { describeFsError, errnoCode } from '../fsErrors.js';
import { problem } from './sessionChecks.js';
import { judgeSession, MAX_SESSION_FILE_BYTES, parseSessionBytes, summarizeSession } from './sessionFile.js';

// O_NOFOLLOW does not exist on Windows: there the directory listing's link flag is the guard.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * One buffer for every read of a file of normal size (a few KB): the bytes are decoded before the
 * next read reuses it. Each scan thread has its own; a buffer of the limit's size is made only for
 * a larger file (a 1 MiB buffer per thread weighed on the process's peak memory).
 */
const SMALL_READ = 64 * 1024;
const readBuffer = Buffer.allocUnsafe(SMALL_READ);

/** What identifies a version of a file cheaply: a refresh re-reads a file only when this changes. */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

export type SessionFileRead =
  | { kind: 'session'; summary: SessionSummary; stamp: FileStamp }
  | { kind: 'broken'; problem: FileProblem; stamp: FileStamp | null }
  /** Vanished, or not a regular file: not a session at all. */
  | { kind: 'absent' };

export function readSessionFile(root: string, folder: string, fileName: string): SessionFileRead {
  const relative = `${folder}/${fileName}`;
  const broken = (
    code: FileProblem['code'],
    message: string,
    stamp: FileStamp | null = null,
  ): SessionFileRead => ({
    kind: 'broken',
    problem: { path: relative, ...problem(code, message) },
    stamp,
  });
  let fd: number;
  try {
    fd = openSync(path.join(root, folder, fileName), OPEN_FLAGS);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    if (code === 'ELOOP' || code === 'EMLINK') {
      return broken('symlink', 'This is a symbolic link: the app never follows or writes through links.');
    }
    return broken('unreadable', `The file cannot be read: ${describeFsError(error)}.`);
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { kind: 'absent' };
    const stamp: FileStamp = {
      ino: stats.ino,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
      ctimeMs: stats.ctimeMs,
    };
    if (stats.size > MAX_SESSION_FILE_BYTES) {
      return broken(
        'too-large',
        `The file is ${stats.size} bytes; a session is a few KB, so it was not read (limit ${MAX_SESSION_FILE_BYTES}).`,
        stamp,
      );
    }
    let buffer = readBuffer;
    let length = readAtMost(fd, buffer, 0, stats.size);
    if (length === buffer.length) {
      // Larger than a session usually is (or it grew while being read): on, up to the limit.
      buffer = Buffer.allocUnsafe(MAX_SESSION_FILE_BYTES + 1);
      readBuffer.copy(buffer, 0, 0, length);
      length = readAtMost(fd, buffer, length, stats.size);
    }
    if (length > MAX_SESSION_FILE_BYTES) {
      return broken('too-large', 'The file grew past the size limit while being read.', stamp);
    }
    const parsed = parseSessionBytes(buffer.subarray(0, length));
    if (!parsed.ok) return { kind: 'broken', problem: { path: relative, ...parsed.problem }, stamp };
    const problems = judgeSession(parsed.json, folder, fileName);
    return {
      kind: 'session',
      summary: summarizeSession(parsed.json, folder, fileName, stats, problems),
      stamp,
    };
  } catch (error) {
    return broken('unreadable', `The file cannot be read: ${describeFsError(error)}.`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads on from `start` until end of file or the buffer is full (the size may change under us);
 * returns the length. A file that gives exactly the size its fstat said is not asked once more
 * for its end: that empty read was a fifth of the system calls of a scan.
 */
function readAtMost(fd: number, buffer: Buffer, start: number, expectedSize: number): number {
  let total = start;
  while (total < buffer.length) {
    const bytesRead = readSync(fd, buffer, total, buffer.length - total, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total === expectedSize) break;
  }
  return total;
}
