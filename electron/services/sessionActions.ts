/**
 * What an admin does to sessions (accept, set pending, delete, undo), composed from the writer,
 * the status editor and the audit log. Each call is one batch; one failing session never stops
 * the others, and each result says what happened to its file.
 */
import path from 'node:path';
import pMap from 'p-map';
import type { ChangeReport, ChangeResult } from '../../shared/changes.js';
import { AppError, type ErrorShape } from '../../shared/errors.js';
import type { SessionStatus } from '../../shared/session.js';
import { type AuditEntry, AuditLog, type DeleteEntry, type StatusEntry } from './auditLog.js';
import { parseSessionBytes } from './sessionFile.js';
import { parseRef, resolveRef } from './sessionRefs.js';
import {
  moveToOsTrash,
  readSessionBytes,
  removeSessionFile,
  replaceSessionFile,
  restoreSessionFile,
  sha256,
  type TrashFunction,
} from './sessionWriter.js';
import { editStatus } from './statusEdit.js';

/** Files changed at once in a bulk action: each write is flushed to disk, so a little overlap helps. */
const WRITE_CONCURRENCY = 8;

export interface SessionActionsOptions {
  /** The opened MobileApps folder (absolute). */
  root: string;
  dataDir: string;
  trash?: TrashFunction;
}

function toErrorShape(error: unknown): ErrorShape {
  if (error instanceof AppError) return error.toShape();
  return { code: 'io', message: error instanceof Error ? error.message : String(error) };
}

const failed = (ref: string, error: unknown): ChangeResult => ({
  ref,
  outcome: 'failed',
  statusBefore: null,
  statusAfter: null,
  error: toErrorShape(error),
});

export class SessionActions {
  readonly root: string;
  readonly log: AuditLog;
  private readonly trash: TrashFunction;

  constructor(options: SessionActionsOptions) {
    this.root = path.resolve(options.root);
    this.log = new AuditLog(options.dataDir, this.root);
    this.trash = options.trash ?? moveToOsTrash;
  }

  /** Accept or set pending: only the top-level `status` value changes, atomically, on the file as it is now. */
  async setStatus(refs: string[], status: SessionStatus): Promise<ChangeReport> {
    const batch = AuditLog.newBatch();
    const results = await pMap(refs, (ref) => this.setOne(ref, status, batch).catch((e) => failed(ref, e)), {
      concurrency: WRITE_CONCURRENCY,
    });
    return { batch: results.some((r) => r.outcome === 'changed') ? batch : null, results };
  }

  private async setOne(ref: string, status: SessionStatus, batch: string): Promise<ChangeResult> {
    const target = await resolveRef(this.root, ref);
    const current = await readSessionBytes(target.file);
    const edit = editStatus(current.bytes, status);
    if (!edit.changed) {
      return {
        ref: target.ref,
        outcome: 'unchanged',
        statusBefore: edit.before,
        statusAfter: status,
        error: null,
      };
    }
    await replaceSessionFile(target.file, current.bytes, edit.bytes);
    await this.log.append<StatusEntry>({
      action: 'set-status',
      batch,
      ref: target.ref,
      statusBefore: edit.before,
      statusAfter: status,
      sha256After: sha256(edit.bytes),
    });
    return {
      ref: target.ref,
      outcome: 'changed',
      statusBefore: edit.before,
      statusAfter: status,
      error: null,
    };
  }

  /** Moves session files to the OS trash (or deletes them for good), keeping an exact copy for undo. */
  async delete(refs: string[], options: { permanent?: boolean } = {}): Promise<ChangeReport> {
    const batch = AuditLog.newBatch();
    const permanent = options.permanent === true;
    const results = await pMap(
      refs,
      (ref) => this.deleteOne(ref, permanent, batch).catch((e) => failed(ref, e)),
      {
        concurrency: WRITE_CONCURRENCY,
      },
    );
    return { batch: results.some((r) => r.outcome === 'deleted') ? batch : null, results };
  }

  private async deleteOne(ref: string, permanent: boolean, batch: string): Promise<ChangeResult> {
    const target = await resolveRef(this.root, ref);
    const current = await readSessionBytes(target.file);
    const parsed = parseSessionBytes(current.bytes);
    const status =
      parsed.ok && (parsed.json.status === 'accepted' || parsed.json.status === 'pending')
        ? parsed.json.status
        : null;
    // The copy is on disk before the file goes, so no failure in between can lose it.
    const backup = await this.log.saveBackup(current.bytes);
    await removeSessionFile(target.file, current.bytes, { permanent, trash: this.trash });
    await this.log.append<DeleteEntry>({
      action: 'delete',
      batch,
      ref: target.ref,
      permanent,
      statusBefore: status,
      backup,
      sha256Before: sha256(current.bytes),
      mode: current.mode,
    });
    return { ref: target.ref, outcome: 'deleted', statusBefore: status, statusAfter: null, error: null };
  }

  /**
   * Reverses the most recent batch not yet undone, entry by entry, as long as each file is as the
   * engine left it. An entry that cannot be undone is reported and counted as tried, so the next
   * undo moves on to the batch before.
   */
  async undo(): Promise<ChangeReport> {
    const entries = await this.log.entries();
    const tried = new Set(entries.flatMap((entry) => (entry.action === 'undo' ? [entry.undoes] : [])));
    const open = entries.filter(
      (entry): entry is StatusEntry | DeleteEntry => entry.action !== 'undo' && !tried.has(entry.id),
    );
    const last = open.at(-1);
    if (!last)
      throw new AppError(
        'nothing-to-undo',
        `Nothing to undo: no change made by this app in ${this.root} remains.`,
      );
    const batch = AuditLog.newBatch();
    const results: ChangeResult[] = [];
    for (const entry of open.filter((e) => e.batch === last.batch).reverse()) {
      const result = await this.undoOne(entry).catch((e) => failed(entry.ref, e));
      await this.log.append({
        action: 'undo',
        batch,
        ref: entry.ref,
        undoes: entry.id,
        ok: result.outcome !== 'failed',
        reason: result.error?.message ?? null,
        statusBefore: result.statusBefore,
        statusAfter: result.statusAfter,
      });
      results.push(result);
    }
    return { batch, results };
  }

  private async undoOne(entry: StatusEntry | DeleteEntry): Promise<ChangeResult> {
    const { folder, id } = parseRef(entry.ref);
    const file = path.join(this.root, folder ?? '', id);
    if (entry.action === 'delete') {
      const bytes = await this.log.readBackup(entry.backup);
      if (sha256(bytes) !== entry.sha256Before) {
        throw new AppError('io', 'The saved copy of this session is damaged: it cannot be restored.');
      }
      await restoreSessionFile(file, bytes, entry.mode);
      return {
        ref: entry.ref,
        outcome: 'restored',
        statusBefore: null,
        statusAfter: entry.statusBefore,
        error: null,
      };
    }
    const current = await readSessionBytes(file);
    if (sha256(current.bytes) !== entry.sha256After) {
      throw new AppError(
        'conflict',
        `${entry.ref} has changed since it was set to ${entry.statusAfter} (by the 4D Server or someone else): not undone.`,
      );
    }
    const edit = editStatus(current.bytes, entry.statusBefore);
    await replaceSessionFile(file, current.bytes, edit.bytes);
    return {
      ref: entry.ref,
      outcome: 'restored',
      statusBefore: entry.statusAfter,
      statusAfter: entry.statusBefore,
      error: null,
    };
  }

  /** This folder's history, oldest first. */
  history(): Promise<AuditEntry[]> {
    return this.log.entries();
  }
}
