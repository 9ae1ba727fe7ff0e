/**
 * A folder's history as it crosses a boundary (the `readHistory` request, `mobile-sessions log
 * --json`): one entry per change that happened and per undo attempt, read a page at a time.
 * The engine's audit log (electron/services/history/auditLog.ts) writes and reads these.
 */
import type { SessionStatus } from './session.js';

interface EntryBase {
  id: string;
  batch: string;
  time: string;
  user: string;
  root: string;
  ref: string;
  recovered?: true;
}
export interface StatusEntry extends EntryBase {
  action: 'set-status';
  statusBefore: SessionStatus;
  statusAfter: SessionStatus;
  sha256After: string;
}
export interface DeleteEntry extends EntryBase {
  action: 'delete';
  permanent: boolean;
  statusBefore: SessionStatus | null;
  backup: string;
  sha256Before: string;
  mode: number;
  uid: number;
  gid: number;
  firstSeen: string | null;
}
export interface UndoEntry extends EntryBase {
  action: 'undo';
  undoes: string;
  ok: boolean;
  /** Whether this attempt settles the entry (done, already done, or refused for good). */
  settles: boolean;
  reason: string | null;
  statusBefore: SessionStatus | null;
  statusAfter: SessionStatus | null;
}
export type AuditEntry = StatusEntry | DeleteEntry | UndoEntry;

/** A place in the journal: a segment and a byte offset in it. */
export interface LogPosition {
  segment: number;
  offset: number;
}

/**
 * Where the next page starts: after the last record read, plus the intents read so far whose
 * outcome has not come yet (an entry is complete only with its outcome, which may lie further on).
 * Opaque to callers: pass back what a page returned.
 */
export interface HistoryCursor {
  after: LogPosition;
  waiting: LogPosition[];
}

export interface HistoryPage {
  /** Oldest first. */
  entries: AuditEntry[];
  /** Damaged lines (torn, garbage, overlong) skipped in the part of the journal this page read. */
  damaged: number;
  /** Pass it as `from` for the next page; at the end of the journal, it waits for what comes next. */
  next: HistoryCursor;
  /** False when the page reached the end of the journal. */
  more: boolean;
}

/** Entries per page: a page is about 0.5 MB of JSON. */
export const MAX_HISTORY_PAGE = 1000;
/** Intents a cursor carries at most (a batch writes its intents in chunks of 256). */
export const MAX_CURSOR_WAITING = 4096;
