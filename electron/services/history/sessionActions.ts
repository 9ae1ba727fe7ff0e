/**
 * What an admin does to sessions (accept, set pending, delete, undo), composed from the writer,
 * the status editor and the history. Each call is one batch with an id; one failing session never
 * stops the others, and each result says what happened to its file, and only that.
 *
 * A batch runs in chunks: read and plan each file, write the chunk's intents durably (refusing the
 * whole chunk, untouched, if that fails), apply them through the one writer, record outcomes.
 * Opening a folder first reconciles what a crashed process left: its work folders and its
 * intents without outcome (see `start`).
 */
import path from 'node:path';
import pMap from 'p-map';
import type { ChangeReport, ChangeResult } from '../../../shared/changes.js';
import { AppError, errorShapeOf } from '../../../shared/errors.js';
import type { SessionStatus } from '../../../shared/session.js';
import { describeFsError } from '../fsErrors.js';
import { parseSessionBytes } from '../session/sessionFile.js';
import { parseRef, resolveRef } from '../session/sessionRefs.js';
import {
  conflict,
  moveToOsTrash,
  readSessionBytes,
  removeSessionFile,
  replaceSessionFile,
  restoreSessionFile,
  type SessionBytes,
  sha256,
  type TrashFunction,
} from '../session/sessionWriter.js';
import { editStatus } from '../session/statusEdit.js';
import { removeTrashedCopy } from '../session/trashedCopy.js';
import { type LeftoverWorkFolder, recoverWorkFolders, WorkFolders } from '../session/workFolder.js';
import {
  type AuditEntry,
  AuditLog,
  type AuditLogOptions,
  type DeleteEntry,
  type Intent,
  type NewIntent,
  type Outcome,
  type StatusEntry,
} from './auditLog.js';
import { FirstSeenBook } from './firstSeenBook.js';

/** Files changed at once in a bulk action: each write is flushed to disk, so a little overlap helps. */
const WRITE_CONCURRENCY = 8;
/** Files whose intents are flushed together before any of them is touched. */
const CHUNK = 256;

export interface SessionActionsOptions {
  /** The opened MobileApps folder (absolute). */
  root: string;
  dataDir: string;
  trash?: TrashFunction;
  history?: AuditLogOptions;
}

export interface StartReport {
  /** Intents a crashed process left, now judged against the disk. */
  reconciled: Outcome[];
  /** Work folders of dead processes that could not be removed. */
  leftovers: LeftoverWorkFolder[];
}

const failed = (ref: string, error: unknown): ChangeResult => ({
  ref,
  outcome: 'failed',
  statusBefore: null,
  statusAfter: null,
  error: errorShapeOf(error),
});

/** An undo that finds its work done by another is not a failure: it says so and changes nothing. */
const failedOrAlready = (ref: string, error: unknown): ChangeResult =>
  error instanceof AppError && error.code === 'already-undone'
    ? { ref, outcome: 'unchanged', statusBefore: null, statusAfter: null, error: error.toShape() }
    : failed(ref, error);

const namedTwice = (ref: string): ChangeResult => ({
  ref,
  outcome: 'unchanged',
  statusBefore: null,
  statusAfter: null,
  error: { code: 'bad-request', message: `${ref} was named more than once: it is changed once.` },
});

const historyRefused = (error: unknown) =>
  new AppError(
    'history',
    `The change could not be recorded in the history first (${describeFsError(error)}): nothing was changed.`,
    { cause: error },
  );

/** One file's part in a batch, once read and planned. */
interface Planned {
  ref: string;
  intent: NewIntent;
  /** Applies the change; resolves to the result, throws on failure. */
  apply: (work: WorkFolders) => Promise<ChangeResult>;
  /** Runs when the intent could not be recorded (removes an undo copy made for it). */
  abandon?: () => Promise<void>;
  /** The session's first-seen time, written down before its file gets a new inode. */
  firstSeen?: string;
  /** The app folder (absolute) whose lock the change needs; none when it touches no file. */
  appFolder?: string;
}

