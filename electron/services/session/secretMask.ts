/**
 * What the app never shows: the value of any key that names a secret, at any depth of a session
 * file, in every output built from one (the details panel, its raw JSON, the CLI's JSON). The
 * list is documented in docs/architecture.md ("What the app never shows").
 *
 * A key is split into words (camelCase, snake_case, kebab-case, dots, digits), and it names a
 * secret when one of its words is in SECRET_WORDS: `apiKey`, `access_token`, `X-Auth`,
 * `credentials` and `Password` do; `keyboard`, `passport` and `pinned` do not. A whole value is
 * masked, objects and arrays included (`credentials: { user, pass }` shows as one mask).
 */

/** The words that make a key a secret's name, lower case. */
export const SECRET_WORDS: ReadonlySet<string> = new Set([
  'password',
  'passwd',
  'passphrase',
  'pass',
  'pwd',
  'secret',
  'token',
  'key',
  'apikey',
  'pin',
  'credential',
  'credentials',
  'auth',
  'authorization',
  'cookie',
  'cookies',
  'otp',
  'signature',
  'private',
]);

export const MASK = '••••••';

/** Values kept partly visible because they help the admin tell them apart: `device.token`, the push token. */
const PARTIAL: ReadonlySet<string> = new Set(['device.token']);
const VISIBLE_TAIL = 4;

/** The words of a key: `apiKey` → api, key; `access_token` → access, token; `X-Auth` → x, auth. */
export function wordsOf(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
}

export function namesASecret(key: string): boolean {
  const words = wordsOf(key);
  return words.some((word) => SECRET_WORDS.has(word)) || SECRET_WORDS.has(words.join(''));
}

/** The last few characters of a long string, the rest masked; a short one wholly masked. */
function tailOnly(value: unknown): string {
  if (typeof value !== 'string' || value.length <= VISIBLE_TAIL * 3) return MASK;
  return `${MASK}${value.slice(-VISIBLE_TAIL)}`;
}

/** A copy of a parsed session file with every secret masked; the input is not changed. */
export function maskSecrets(value: unknown, at = ''): unknown {
  if (Array.isArray(value)) return value.map((inner) => maskSecrets(inner, at));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => {
      const path = at ? `${at}.${key}` : key;
      if (PARTIAL.has(path)) return [key, tailOnly(inner)];
      if (namesASecret(key)) return [key, MASK];
      return [key, maskSecrets(inner, path)];
    }),
  );
}
