/**
 * The history of one MobileApps folder: a journal in the data directory (never in the MobileApps
 * folder), `history/<root key>/`, made of JSON Lines segments that rotate. It is the audit log,
 * the undo history and the crash journal at once:
 *
 *  - before any file is touched, the batch's intents (ref, hash of the bytes the change is based
 *    on, hash of the bytes it will leave) are appended and flushed, and an in-flight marker names
 *    the batch; if that fails, nothing is touched;
 *  - after each file, its outcome is appended; when the batch ends the outcomes are flushed and the
 *    marker removed;
 *  - on every start, a marker whose process is dead is reconciled: each intent without an outcome
 *    is judged against the disk (new bytes there: applied; old bytes: not applied) and that
 *    outcome is recorded, marked `recovered`.
 *
 * Reads are streamed and skip damaged lines (counted, never a crash); segments rotate at
 * `segmentBytes` and the oldest beyond `keepSegments` are removed with their undo copies.
 */
import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError, type ErrorCode } from '../../../shared/errors.js';
import {
  type AuditEntry,
  type DeleteEntry,
  type HistoryCursor,
  type HistoryPage,
  type LogPosition,
  MAX_CURSOR_WAITING,
  type StatusEntry,
  type UndoEntry,
} from '../../../shared/history.js';
import type { SessionStatus } from '../../../shared/session.js';
import { describeFsError, errnoCode } from '../fsErrors.js';
import { processIsAlive, thisProcess } from '../session/processIdentity.js';
import { type LineStats, readJsonLines } from './jsonLines.js';

// --- what is on disk ------------------------------------------------------------------------

interface IntentBase {
  t: 'intent';
  id: string;
  batch: string;
  time: string;
  user: string;
  pid: number;
  ref: string;
  /** sha-256 of the bytes the change is based on (null: the file was absent). */
  sha256Before: string | null;
  /** sha-256 of the bytes the change leaves (null: the file is gone after it). */
  sha256After: string | null;
}

export interface StatusIntent extends IntentBase {
  action: 'set-status';
  statusBefore: SessionStatus;
  statusAfter: SessionStatus;
}

export interface DeleteIntent extends IntentBase {
  action: 'delete';
  permanent: boolean;
  statusBefore: SessionStatus | null;
  /** Name of the exact copy of the deleted bytes in the history's `undo/` folder. */
  backup: string;
  mode: number;
  uid: number;
  gid: number;
  /** The session's first-seen time, given back when it is restored. */
  firstSeen: string | null;
}

export interface UndoIntent extends IntentBase {
  action: 'undo';
  /** The id of the intent this undo reverses. */
  undoes: string;
  /** The session's state before the undo (null: absent, the undo of a delete). */
  statusBefore: SessionStatus | null;
  statusAfter: SessionStatus | null;
}

export type Intent = StatusIntent | DeleteIntent | UndoIntent;

export interface Outcome {
  t: 'outcome';
  /** The intent's id. */
  id: string;
  time: string;
  /** Whether the file now holds what the intent meant to leave. */
  applied: boolean;
  /** Why not (null when applied). */
  code: ErrorCode | 'interrupted' | null;
  reason: string | null;
  /** Recorded by the reconciliation at a later start, not by the process that made the change. */
  recovered?: true;
}

// --- what readers see: one entry per change that happened, and every undo attempt ------------
// (declared in shared/history.ts, since they cross every door: the readHistory request, log --json)

export type { AuditEntry, DeleteEntry, LogPosition, StatusEntry, UndoEntry };

type EntryBase = Omit<StatusEntry, 'action' | 'statusBefore' | 'statusAfter' | 'sha256After'>;

export type NewIntent =
  | Omit<StatusIntent, 't' | 'id' | 'batch' | 'time' | 'user' | 'pid'>
  | Omit<DeleteIntent, 't' | 'id' | 'batch' | 'time' | 'user' | 'pid'>
  | Omit<UndoIntent, 't' | 'id' | 'batch' | 'time' | 'user' | 'pid'>;

export interface AuditLogOptions {
  /** A segment is closed once it holds this many bytes. */
  segmentBytes?: number;
  /** Segments kept; older ones (and their undo copies) are removed. */
  keepSegments?: number;
}

