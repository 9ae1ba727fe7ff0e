/**
 * What a push did, in the window's language, from the engine's structured result: the outcome,
 * the counts, the failure's kind and fields. Never from its English sentence, which is shown as it
 * is only where the window speaks English (it is the more precise text: it names the cause among
 * several of one kind), and as a detail elsewhere.
 */
import { REFERENCE_LANGUAGE } from '../../shared/i18n/catalogs.js';
import type { Translate } from '../../shared/i18n/translator.js';
import type { PushFailureKind, PushResult } from '../../shared/push.js';

/**
 * Every kind of failure the engine reports, each worded in the catalogs (`push:failure.<kind>`).
 * A Record, so that a new kind in shared/push.ts does not compile until it is listed here, and
 * pushTexts.test.ts then fails until every catalog words it.
 */
const FAILURE_KEYS: Record<PushFailureKind, string> = {
  'not-configured': 'push:failure.not-configured',
  'no-secret': 'push:failure.no-secret',
  unreachable: 'push:failure.unreachable',
  'tls-untrusted': 'push:failure.tls-untrusted',
  'tls-changed': 'push:failure.tls-changed',
  'tls-handshake': 'push:failure.tls-handshake',
  'credentials-refused': 'push:failure.credentials-refused',
  'not-allowed': 'push:failure.not-allowed',
  'no-licence': 'push:failure.no-licence',
  'endpoint-missing': 'push:failure.endpoint-missing',
  timeout: 'push:failure.timeout',
  redirect: 'push:failure.redirect',
  'bad-answer': 'push:failure.bad-answer',
  'server-error': 'push:failure.server-error',
};

export const PUSH_FAILURE_KINDS = Object.keys(FAILURE_KEYS) as PushFailureKind[];

/** `host:port` of the server called, or its URL as given when it does not parse. */
const hostOf = (server: string | null): string => {
  if (!server) return '';
  try {
    return new URL(server).host;
  } catch {
    return server;
  }
};

/** The dialog's title: failed, pushed, or pushed with the server's errors. */
export function resultTitle(result: PushResult, t: Translate): string {
  const errors = result.serverErrors.length;
  if (result.outcome === 'failed') return t('push:result.failedTitle');
  if (errors > 0 || result.outcome === 'reloaded-with-errors') {
    return t('push:result.withErrorsTitle', { count: errors || 1 });
  }
  return t('push:result.pushedTitle');
}

/** What a failure of this kind means, with the fields the engine gave (server, HTTP status). */
export function failureText(
  kind: PushFailureKind,
  fields: { server: string | null; status: number | null },
  t: Translate,
) {
  return t(FAILURE_KEYS[kind] ?? FAILURE_KEYS['server-error'], {
    host: hostOf(fields.server),
    status: fields.status === null ? 'none' : String(fields.status),
  });
}

/**
 * The sentence that says what happened. A reload is worded from its counts in every language (the
 * English catalog says word for word what the engine says); a failure is the engine's sentence in
 * English and its kind's text, with what is kept, in any other language.
 */
export function resultSummary(result: PushResult, language: string, t: Translate): string {
  if (result.outcome !== 'failed') {
    const count = (kind: 'status' | 'deleted' | 'restored') =>
      result.changes.filter((c) => c.kind === kind).length;
    const parts = [
      ['changed', count('status')],
      ['deleted', count('deleted')],
      ['restored', count('restored')],
    ] as const;
    const delivered = new Intl.ListFormat(language, { type: 'unit', style: 'short' }).format(
      parts.filter(([, n]) => n > 0).map(([key, n]) => t(`push:result.delivered.${key}`, { count: n })),
    );
    return t('push:result.reloaded', {
      nothing: result.nothingToPush ? 'yes' : 'no',
      host: hostOf(result.server),
      count: result.changes.length,
      delivered,
      errors: result.serverErrors.length,
    });
  }
  if (language === REFERENCE_LANGUAGE || !result.failure) return result.message;
  const { kind, status } = result.failure;
  const what = failureText(kind, { server: result.server, status }, t);
  return result.nothingToPush ? what : `${what} ${t('push:result.kept', { count: result.changes.length })}`;
}

/** The engine's own sentence, shown as a detail where the summary is not it already. */
export function engineDetail(result: PushResult, language: string): string | null {
  return result.outcome === 'failed' && language !== REFERENCE_LANGUAGE && result.failure
    ? result.message
    : null;
}
