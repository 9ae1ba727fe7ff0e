/**
 * A push secret belongs to the server it was given for: its origin (scheme, host and port) is
 * kept with it, inside what the secret store encrypts, so that a secret is never sent to another
 * server than its own (a changed URL, a `--server` for one push).
 *
 * Stored form: `{"mobileSessionsSecret": 1, "origin": "https://host:port" | null, "secret": "…"}`.
 * `origin` is null for a secret given before any server was set; it is bound to the first one.
 * A value in any other form is an unbound secret: one the person running this process gave for
 * this run (MOBILE_SESSIONS_PUSH_SECRET, a secret file), or one saved by an older version.
 */

export interface OpenedSecret {
  secret: string;
  /** The server origin the secret belongs to; null: not bound yet. */
  origin: string | null;
  /** Whether the value carried a binding (false: an environment or file secret, or an old one). */
  sealed: boolean;
}

const MARK = 'mobileSessionsSecret';

/** The origin of a URL as a secret is bound to it: `https://host:port` (the default port omitted, as URL does). */
export const originOf = (url: string): string => new URL(url).origin;

export function sealSecret(secret: string, origin: string | null): string {
  return JSON.stringify({ [MARK]: 1, origin, secret });
}

export function openSecret(stored: string): OpenedSecret {
  if (stored.startsWith(`{"${MARK}"`)) {
    try {
      const value = JSON.parse(stored) as Record<string, unknown>;
      if (
        value[MARK] === 1 &&
        typeof value.secret === 'string' &&
        (value.origin === null || typeof value.origin === 'string')
      ) {
        return { secret: value.secret, origin: value.origin, sealed: true };
      }
    } catch {
      // not a sealed value after all: read as an unbound secret below
    }
  }
  return { secret: stored, origin: null, sealed: false };
}