export function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

const SEGMENT_NAME = /^(\d{8})\.jsonl$/;
const segmentName = (n: number) => `${String(n).padStart(8, '0')}.jsonl`;

function toEntry(intent: Intent, outcome: Outcome, root: string): AuditEntry | null {
  const base: EntryBase = {
    id: intent.id,
    batch: intent.batch,
    time: outcome.time,
    user: intent.user,
    root,
    ref: intent.ref,
    ...(outcome.recovered ? { recovered: true as const } : {}),
  };
  if (intent.action === 'undo') {
    return {
      ...base,
      action: 'undo',
      undoes: intent.undoes,
      ok: outcome.applied,
      settles: outcome.applied || outcome.code === 'conflict' || outcome.code === 'already-undone',
      reason: outcome.reason,
      statusBefore: intent.statusBefore,
      statusAfter: intent.statusAfter,
    };
  }
  if (!outcome.applied) return null;
  if (intent.action === 'set-status') {
    return {
      ...base,
      action: 'set-status',
      statusBefore: intent.statusBefore,
      statusAfter: intent.statusAfter,
      sha256After: intent.sha256After ?? '',
    };
  }
  return {
    ...base,
    action: 'delete',
    permanent: intent.permanent,
    statusBefore: intent.statusBefore,
    backup: intent.backup,
    sha256Before: intent.sha256Before ?? '',
    mode: intent.mode,
    uid: intent.uid,
    gid: intent.gid,
    firstSeen: intent.firstSeen,
  };
}

/** The history cannot be read: said plainly, with what to do. */
const unreadable = (dir: string, error: unknown) =>
  error instanceof AppError
    ? error
    : new AppError(
        'history',
        `The history of this folder (${dir}) cannot be read: ${describeFsError(error)}. Check its owner and permissions.`,
        { cause: error },
      );

const isIntent = (r: Record<string, unknown>): r is Intent & Record<string, unknown> =>
  r.t === 'intent' && typeof r.id === 'string' && typeof r.batch === 'string' && typeof r.ref === 'string';
const isOutcome = (r: Record<string, unknown>): r is Outcome & Record<string, unknown> =>
  r.t === 'outcome' && typeof r.id === 'string' && typeof r.applied === 'boolean';

export class AuditLog {
  readonly dir: string;
  readonly backupDir: string;
  private readonly inflightDir: string;
  private readonly segmentBytes: number;
  private readonly keepSegments: number;
  /** Lines skipped as damaged by this log's readers so far. */
  readonly stats: LineStats = { damaged: 0 };

