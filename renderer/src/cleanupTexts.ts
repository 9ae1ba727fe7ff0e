/**
 * The Clean-up view's words for the engine's data: a candidate's reasons and status, in the
 * window's language. The command line words the same reasons in English (shared/cleanup.ts,
 * `reasonText`); the English catalog says what it says (cleanupTexts.test.ts).
 */
import type { CleanupReason } from '../../shared/cleanup.js';
import type { Translate } from '../../shared/i18n/translator.js';
import type { SessionStatus } from '../../shared/session.js';

/** One reason in words. */
export function reasonWord(reason: CleanupReason, t: Translate): string {
  switch (reason.rule) {
    case 'superseded': {
      // The newer session's id, shortened: enough to find it in the table.
      const id = reason.newer.slice(reason.newer.lastIndexOf('/') + 1);
      return t('cleanup:reason.superseded', { id: id.slice(0, 8) });
    }
    case 'stale':
      return t('cleanup:reason.stale', { count: reason.ageDays });
    case 'simulator':
      return t('cleanup:reason.simulator');
    case 'guest':
      return t('cleanup:reason.guest');
  }
}

/** A candidate's reasons, one after the other. */
export const reasonWords = (reasons: readonly CleanupReason[], t: Translate): string =>
  reasons.map((reason) => reasonWord(reason, t)).join('; ');

/** A session's status as shown (the file keeps the raw value); `invalid` when it has none. */
export const statusWord = (status: SessionStatus | null, t: Translate): string =>
  t(`cleanup:status.${status ?? 'invalid'}`);
