/**
 * Unpushed changes, derived rather than tracked: the refs the audit log says the app touched since
 * the last successful push, each compared between its state at that push (the before-state of its
 * first entry after it) and its state on disk now. A change undone before pushing, or set back by
 * hand, compares equal and no longer counts. Changes made outside the app are not in the audit
 * log, so they are not counted: the server reloads them anyway when it is pushed.
 */
import path from 'node:path';
import type { PushRecord, SessionState, UnpushedChange, UnpushedSummary } from '../../../shared/push.js';
import type { AuditEntry } from '../history/auditLog.js';
import { readSessionFile } from '../session/sessionReader.js';
import type { StoredPush } from './pushHistory.js';

/** The entries made after the push (all of them when there was none). */
export function entriesSince(entries: AuditEntry[], push: StoredPush | null): AuditEntry[] {
  if (!push) return entries;
  if (push.logPosition) return entries; // read from the push's position on: all of them are after it
  if (push.lastEntryId === null) return entries; // no entry existed when it was pushed
  const index = entries.findIndex((entry) => entry.id === push.lastEntryId);
  if (index >= 0) return entries.slice(index + 1);
  // The entry is gone (the log was cut): fall back on time.
  return entries.filter((entry) => entry.time > push.time);
}

/**
 * The state of the session before an entry ran, or null when the entry changed nothing (an undo
 * that failed). `byId` finds the entry an undo reverses.
 */
export function stateBefore(entry: AuditEntry, byId: Map<string, AuditEntry>): SessionState | null {
  switch (entry.action) {
    case 'set-status':
      return { present: true, status: entry.statusBefore };
    case 'delete':
      return { present: true, status: entry.statusBefore };
    case 'undo': {
      if (!entry.ok) return null;
      const undone = byId.get(entry.undoes);
      if (undone?.action === 'delete') return { present: false };
      if (undone?.action === 'set-status') return { present: true, status: undone.statusAfter };
      return entry.statusBefore === null ? { present: false } : { present: true, status: entry.statusBefore };
    }
  }
  return null;
}

/** A session as it is on disk now: absent, or present with its status (null when unreadable or invalid). */
export function stateOnDisk(root: string, ref: string): SessionState {
  const slash = ref.indexOf('/');
  const folder = ref.slice(0, slash);
  const fileName = ref.slice(slash + 1);
  const read = readSessionFile(root, folder, fileName);
  if (read.kind === 'absent') return { present: false };
  if (read.kind === 'broken') return { present: true, status: null };
  return { present: true, status: read.summary.status };
}

export const sameState = (a: SessionState, b: SessionState): boolean =>
  a.present === b.present && (!a.present || (b.present && a.status === b.status));

function kindOf(before: SessionState, now: SessionState): UnpushedChange['kind'] {
  if (!now.present) return 'deleted';
  if (!before.present) return 'restored';
  return 'status';
}

export function countChanges(changes: UnpushedChange[]): UnpushedSummary['counts'] {
  const count = (kind: UnpushedChange['kind']) => changes.filter((change) => change.kind === kind).length;
  return {
    changed: count('status'),
    deleted: count('deleted'),
    restored: count('restored'),
    total: changes.length,
  };
}

/**
 * The root's unpushed changes. `entries` are the root's audit entries, oldest first; `readNow`
 * gives a ref's state on disk (a seam for tests; the disk by default).
 */
export function computeUnpushed(
  root: string,
  entries: AuditEntry[],
  push: StoredPush | null,
  readNow: (ref: string) => SessionState = (ref) => stateOnDisk(root, ref),
): UnpushedSummary {
  const byId = new Map(entries.map((entry) => [entry.id, entry]));
  const firstState = new Map<string, SessionState>();
  const latestTime = new Map<string, string>();
  for (const entry of entriesSince(entries, push)) {
    const before = stateBefore(entry, byId);
    if (!before) continue;
    if (!firstState.has(entry.ref)) firstState.set(entry.ref, before);
    latestTime.set(entry.ref, entry.time);
  }
  const changes: UnpushedChange[] = [];
  for (const [ref, atLastPush] of firstState) {
    const now = readNow(ref);
    if (sameState(atLastPush, now)) continue;
    changes.push({
      ref,
      kind: kindOf(atLastPush, now),
      atLastPush,
      now,
      changedAt: latestTime.get(ref) ?? '',
    });
  }
  changes.sort((a, b) => a.ref.localeCompare(b.ref));
  return { root: path.resolve(root), lastPush: publicRecord(push), changes, counts: countChanges(changes) };
}

export function publicRecord(push: StoredPush | null): PushRecord | null {
  if (!push) return null;
  const { lastEntryId: _internal, ...record } = push;
  return record;
}