  constructor(
    readonly dataDir: string,
    readonly root: string,
    options: AuditLogOptions = {},
  ) {
    const key = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 24);
    this.dir = path.join(dataDir, 'history', key);
    this.backupDir = path.join(this.dir, 'undo');
    this.inflightDir = path.join(this.dir, 'inflight');
    this.segmentBytes = options.segmentBytes ?? 4 * 1024 * 1024;
    this.keepSegments = options.keepSegments ?? 16;
  }

  static newBatch(): string {
    return randomUUID();
  }

  // --- writing ----------------------------------------------------------------------------------

  private async ensureDir(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const rootFile = path.join(this.dir, 'root.txt');
    await fs.writeFile(rootFile, `${path.resolve(this.root)}\n`, { flag: 'wx', mode: 0o600 }).catch(() => {});
  }

  private async segments(): Promise<number[]> {
    try {
      return (await fs.readdir(this.dir))
        .flatMap((name) => {
          const match = SEGMENT_NAME.exec(name);
          return match?.[1] ? [Number(match[1])] : [];
        })
        .sort((a, b) => a - b);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return [];
      throw unreadable(this.dir, error);
    }
  }

  /** The end of the journal: where the next record will go. */
  async endPosition(): Promise<LogPosition> {
    const segment = (await this.segments()).at(-1) ?? 1;
    const size = await fs
      .stat(path.join(this.dir, segmentName(segment)))
      .then((s) => s.size)
      .catch(() => 0);
    return { segment, offset: size };
  }

  /** Appends records in one write; `durable` flushes them to disk before returning. */
  private async append(records: Array<Intent | Outcome>, durable: boolean): Promise<void> {
    if (records.length === 0) return;
    await this.ensureDir();
    const segments = await this.segments();
    let segment = segments.at(-1) ?? 1;
    const file = () => path.join(this.dir, segmentName(segment));
    const size = await fs
      .stat(file())
      .then((s) => s.size)
      .catch(() => 0);
    if (size >= this.segmentBytes) {
      segment += 1;
      await this.prune([...segments, segment]);
    }
    const handle = await fs.open(file(), 'a+', 0o600);
    try {
      // A line cut short by a crash must not swallow the next record: start on a line of its own.
      const end = (await handle.stat()).size;
      const last = end > 0 ? (await handle.read(Buffer.alloc(1), 0, 1, end - 1)).buffer[0] : 0x0a;
      const lead = last === 0x0a ? '' : '\n';
      // writeFile writes it all or throws (a bare write may write part of it on a nearly full disk).
      await handle.writeFile(`${lead}${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
      if (durable) await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /** Flushes the current segment to disk (the outcomes appended without a flush). */
  async sync(): Promise<void> {
    const { segment } = await this.endPosition();
    const handle = await fs.open(path.join(this.dir, segmentName(segment)), 'r').catch(() => null);
    if (!handle) return;
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  /**
   * Removes the oldest segments beyond the limit, and the undo copies their deletes refer to
   * (by name, not by time: file systems with coarse timestamps would take newer copies too).
   */
  private async prune(segments: number[]): Promise<void> {
    const excess = segments.slice(0, Math.max(0, segments.length - this.keepSegments));
    for (const n of excess) {
      const file = path.join(this.dir, segmentName(n));
      const backups: string[] = [];
      for await (const line of readJsonLines(file, { damaged: 0 })) {
        const record = line.record;
        if (isIntent(record) && record.action === 'delete' && typeof record.backup === 'string') {
          backups.push(record.backup);
        }
      }
      await fs.unlink(file).catch(() => {});
      for (const name of backups) await this.removeBackup(name);
    }
  }

  /**
   * Makes a batch's intents durable before any file is touched: the in-flight marker, then the
   * intents, each flushed. Throws when either cannot be written; then nothing may be touched.
   */
  async recordIntents(batch: string, intents: NewIntent[]): Promise<Intent[]> {
    await this.ensureDir();
    await fs.mkdir(this.inflightDir, { recursive: true, mode: 0o700 });
    const me = thisProcess();
    const marker = path.join(this.inflightDir, `${me.pid}-${me.start}-${batch}.json`);
    const from = await this.endPosition();
    // 'wx' fails when the marker exists: the batch's first chunk wrote it, with the earlier start.
    const handle = await fs.open(marker, 'wx', 0o600).catch((error: unknown) => {
      if (errnoCode(error) === 'EEXIST') return null;
      throw error;
    });
    if (handle) {
      try {
        await handle.writeFile(JSON.stringify({ ...thisProcess(), batch, from }));
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    const time = new Date().toISOString();
    const user = currentUser();
    const full = intents.map(
      (intent) =>
        ({ t: 'intent', id: randomUUID(), batch, time, user, pid: process.pid, ...intent }) as Intent,
    );
    await this.append(full, true);
    return full;
  }

  /** Records what happened to each file; flushed when `durable` (at the end of a batch). */
  recordOutcomes(outcomes: Array<Omit<Outcome, 't' | 'time'>>, durable = false): Promise<void> {
    const time = new Date().toISOString();
    return this.append(
      outcomes.map((o) => ({ t: 'outcome', time, ...o })),
      durable,
    );
  }

  /** The batch is over and its outcomes are on disk: the reconciliation has nothing to do for it. */
  async endBatch(batch: string): Promise<void> {
    const me = thisProcess();
    await fs.unlink(path.join(this.inflightDir, `${me.pid}-${me.start}-${batch}.json`)).catch(() => {});
  }

  /** Saves the exact bytes of a file about to be deleted, flushed before the delete happens. */
  async saveBackup(bytes: Buffer): Promise<string> {
    const name = randomUUID();
    await this.ensureDir();
    await fs.mkdir(this.backupDir, { recursive: true, mode: 0o700 });
    const handle = await fs.open(path.join(this.backupDir, name), 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return name;
  }

  async removeBackup(name: string): Promise<void> {
    await fs.unlink(path.join(this.backupDir, path.basename(name))).catch(() => {});
  }

  readBackup(name: string): Promise<Buffer> {
    return fs.readFile(path.join(this.backupDir, path.basename(name)));
  }

  // --- reading ----------------------------------------------------------------------------------

  /** Every record from `from` on (the whole journal by default), oldest first, streamed. */
  async *records(from: LogPosition | null = null): AsyncGenerator<Record<string, unknown>> {
    for (const segment of await this.segments()) {
      if (from && segment < from.segment) continue;
      const start = from && segment === from.segment ? from.offset : 0;
      const lines = readJsonLines(path.join(this.dir, segmentName(segment)), this.stats, start);
      try {
        for await (const line of lines) yield line.record;
      } catch (error) {
        throw unreadable(this.dir, error);
      }
    }
  }

  /**
   * Every change that happened and every undo attempt, oldest first, streamed. Memory holds only
   * the intents still waiting for their outcome.
   */
  async *entries(from: LogPosition | null = null): AsyncGenerator<AuditEntry> {
    const waiting = new Map<string, Intent>();
    const root = path.resolve(this.root);
    for await (const record of this.records(from)) {
      if (isIntent(record)) waiting.set(record.id, record);
      else if (isOutcome(record)) {
        const intent = waiting.get(record.id);
        if (!intent) continue;
        waiting.delete(record.id);
        const entry = toEntry(intent, record, root);
        if (entry) yield entry;
      }
    }
  }

  /**
   * One page of entries from `from` (null: the start of the journal), oldest first: at most
   * `limit`, and where the next page starts. A page reads the journal from its cursor on, plus the
   * line of each intent the cursor says is still waiting for its outcome, so paging through the
   * whole history reads it once, whatever its size. Damaged lines are counted in the part read.
   */
  async page(from: HistoryCursor | null, limit: number): Promise<HistoryPage> {
    const waiting = new Map<string, { intent: Intent; at: LogPosition }>();
    for (const at of from?.waiting ?? []) {
      const record = await this.recordAt(at);
      if (record && isIntent(record)) waiting.set(record.id, { intent: record, at });
    }
    const root = path.resolve(this.root);
    const entries: AuditEntry[] = [];
    const stats: LineStats = { damaged: 0 };
    let after = from?.after ?? { segment: 0, offset: 0 };
    let more = false;
    for await (const { record, at, end } of this.positionedRecords(after, stats)) {
      after = end;
      if (isIntent(record)) waiting.set(record.id, { intent: record, at });
      else if (isOutcome(record)) {
        const pending = waiting.get(record.id);
        if (!pending) continue;
        waiting.delete(record.id);
        const entry = toEntry(pending.intent, record, root);
        if (entry) entries.push(entry);
        if (entries.length >= limit) {
          more = true;
          break;
        }
      }
    }
    // Intents whose outcome never came (a crash not yet reconciled, a damaged outcome line) would
    // grow the cursor for ever: it keeps the newest, which are the ones still likely to complete.
    const open = [...waiting.values()]
      .map((w) => w.at)
      .sort((a, b) => a.segment - b.segment || a.offset - b.offset)
      .slice(-MAX_CURSOR_WAITING);
    return { entries, damaged: stats.damaged, next: { after, waiting: open }, more };
  }

  /** Every record from `from` on, with where its line starts and ends. */
  private async *positionedRecords(
    from: LogPosition,
    stats: LineStats,
  ): AsyncGenerator<{ record: Record<string, unknown>; at: LogPosition; end: LogPosition }> {
    for (const segment of await this.segments()) {
      if (segment < from.segment) continue;
      // A damaged line before a record is part of its span: reading from `at` skips it again.
      let offset = segment === from.segment ? from.offset : 0;
      const lines = readJsonLines(path.join(this.dir, segmentName(segment)), stats, offset);
      try {
        for await (const line of lines) {
          yield { record: line.record, at: { segment, offset }, end: { segment, offset: line.end } };
          offset = line.end;
        }
      } catch (error) {
        throw unreadable(this.dir, error);
      }
    }
  }

  /** The first record at or after a position (null when there is none, or it cannot be read). */
  private async recordAt(at: LogPosition): Promise<Record<string, unknown> | null> {
    try {
      for await (const line of readJsonLines(
        path.join(this.dir, segmentName(at.segment)),
        { damaged: 0 },
        at.offset,
      ))
        return line.record;
    } catch {
      // unreadable now: the intent is dropped from the cursor, as a pruned segment's would be
    }
    return null;
  }

  /** Every entry, in an array (tests and small logs). */
  async allEntries(): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    for await (const entry of this.entries()) out.push(entry);
    return out;
  }

  /**
   * The changes of one batch (or of the latest batch with a change not yet undone) that are not
   * settled by an undo yet, and whether the batch exists at all. Streams the journal once,
   * keeping only the most recent batches in memory.
   */
  async undoable(batch: string | null): Promise<{
    batch: string | null;
    found: boolean;
    open: Array<StatusEntry | DeleteEntry>;
  }> {
    const RECENT = 64;
    const recent = new Map<string, Array<StatusEntry | DeleteEntry>>();
    const settled = new Set<string>();
    for await (const entry of this.entries()) {
      if (entry.action === 'undo') {
        if (entry.settles) settled.add(entry.undoes);
        continue;
      }
      if (batch !== null && entry.batch !== batch) continue;
      const list = recent.get(entry.batch);
      if (list) list.push(entry);
      else {
        recent.set(entry.batch, [entry]);
        if (recent.size > RECENT) recent.delete(recent.keys().next().value as string);
      }
    }
    const batches = [...recent.keys()].reverse();
    for (const id of batches) {
      const open = (recent.get(id) ?? []).filter((entry) => !settled.has(entry.id));
      if (open.length > 0 || batch !== null) return { batch: id, found: true, open };
    }
    return { batch, found: false, open: [] };
  }

  // --- reconciliation ---------------------------------------------------------------------------

  /**
   * Judges every intent left without an outcome by a dead process, against the disk, and records
   * what really happened. `hashNow` gives the sha-256 of a ref's file now (null when absent).
   * Returns the outcomes it recorded.
   */
  async reconcile(hashNow: (ref: string) => Promise<string | null>): Promise<Outcome[]> {
    const markers = await fs.readdir(this.inflightDir).catch(() => [] as string[]);
    const recorded: Outcome[] = [];
    for (const name of markers) {
      const file = path.join(this.inflightDir, name);
      let marker: { batch: string; from: LogPosition };
      const owner = /^(\d+)-(\d+)-/.exec(name);
      if (!owner?.[1] || !owner[2]) continue; // not a marker of ours
      if (processIsAlive({ pid: Number(owner[1]), start: owner[2] })) continue; // its batch is running
      try {
        marker = JSON.parse(await fs.readFile(file, 'utf8'));
      } catch {
        await fs.unlink(file).catch(() => {}); // a marker cut short: its intents were never written
        continue;
      }
      const waiting = new Map<string, Intent>();
      for await (const record of this.records(marker.from ?? null)) {
        if (isIntent(record) && record.batch === marker.batch) waiting.set(record.id, record);
        else if (isOutcome(record)) waiting.delete(record.id);
      }
      const outcomes: Array<Omit<Outcome, 't' | 'time'>> = [];
      for (const intent of waiting.values()) {
        const now = await hashNow(intent.ref);
        const applied = now === intent.sha256After;
        const untouched = !applied && now === intent.sha256Before;
        outcomes.push({
          id: intent.id,
          applied,
          code: applied ? null : 'interrupted',
          reason: applied
            ? null
            : untouched
              ? 'Interrupted before the file was changed: it is as it was.'
              : 'Interrupted; the file was changed by someone else since.',
          recovered: true,
        });
        if (intent.action === 'delete' && !applied) await this.removeBackup(intent.backup);
      }
      await this.recordOutcomes(outcomes, true);
      recorded.push(
        ...outcomes.map((o) => ({ t: 'outcome' as const, time: new Date().toISOString(), ...o })),
      );
      await fs.unlink(file).catch(() => {});
    }
    return recorded;
  }
}
