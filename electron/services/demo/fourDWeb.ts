/**
 * The pieces of 4D's web server the 4D Server double plays, each as 4D documents it:
 *
 * - `OutgoingMessageDouble`: 4D.OutgoingMessage (20 R7). `setBody()` sets the Content-Type from
 *   the body's type (Text: text/plain, Blob: application/octet-stream, Object: application/json),
 *   replacing a Content-Type set before it; set the header after `setBody()` to choose another
 *   (https://developer.4d.com/docs/API/OutgoingMessageClass).
 * - `permits`: roles.json permissions (https://developer.4d.com/docs/ORDA/privileges): no
 *   permission defined at all means no restriction; else the function's own entry ("method",
 *   "singletonMethod") wins over its singleton's ("singleton"), which wins over the datastore's.
 * - `WebSessions`: scalable web sessions (https://developer.4d.com/docs/WebServer/sessions): a
 *   `4DSID_<project>` cookie, a guest session for a request without a known cookie, closed after
 *   60 minutes idle; 4D Client licences held by REST sessions (forced login: from
 *   `Session.setPrivileges()` on; legacy mode: from the session's first request), released when
 *   the session closes (https://developer.4d.com/docs/REST/authUsers).
 */
import { randomUUID } from 'node:crypto';

// --- 4D.OutgoingMessage -------------------------------------------------------------------------

export class OutgoingMessageDouble {
  status = 200;
  body: string | Buffer | Record<string, unknown> | null = null;
  private readonly headerValues = new Map<string, { name: string; value: string }>();

  /** The body, and the Content-Type its type implies (replacing one set before). */
  setBody(body: string | Buffer | Record<string, unknown>): void {
    this.body = body;
    const type =
      typeof body === 'string'
        ? 'text/plain'
        : Buffer.isBuffer(body)
          ? 'application/octet-stream'
          : 'application/json';
    this.setHeader('Content-Type', type);
  }

  setHeader(name: string, value: string): void {
    this.headerValues.set(name.toLowerCase(), { name, value });
  }

  setStatus(status: number): void {
    this.status = status;
  }

  get headers(): Record<string, string> {
    return Object.fromEntries([...this.headerValues.values()].map(({ name, value }) => [name, value]));
  }

  /** The bytes 4D sends: an Object body as JSON, a Text as UTF-8. */
  bytes(): Buffer {
    if (this.body === null) return Buffer.alloc(0);
    if (typeof this.body === 'string') return Buffer.from(this.body, 'utf8');
    if (Buffer.isBuffer(this.body)) return this.body;
    return Buffer.from(JSON.stringify(this.body), 'utf8');
  }
}

// --- roles.json ---------------------------------------------------------------------------------

export interface RolesPermission {
  applyTo: string;
  type: 'datastore' | 'dataclass' | 'attribute' | 'method' | 'singletonMethod' | 'singleton';
  execute?: string[];
  [action: string]: unknown;
}

export interface RolesJson {
  privileges: { privilege: string; includes?: string[] }[];
  roles?: { role: string; privileges: string[] }[];
  permissions: { allowed: RolesPermission[] };
  forceLogin?: boolean;
}

/**
 * The roles.json of a project created with 4D 20 R6 or later (everything locked with the "none"
 * privilege), with the entries docs/push.md adds: the push privilege may run the REST function,
 * and guest may run the HTTP request handler.
 */
export function pushRolesJson(): RolesJson {
  return {
    privileges: [
      { privilege: 'none', includes: [] },
      { privilege: 'mobileSessionsPush', includes: [] },
    ],
    roles: [],
    permissions: {
      allowed: [
        {
          applyTo: 'ds',
          type: 'datastore',
          read: ['none'],
          create: ['none'],
          update: ['none'],
          drop: ['none'],
          execute: ['none'],
          promote: ['none'],
        },
        ...PUSH_MD_PERMISSIONS,
      ],
    },
    forceLogin: true,
  };
}

/** The permissions docs/push.md tells the admin to add (its test checks the page shows these). */
export const PUSH_MD_PERMISSIONS: RolesPermission[] = [
  { applyTo: 'ds.refreshMobileSessions', type: 'method', execute: ['mobileSessionsPush'] },
  { applyTo: 'MobileSessionsHandler.refresh', type: 'singletonMethod', execute: ['guest'] },
];