type PlanResult = Planned | ChangeResult;

/** The intent of undoing `entry`, which leaves the session as `done` says (hashes: null when absent or untouched). */
const undoIntent = (
  entry: StatusEntry | DeleteEntry,
  done: ChangeResult,
  sha256Before: string | null,
  sha256After: string | null,
): NewIntent => ({
  action: 'undo',
  ref: entry.ref,
  undoes: entry.id,
  statusBefore: done.statusBefore,
  statusAfter: done.statusAfter,
  sha256Before,
  sha256After,
});

const SETTLE_MS = 20;

/**
 * Reads a session that another Mobile Sessions process may be rewriting: its name is free for a
 * few system calls while the writer swaps versions, so "gone" is believed only when it lasts.
 */
async function readThroughWrites(file: string): Promise<SessionBytes> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await readSessionBytes(file);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'unknown-ref') || attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    }
  }
}

/**
 * Reads a file to edit it. Bytes that are not a valid session are read again a moment later: if
 * the file was written meanwhile (other bytes, or the same bytes written again: a writer that
 * truncates leaves it empty twice), someone is writing it right now: a conflict, not a broken file.
 */
async function readSettled(file: string): Promise<SessionBytes> {
  let seen = await readSessionBytes(file);
  if (parseSessionBytes(seen.bytes).ok) return seen;
  // A writer held up mid-write (a busy machine) can leave the same bytes for a while: look a few times.
  for (const wait of [SETTLE_MS, 2 * SETTLE_MS, 4 * SETTLE_MS]) {
    await new Promise((resolve) => setTimeout(resolve, wait));
    const again = await readSessionBytes(file).catch(async () => {
      throw await conflict(file, 'was being written by someone else');
    });
    if (again.stamp !== seen.stamp || !again.bytes.equals(seen.bytes)) {
      throw await conflict(file, 'was being written by someone else');
    }
    seen = again;
  }
  return seen;
}
const isPlanned = (p: PlanResult): p is Planned => 'intent' in p;

export class SessionActions {
  readonly root: string;
  readonly log: AuditLog;
  private readonly trash: TrashFunction;
  private readonly firstSeenBook: FirstSeenBook;
  private firstSeenKnown: Map<string, string> | null = null;
  private started: Promise<StartReport> | null = null;
  /** Undos of this process run one after the other, so one batch is never undone twice at once. */
  private undoQueue: Promise<unknown> = Promise.resolve();

  constructor(options: SessionActionsOptions) {
    this.root = path.resolve(options.root);
    this.log = new AuditLog(options.dataDir, this.root, options.history);
    this.trash = options.trash ?? moveToOsTrash;
    this.firstSeenBook = new FirstSeenBook(this.log.dir);
  }

  /**
   * Reconciles what dead processes left in this folder: their work folders (files moved aside
   * come back) and their intents without an outcome (judged against the disk and recorded).
   * Runs once; every action waits for it.
   */
  start(): Promise<StartReport> {
    this.started ??= (async () => {
      const leftovers = await recoverWorkFolders(this.root);
      const reconciled = await this.log.reconcile((ref) => this.hashNow(ref));
      return { reconciled, leftovers };
    })();
    return this.started;
  }

  /** First-seen times the engine keeps for this folder (the index prefers them). */
  firstSeen(): Map<string, string> {
    this.firstSeenKnown ??= this.firstSeenBook.load();
    return this.firstSeenKnown;
  }

  /** The file of a ref the history names (always `<app folder>/<id>`). */
  private fileOf(ref: string): string {
    const { folder, id } = parseRef(ref);
    return path.join(this.root, folder ?? '', id);
  }

  private async hashNow(ref: string): Promise<string | null> {
    try {
      return sha256((await readSessionBytes(this.fileOf(ref))).bytes);
    } catch (error) {
      if (error instanceof AppError && error.code === 'unknown-ref') return null;
      return 'unreadable';
    }
  }

