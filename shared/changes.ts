/** What a change made through the engine reports, per session. */
import type { ErrorShape } from './errors.js';
import type { SessionStatus } from './session.js';

export interface ChangeResult {
  ref: string;
  /** `unchanged`: the file already had that status, nothing was written. */
  outcome: 'changed' | 'unchanged' | 'deleted' | 'restored' | 'failed';
  statusBefore: SessionStatus | null;
  statusAfter: SessionStatus | null;
  error: ErrorShape | null;
}

export interface ChangeReport {
  /** The batch id in the audit log, null when nothing was recorded. */
  batch: string | null;
  results: ChangeResult[];
  /** An undo's report: the batch it undid (whose notice then has nothing left to undo). */
  undid?: string;
}

export const reportFailed = (report: ChangeReport): boolean =>
  report.results.some((r) => r.outcome === 'failed');
