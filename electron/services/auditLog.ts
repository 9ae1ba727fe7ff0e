/**
 * The audit log: one JSON line per change made through the engine, appended in the data
 * directory, never in the MobileApps folder. It is also the undo history: each entry holds
 * enough of the before-state (the status, or a saved copy of a deleted file) to reverse it.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SessionStatus } from '../../shared/session.js';
import { errnoCode } from './fsErrors.js';

export interface AuditEntryBase {
  id: string;
  /** Entries made by one command (one bulk accept, one multi-delete) share a batch: undo reverses a batch. */
  batch: string;
  time: string;
  user: string;
  root: string;
  ref: string;
}

export interface StatusEntry extends AuditEntryBase {
  action: 'set-status';
  statusBefore: SessionStatus;
  statusAfter: SessionStatus;
  /** sha-256 of the file as the engine left it: undo refuses if it changed since. */
  sha256After: string;
}

export interface DeleteEntry extends AuditEntryBase {
  action: 'delete';
  permanent: boolean;
  statusBefore: SessionStatus | null;
  /** Name of the exact copy of the deleted bytes in the data directory's `undo/` folder. */
  backup: string;
  sha256Before: string;
  mode: number;
}

export interface UndoEntry extends AuditEntryBase {
  action: 'undo';
  /** The id of the entry this undo attempted to reverse. */
  undoes: string;
  ok: boolean;
  reason: string | null;
  statusBefore: SessionStatus | null;
  statusAfter: SessionStatus | null;
}

export type AuditEntry = StatusEntry | DeleteEntry | UndoEntry;
/** What a caller gives; the log stamps id, time, user and root. */
export type NewAuditEntry<T extends AuditEntry = AuditEntry> = T extends AuditEntry
  ? Omit<T, 'id' | 'time' | 'user' | 'root'>
  : never;

export function currentUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export class AuditLog {
  readonly file: string;
  readonly backupDir: string;

  constructor(
    readonly dataDir: string,
    private readonly root: string,
  ) {
    this.file = path.join(dataDir, 'audit.jsonl');
    this.backupDir = path.join(dataDir, 'undo');
  }

  static newBatch(): string {
    return randomUUID();
  }

  async append<T extends AuditEntry>(entry: NewAuditEntry<T>): Promise<T> {
    const full = {
      id: randomUUID(),
      time: new Date().toISOString(),
      user: currentUser(),
      root: this.root,
      ...entry,
    };
    await fs.mkdir(this.dataDir, { recursive: true });
    await fs.appendFile(this.file, `${JSON.stringify(full)}\n`, { encoding: 'utf8', mode: 0o600 });
    return full as unknown as T;
  }

  /** Saves the exact bytes of a file about to be deleted, flushed to disk before the delete happens. */
  async saveBackup(bytes: Buffer): Promise<string> {
    const name = randomUUID();
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

  readBackup(name: string): Promise<Buffer> {
    return fs.readFile(path.join(this.backupDir, path.basename(name)));
  }

  /** Every entry of every root, oldest first; lines that do not parse (a torn write) are skipped. */
  async readAll(): Promise<AuditEntry[]> {
    let content: string;
    try {
      content = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return [];
      throw error;
    }
    const entries: AuditEntry[] = [];
    for (const line of content.split('\n')) {
      if (!line.trim()) continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        // A line cut short by a crash: the rest of the history is still good.
      }
    }
    return entries;
  }

  /** The entries of this log's root. */
  async entries(): Promise<AuditEntry[]> {
    return (await this.readAll()).filter((entry) => entry.root === this.root);
  }
}