  /** Accept or set pending: only the top-level `status` value changes, atomically, on the file as it is now. */
  setStatus(refs: string[], status: SessionStatus): Promise<ChangeReport> {
    return this.runBatch(refs, (ref) => this.planStatus(ref, status));
  }

  /** Moves session files to the OS trash (or deletes them for good), keeping an exact copy for undo. */
  delete(refs: string[], options: { permanent?: boolean } = {}): Promise<ChangeReport> {
    const permanent = options.permanent === true;
    return this.runBatch(refs, (ref) => this.planDelete(ref, permanent));
  }

  /**
   * Reverses one batch (by id), or the most recent batch with a change not yet undone. Each entry
   * is undone only if its file is as the change left it; one already undone (by this window,
   * another, or the CLI) is reported as such. Throws `already-undone` when nothing of the batch
   * remains to undo, `nothing-to-undo` when there is no such batch.
   */
  undo(options: { batch?: string | null } = {}): Promise<ChangeReport> {
    const run = this.undoQueue.then(() => this.undoNow(options.batch ?? null));
    this.undoQueue = run.catch(() => {});
    return run;
  }

  private async undoNow(batch: string | null): Promise<ChangeReport> {
    await this.start();
    const target = await this.log.undoable(batch);
    if (!target.found) {
      throw new AppError(
        'nothing-to-undo',
        batch === null
          ? `Nothing to undo: no change made by this app in ${this.root} remains.`
          : 'Nothing to undo: that change is not in the history of this folder (any more).',
      );
    }
    if (target.open.length === 0) {
      throw new AppError('already-undone', 'That change was already undone.');
    }
    const entries = [...target.open].reverse();
    const report = await this.runBatch(
      entries.map((e) => e.ref),
      (_ref, index) => this.planUndo(entries[index] as StatusEntry | DeleteEntry),
    );
    return target.batch === null ? report : { ...report, undid: target.batch };
  }

  /** This folder's history, oldest first, streamed. */
  history(): AsyncGenerator<AuditEntry> {
    return this.log.entries();
  }

  // --- the batch ------------------------------------------------------------------------------

  private async runBatch(
    refs: string[],
    plan: (ref: string, index: number) => Promise<PlanResult>,
  ): Promise<ChangeReport> {
    await this.start();
    const batch = AuditLog.newBatch();
    const results: ChangeResult[] = [];
    let recorded = false;
    let unrecorded: Array<Omit<Outcome, 't' | 'time'>> = [];
    const seen = new Set<string>();
    try {
      for (let from = 0; from < refs.length; from += CHUNK) {
        const chunk = refs.slice(from, from + CHUNK);
        const work = new WorkFolders();
        try {
          const plans = await pMap(
            chunk,
            (ref, i) => plan(ref, from + i).catch((error: unknown): PlanResult => failed(ref, error)),
            { concurrency: WRITE_CONCURRENCY },
          );
          // One session named twice (a bare id and its full ref, say) is changed once.
          for (const [i, p] of plans.entries()) {
            if (!isPlanned(p)) continue;
            if (seen.has(p.ref)) {
              await p.abandon?.();
              plans[i] = namedTwice(p.ref);
            } else seen.add(p.ref);
          }
          const planned = plans.filter(isPlanned);
          let intents: Intent[] = [];
          if (planned.length > 0) {
            try {
              await work.lock(planned.flatMap((p) => (p.appFolder ? [p.appFolder] : [])));
            } catch (error) {
              for (const p of planned) await p.abandon?.();
              results.push(...plans.map((p) => (isPlanned(p) ? failed(p.ref, error) : p)));
              continue;
            }
            try {
              this.firstSeenBook.record(
                this.firstSeen(),
                planned.flatMap((p) => (p.firstSeen ? [{ ref: p.ref, firstSeen: p.firstSeen }] : [])),
              );
              intents = await this.log.recordIntents(
                batch,
                planned.map((p) => p.intent),
              );
              recorded = true;
            } catch (error) {
              for (const p of planned) await p.abandon?.();
              const refused = historyRefused(error);
              results.push(...plans.map((p) => (isPlanned(p) ? failed(p.ref, refused) : p)));
              continue;
            }
          }
          const applied = new Map<Planned, ChangeResult>();
          await pMap(
            planned,
            async (p) => {
              applied.set(p, await p.apply(work).catch((error: unknown) => failedOrAlready(p.ref, error)));
            },
            { concurrency: WRITE_CONCURRENCY },
          );
          const outcomes = planned.map((p, i) => {
            const result = applied.get(p) as ChangeResult;
            const ok = result.outcome !== 'failed' && result.error === null;
            return {
              id: (intents[i] as Intent).id,
              applied: ok,
              code: ok ? null : (result.error?.code ?? 'io'),
              reason: ok ? null : (result.error?.message ?? null),
            };
          });
          try {
            await this.log.recordOutcomes([...unrecorded, ...outcomes]);
            unrecorded = [];
          } catch {
            unrecorded.push(...outcomes); // tried again below; the next start reconciles them otherwise
          }
          results.push(...plans.map((p) => (isPlanned(p) ? (applied.get(p) as ChangeResult) : p)));
        } finally {
          await work.removeAll();
        }
      }
    } finally {
      if (recorded) {
        try {
          await this.log.recordOutcomes(unrecorded, true);
          await this.log.sync();
          await this.log.endBatch(batch);
        } catch {
          // The marker stays: the next start judges these files against the disk and records it.
        }
      }
    }
    const changed = results.some((r) => ['changed', 'deleted', 'restored'].includes(r.outcome));
    return { batch: changed ? batch : null, results };
  }

