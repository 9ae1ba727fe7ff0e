/**
 * The last successful push of each root (`push-history.json` in the data directory): when, to
 * which server, what it delivered, and the last audit-log entry it covered. Unpushed changes are
 * the audit entries after that one; a failed push records nothing here, so they stay unpushed.
 */
import path from 'node:path';
import type { PushRecord } from '../../../shared/push.js';
import type { LogPosition } from '../history/auditLog.js';
import { isRecord, JsonDataFile } from './dataFile.js';

/** Refs kept in a record: enough to show what a push delivered, bounded for huge bulk actions. */
export const MAX_RECORDED_REFS = 1000;

export interface StoredPush extends PushRecord {
  /** The id of the newest audit entry of this root when the push started (null: there was none). */
  lastEntryId: string | null;
  /** Where the folder's history ended when the push started: the next one reads from there. */
  logPosition?: LogPosition;
}

interface HistoryFile {
  version: number;
  roots: Record<string, StoredPush>;
}

const emptyHistory = (): HistoryFile => ({ version: 1, roots: {} });

function isStoredPush(value: unknown): value is StoredPush {
  return (
    isRecord(value) &&
    typeof value.time === 'string' &&
    typeof value.server === 'string' &&
    (value.lastEntryId === null || typeof value.lastEntryId === 'string') &&
    isRecord(value.delivered) &&
    Array.isArray(value.delivered.refs)
  );
}

function acceptHistory(json: unknown): HistoryFile | null {
  if (!isRecord(json) || json.version !== 1 || !isRecord(json.roots)) return null;
  const roots: Record<string, StoredPush> = {};
  for (const [root, value] of Object.entries(json.roots)) if (isStoredPush(value)) roots[root] = value;
  return { version: 1, roots };
}

export class PushHistory {
  private readonly data: JsonDataFile<HistoryFile>;

  constructor(readonly dataDir: string) {
    this.data = new JsonDataFile(path.join(dataDir, 'push-history.json'), emptyHistory, acceptHistory);
  }

  async last(root: string): Promise<StoredPush | null> {
    return (await this.data.read()).roots[path.resolve(root)] ?? null;
  }

  async record(root: string, push: StoredPush): Promise<void> {
    const stored: StoredPush = {
      ...push,
      delivered: { ...push.delivered, refs: push.delivered.refs.slice(0, MAX_RECORDED_REFS) },
    };
    await this.data.update((file) => {
      file.roots[path.resolve(root)] = stored;
    });
  }
}
