/**
 * The 4D web session a push keeps per server: its session cookie (`4DSID_<project>`), sent back
 * with every later push so the server reuses one session instead of opening one per push.
 *
 * Why: in forced-login mode every REST session whose login calls `Session.setPrivileges()` holds
 * a 4D Client licence until it has been idle for its timeout (60 minutes at least); in the legacy
 * mode every new REST session takes one at once (docs/push.md, "One licence, not one per push").
 * Logging in on every push would use up the server's licences.
 *
 * The cookie of a logged-in session is a credential, so:
 * - MemoryRestSessions (the desktop app, the browser mode) keeps it in memory only;
 * - FileRestSessions (the command line, whose runs are separate processes) keeps it in
 *   `<data dir>/push-sessions.json`, written owner-only (mode 600), never printed.
 */
import path from 'node:path';
import { isRecord, JsonDataFile } from './dataFile.js';

/** One cookie of a server: its value and when it stops being valid (null: when the server says so). */
interface StoredCookie {
  value: string;
  expiresAt: number | null;
}

/** The cookies a server set for one identity (origin and user), by name. */
export type RestSession = Record<string, StoredCookie>;

export interface RestSessionStore {
  get(key: string): Promise<RestSession | null>;
  set(key: string, session: RestSession): Promise<void>;
  delete(key: string): Promise<void>;
  /** Forgets every session of a server origin (its address changed, or its settings were forgotten). */
  deleteOrigin(origin: string): Promise<void>;
}

/** One session per server origin and user: another user needs its own login and privileges. */
export const restSessionKey = (url: string | URL, user: string | null): string =>
  `${new URL(url).origin} ${user ?? ''}`;

const originOfKey = (key: string): string => key.slice(0, key.indexOf(' '));

/** The `Cookie` header for a session at `now`, or null when no cookie is valid. */
export function cookieHeader(session: RestSession | null, now: number): string | null {
  if (!session) return null;
  const pairs = Object.entries(session)
    .filter(([, cookie]) => cookie.expiresAt === null || cookie.expiresAt > now)
    .map(([name, cookie]) => `${name}=${cookie.value}`);
  return pairs.length ? pairs.join('; ') : null;
}

/** When a `Set-Cookie` line says its cookie ends: `Max-Age` wins over `Expires` (RFC 6265, 5.3). */
function expiryOf(attributes: string[], now: number): number | null {
  let expires: number | null = null;
  for (const attribute of attributes) {
    const [rawName, ...rest] = attribute.split('=');
    const name = (rawName ?? '').trim().toLowerCase();
    const value = rest.join('=').trim();
    if (name === 'max-age' && /^-?\d+$/.test(value)) return now + Number(value) * 1000;
    if (name === 'expires') {
      const time = Date.parse(value);
      if (!Number.isNaN(time)) expires = time;
    }
  }
  return expires;
}

/**
 * The session after a response's `Set-Cookie` lines: new values replace old ones, a cookie the
 * server expires (a past date, `Max-Age=0`) is removed. Only `name=value` and the expiry are
 * kept: this client talks to one origin and sends the cookies back to it alone.
 */
export function applySetCookies(
  session: RestSession | null,
  setCookie: string[] | undefined,
  now: number,
): RestSession | null {
  if (!setCookie?.length) return session;
  const next: RestSession = { ...(session ?? {}) };
  for (const line of setCookie) {
    const [pair, ...attributes] = line.split(';');
    const equals = (pair ?? '').indexOf('=');
    if (equals <= 0) continue;
    const name = (pair ?? '').slice(0, equals).trim();
    const value = (pair ?? '').slice(equals + 1).trim();
    const expiresAt = expiryOf(attributes, now);
    if (expiresAt !== null && expiresAt <= now) delete next[name];
    else next[name] = { value, expiresAt };
  }
  return Object.keys(next).length ? next : null;
}

export class MemoryRestSessions implements RestSessionStore {
  private readonly sessions = new Map<string, RestSession>();

  async get(key: string): Promise<RestSession | null> {
    return this.sessions.get(key) ?? null;
  }

  async set(key: string, session: RestSession): Promise<void> {
    this.sessions.set(key, session);
  }

  async delete(key: string): Promise<void> {
    this.sessions.delete(key);
  }

  async deleteOrigin(origin: string): Promise<void> {
    for (const key of [...this.sessions.keys()]) if (originOfKey(key) === origin) this.sessions.delete(key);
  }
}

interface SessionsFile {
  version: 1;
  sessions: Record<string, RestSession>;
}

const emptyFile = (): SessionsFile => ({ version: 1, sessions: {} });

function acceptFile(json: unknown): SessionsFile | null {
  if (!isRecord(json) || json.version !== 1 || !isRecord(json.sessions)) return null;
  const sessions: Record<string, RestSession> = {};
  for (const [key, value] of Object.entries(json.sessions)) {
    if (!isRecord(value)) continue;
    const session: RestSession = {};
    for (const [name, cookie] of Object.entries(value)) {
      if (!isRecord(cookie) || typeof cookie.value !== 'string') continue;
      const expiresAt = typeof cookie.expiresAt === 'number' ? cookie.expiresAt : null;
      session[name] = { value: cookie.value, expiresAt };
    }
    if (Object.keys(session).length) sessions[key] = session;
  }
  return { version: 1, sessions };
}

/** The command line's sessions, in the data directory, owner-only (JsonDataFile writes mode 600). */
export class FileRestSessions implements RestSessionStore {
  private readonly data: JsonDataFile<SessionsFile>;

  constructor(dataDir: string) {
    this.data = new JsonDataFile(path.join(dataDir, 'push-sessions.json'), emptyFile, acceptFile);
  }

  get file(): string {
    return this.data.file;
  }

  async get(key: string): Promise<RestSession | null> {
    return (await this.data.read()).sessions[key] ?? null;
  }

  async set(key: string, session: RestSession): Promise<void> {
    await this.data.update((file) => {
      file.sessions[key] = session;
    });
  }

  async delete(key: string): Promise<void> {
    await this.data.update((file) => {
      delete file.sessions[key];
    });
  }

  async deleteOrigin(origin: string): Promise<void> {
    await this.data.update((file) => {
      for (const key of Object.keys(file.sessions))
        if (originOfKey(key) === origin) delete file.sessions[key];
    });
  }
}