  // --- plans ----------------------------------------------------------------------------------

  private async planStatus(ref: string, status: SessionStatus): Promise<PlanResult> {
    const target = await resolveRef(this.root, ref);
    const current = await readSettled(target.file);
    const edit = editStatus(current.bytes, status);
    const unchanged: ChangeResult = {
      ref: target.ref,
      outcome: 'unchanged',
      statusBefore: edit.before,
      statusAfter: status,
      error: null,
    };
    if (!edit.changed) return unchanged;
    return {
      ref: target.ref,
      intent: {
        action: 'set-status',
        ref: target.ref,
        statusBefore: edit.before,
        statusAfter: status,
        sha256Before: sha256(current.bytes),
        sha256After: sha256(edit.bytes),
      },
      firstSeen: current.born,
      appFolder: path.dirname(target.file),
      apply: async (work) => {
        await replaceSessionFile(work, target.file, current, edit.bytes);
        return { ...unchanged, outcome: 'changed' };
      },
    };
  }

  private async planDelete(ref: string, permanent: boolean): Promise<PlanResult> {
    const target = await resolveRef(this.root, ref);
    const current = await readSessionBytes(target.file);
    const parsed = parseSessionBytes(current.bytes);
    const status =
      parsed.ok && (parsed.json.status === 'accepted' || parsed.json.status === 'pending')
        ? parsed.json.status
        : null;
    // The copy is on disk before the file goes, so no failure in between can lose it.
    const backup = await this.log.saveBackup(current.bytes).catch((error: unknown) => {
      throw historyRefused(error);
    });
    return {
      ref: target.ref,
      intent: {
        action: 'delete',
        ref: target.ref,
        permanent,
        statusBefore: status,
        backup,
        sha256Before: sha256(current.bytes),
        sha256After: null,
        mode: current.mode,
        uid: current.uid,
        gid: current.gid,
        firstSeen: this.firstSeen().get(target.ref) ?? current.born,
      },
      appFolder: path.dirname(target.file),
      apply: async (work) => {
        await removeSessionFile(work, target.file, current, { permanent, trash: this.trash });
        return { ref: target.ref, outcome: 'deleted', statusBefore: status, statusAfter: null, error: null };
      },
      abandon: () => this.log.removeBackup(backup),
    };
  }

