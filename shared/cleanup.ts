/**
 * Clean-up: which sessions a rule proposes to remove, as plain data for every door. The rules run
 * in the engine (electron/services/cleanup/cleanupRules.ts); nothing is removed without a preview.
 */
import type { SessionStatus, SessionSummary } from './session.js';

export type CleanupRule = 'superseded' | 'stale' | 'simulator' | 'guest';
export const CLEANUP_RULES: readonly CleanupRule[] = ['superseded', 'stale', 'simulator', 'guest'];

/** A guest session: one without an e-mail (the guests rule, and the table's Guests filter). */
export const isGuest = (session: Pick<SessionSummary, 'email'>): boolean =>
  !session.email || session.email.trim() === '';

export interface CleanupRules {
  /** Older sessions of a device (same app, same `device.id`) that has a newer one. */
  superseded?: boolean;
  /** With `superseded`: only when the newer session has the same e-mail too. */
  sameEmail?: boolean;
  /** Sessions whose file has not changed for this many days; null or absent: off. */
  staleDays?: number | null;
  /** Sessions of simulators. */
  simulators?: boolean;
  /** Sessions without an e-mail. */
  guests?: boolean;
  /** Pending sessions are never proposed unless this is set. */
  includePending?: boolean;
}

export type CleanupReason =
  | { rule: 'superseded'; newer: string }
  | { rule: 'stale'; ageDays: number }
  | { rule: 'simulator' }
  | { rule: 'guest' };

export interface CleanupCandidate {
  ref: string;
  folder: string;
  status: SessionStatus | null;
  device: string | null;
  email: string | null;
  /** ISO 8601: the file's last change, what "stale" is measured from. */
  modified: string;
  /** Whole days since the file's last change. */
  ageDays: number;
  reasons: CleanupReason[];
}

export interface CleanupPreview {
  /** When the preview was computed (ages are measured from it). */
  now: string;
  /** The stale threshold the data suggests (see docs/cleanup.md). */
  suggestedStaleDays: number;
  candidates: CleanupCandidate[];
  counts: {
    total: number;
    byRule: Record<CleanupRule, number>;
    byApp: Record<string, number>;
    /** Pending sessions a rule matched but that were left out (includePending off). */
    pendingLeftOut: number;
  };
  /** Names this exact set of candidates: `cleanup` refuses to act when the set changed since. */
  token: string;
}

/**
 * What a candidate's age is, and is not, as the command line says it. The window says the same in
 * its own language (the `cleanup` catalogs, renderer/src/cleanupTexts.ts; the English is this text).
 */
export const STALE_AGE_BASIS =
  "Age is the time since the session's file last changed (its modification time). It is not the device's " +
  'last request: the 4D Server does not write that to the file.';

export const RULE_LABELS: Record<CleanupRule, string> = {
  superseded: 'Superseded',
  stale: 'Stale',
  simulator: 'Simulators',
  guest: 'Guests',
};

/** One reason in words, for the command line (the window's English says the same: cleanupTexts.test.ts). */
export function reasonText(reason: CleanupReason): string {
  switch (reason.rule) {
    case 'superseded': {
      const id = reason.newer.slice(reason.newer.lastIndexOf('/') + 1);
      return `older session of this device (newer: ${id.slice(0, 8)}…)`;
    }
    case 'stale':
      return `file unchanged for ${reason.ageDays} ${reason.ageDays === 1 ? 'day' : 'days'}`;
    case 'simulator':
      return 'simulator';
    case 'guest':
      return 'guest (no e-mail)';
  }
}