/** A session's privileges with those they include (names are case-insensitive). */
function expand(roles: RolesJson, granted: Iterable<string>): Set<string> {
  const all = new Set<string>();
  const queue = [...granted].map((name) => name.toLowerCase());
  while (queue.length) {
    const name = queue.pop() as string;
    if (all.has(name)) continue;
    all.add(name);
    const privilege = roles.privileges.find((p) => p.privilege.toLowerCase() === name);
    for (const included of privilege?.includes ?? []) queue.push(included.toLowerCase());
  }
  return all;
}

/**
 * Whether a session may run a function: `ds.<name>` (a DataStore function) or `<Class>.<name>`
 * (a singleton's). A guest session holds the "guest" privilege.
 */
export function permits(roles: RolesJson, fn: string, privileges: Iterable<string>): boolean {
  const allowed = roles.permissions.allowed;
  if (allowed.length === 0) return true;
  const [owner = ''] = fn.split('.');
  const singleton = owner !== 'ds';
  const entry =
    allowed.find(
      (p) => p.applyTo === fn && p.type === (singleton ? 'singletonMethod' : 'method') && p.execute,
    ) ??
    (singleton
      ? allowed.find((p) => p.applyTo === owner && p.type === 'singleton' && p.execute)
      : undefined) ??
    allowed.find((p) => p.type === 'datastore' && p.execute);
  if (!entry?.execute) return true;
  const held = expand(roles, privileges);
  return entry.execute.some((name) => held.has(name.toLowerCase()));
}

// --- web sessions and licences ------------------------------------------------------------------

export interface WebSession {
  id: string;
  /** Privileges set by `Session.setPrivileges()`; empty: a guest session. */
  privileges: Set<string>;
  /** Whether the session holds a 4D Client licence. */
  licensed: boolean;
  lastUsed: number;
}

export const SESSION_IDLE_MS = 60 * 60 * 1000;

export class WebSessions {
  private readonly sessions = new Map<string, WebSession>();
  /** Successful `Session.setPrivileges()` calls that took a licence. */
  logins = 0;

  constructor(
    readonly cookieName: string,
    readonly licences: number,
    private readonly now: () => number,
    readonly idleMs = SESSION_IDLE_MS,
  ) {}

  /** Closes the sessions idle for longer than the timeout, releasing their licences. */
  private expire(): void {
    const now = this.now();
    for (const [id, session] of this.sessions)
      if (now - session.lastUsed > this.idleMs) this.sessions.delete(id);
  }

  get licencesInUse(): number {
    this.expire();
    return [...this.sessions.values()].filter((s) => s.licensed).length;
  }

  /** The request's session (its cookie names a live one), else a new guest session. */
  sessionFor(cookieHeader: string | undefined): { session: WebSession; created: boolean } {
    this.expire();
    const match = new RegExp(`(?:^|;\\s*)${this.cookieName}=([^;]+)`).exec(cookieHeader ?? '');
    const known = match?.[1] ? this.sessions.get(match[1]) : undefined;
    if (known) {
      known.lastUsed = this.now();
      return { session: known, created: false };
    }
    const session: WebSession = {
      id: randomUUID().replace(/-/g, '').toUpperCase(),
      privileges: new Set(),
      licensed: false,
      lastUsed: this.now(),
    };
    this.sessions.set(session.id, session);
    return { session, created: true };
  }

  /** Takes a licence for the session when it holds none; false when none is free. */
  takeLicence(session: WebSession): boolean {
    if (session.licensed) return true;
    if (this.licencesInUse >= this.licences) return false;
    session.licensed = true;
    return true;
  }

  /** `Session.setPrivileges()` in forced-login mode: needs a licence; true when done. */
  setPrivileges(session: WebSession, privileges: string[]): boolean {
    const had = session.licensed;
    if (!this.takeLicence(session)) return false;
    if (!had) this.logins += 1;
    session.privileges = new Set(privileges);
    return true;
  }

  /** The `Set-Cookie` line for the session (sent again with each answer, with its new expiry). */
  setCookie(session: WebSession): string {
    const expires = new Date(session.lastUsed + this.idleMs).toUTCString();
    return `${this.cookieName}=${session.id}; Path=/; Expires=${expires}; HttpOnly; SameSite=Strict`;
  }

  /** What a 4D Server restart does to web sessions: all closed, every licence released. */
  closeAll(): void {
    this.sessions.clear();
  }
}
