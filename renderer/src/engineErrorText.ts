/**
 * An engine error in the window's words. The engine answers `{code, message}` with an English
 * message: the window says what the code means in its own language; where a code covers too many
 * cases to be worded once (`io`: which file, which errno), the engine's message is the detail.
 */
import type { ErrorCode } from '../../shared/errors.js';
import type { Translate } from '../../shared/i18n/translator.js';

/** Every code the `window` catalog words (`errors.<code>`), and so the ones it must keep wording. */
export const WORDED_CODES: readonly ErrorCode[] = [
  'bad-request',
  'bad-ref',
  'unknown-ref',
  'ambiguous-ref',
  'not-a-session',
  'conflict',
  'root-missing',
  'nothing-to-undo',
  'already-undone',
  'history',
  'cancelled',
  'not-allowed',
  'io',
];

export function engineErrorText(
  error: { code?: string; message?: string } | null | undefined,
  t: Translate,
): string {
  const detail = error?.message ?? '';
  const code = WORDED_CODES.find((known) => known === error?.code);
  // A code this window does not know yet (a newer engine): the engine's own words are all there is.
  return code ? t(`window:errors.${code}`, { detail }) : detail;
}