  private async planUndo(entry: StatusEntry | DeleteEntry): Promise<PlanResult> {
    const file = this.fileOf(entry.ref);
    if (entry.action === 'delete') return this.planRestore(entry, file);

    const done: ChangeResult = {
      ref: entry.ref,
      outcome: 'restored',
      statusBefore: entry.statusAfter,
      statusAfter: entry.statusBefore,
      error: null,
    };
    const current = await readThroughWrites(file);
    if (sha256(current.bytes) !== entry.sha256After) {
      // Exactly what undoing would leave (another undo got there first)?
      const parsed = parseSessionBytes(current.bytes);
      if (parsed.ok && parsed.json.status === entry.statusBefore) {
        const redone = editStatus(current.bytes, entry.statusAfter);
        if (sha256(redone.bytes) === entry.sha256After) return this.alreadyUndone(entry, done);
      }
      return this.settledWithout(
        entry,
        done,
        new AppError(
          'conflict',
          `${entry.ref} has changed since it was set to ${entry.statusAfter} (by the 4D Server or someone else): not undone.`,
        ),
      );
    }
    const edit = editStatus(current.bytes, entry.statusBefore);
    return {
      ref: entry.ref,
      intent: undoIntent(entry, done, sha256(current.bytes), sha256(edit.bytes)),
      appFolder: path.dirname(file),
      apply: async (work) => {
        try {
          await replaceSessionFile(work, file, current, edit.bytes);
        } catch (error) {
          // Another window or command undid it between our read and our write.
          if (
            error instanceof AppError &&
            error.code === 'conflict' &&
            (await this.hashNow(entry.ref)) === sha256(edit.bytes)
          ) {
            throw new AppError('already-undone', `${entry.ref} was already undone.`);
          }
          throw error;
        }
        return done;
      },
    };
  }

  private async planRestore(entry: DeleteEntry, file: string): Promise<PlanResult> {
    const bytes = await this.log.readBackup(entry.backup).catch(() => null);
    if (!bytes || sha256(bytes) !== entry.sha256Before) {
      throw new AppError(
        'io',
        'The saved copy of this session is missing or damaged: it cannot be restored.',
      );
    }
    const done: ChangeResult = {
      ref: entry.ref,
      outcome: 'restored',
      statusBefore: null,
      statusAfter: entry.statusBefore,
      error: null,
    };
    const now = await this.hashNow(entry.ref);
    if (now === entry.sha256Before) return this.alreadyUndone(entry, done);
    if (now !== null) {
      return this.settledWithout(
        entry,
        done,
        new AppError(
          'conflict',
          `${entry.ref} exists again with other content (the device logged in anew?): not overwritten.`,
        ),
      );
    }
    const saved = { bytes, mode: entry.mode, uid: entry.uid, gid: entry.gid };
    return {
      ref: entry.ref,
      intent: undoIntent(entry, done, null, sha256(bytes)),
      ...(entry.firstSeen ? { firstSeen: entry.firstSeen } : {}),
      appFolder: path.dirname(file),
      apply: async (work) => {
        const how = await restoreSessionFile(work, file, saved);
        if (how === 'already') throw new AppError('already-undone', `${entry.ref} was already restored.`);
        // The session is back: the copy the delete sent to the OS trash goes (where that is possible).
        if (!entry.permanent) await removeTrashedCopy(file, entry.sha256Before).catch(() => false);
        return done;
      },
    };
  }

  /** An entry whose file is already as undoing it would leave: recorded as settled, reported as such. */
  private alreadyUndone(entry: StatusEntry | DeleteEntry, done: ChangeResult): PlanResult {
    return this.settledWithout(
      entry,
      done,
      new AppError('already-undone', `${entry.ref} was already undone.`),
    );
  }

  /**
   * An undo that will not touch the file (already done, or refused because the file changed):
   * recorded all the same, so the entry counts as settled and the next undo moves on.
   */
  private settledWithout(entry: StatusEntry | DeleteEntry, done: ChangeResult, why: AppError): PlanResult {
    return {
      ref: entry.ref,
      intent: undoIntent(entry, done, null, null),
      apply: async () => {
        throw why;
      },
    };
  }
}
