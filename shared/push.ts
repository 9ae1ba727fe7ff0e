/**
 * Push: what crosses a boundary (IPC, HTTP, CLI JSON) when the app asks a running 4D Server to
 * reload its mobile sessions. Settings here never hold a secret: secrets live in a SecretStore
 * (the OS keychain through Electron's safeStorage in the app, an environment variable or an
 * owner-only file for the CLI). See docs/push.md.
 */
import { z } from 'zod';
import { MAX_PUSH_TIMEOUT_MS, MIN_PUSH_TIMEOUT_MS, PUSH_AUTH_KINDS, type PushAuthKind } from './pushNames.js';
import type { Problem, SessionStatus } from './session.js';

// Defined apart so that the command line's options load without Zod (shared/pushNames.ts).
export { MAX_PUSH_TIMEOUT_MS, MIN_PUSH_TIMEOUT_MS, PUSH_AUTH_KINDS, type PushAuthKind } from './pushNames.js';

export const DEFAULT_PUSH_TIMEOUT_MS = 15_000;
export const DEFAULT_LOGIN_FUNCTION = 'authentify';

/** Whether a URL's host is this machine (127.0.0.0/8, ::1, localhost): traffic that never leaves it. */
export const isLoopbackHost = (hostname: string): boolean =>
  hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || /^127\./.test(hostname);

/**
 * The warning for a push whose secret would travel in clear (plain http:// to another machine),
 * or null: the settings show it, and a push to a `--server` given for one run prints it too.
 */
export function cleartextWarning(settings: { url: string; auth: PushAuthKind }): string | null {
  const url = new URL(settings.url);
  if (url.protocol !== 'http:' || settings.auth === 'none' || isLoopbackHost(url.hostname)) return null;
  return `The ${settings.auth === 'rest-login' ? 'password' : 'secret'} is sent unencrypted over http:// to ${url.host}: use https:// (docs/push.md, "Securing it").`;
}

/** A SHA-256 certificate fingerprint as OpenSSL and Node print it: 32 hex bytes, colon-separated. */
export const FINGERPRINT_PATTERN = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** How to reach one root's 4D Server. No secret, ever. */
export interface ServerSettings {
  /** The endpoint: `https://host/mobile-sessions/refresh` or `https://host/rest/$catalog/refreshMobileSessions`. */
  url: string;
  auth: PushAuthKind;
  /** The account name for `basic` and `rest-login`. */
  user: string | null;
  /** The exposed DataStore function called first in the `rest-login` flow. */
  loginFunction: string;
  timeoutMs: number;
  tls: {
    /**
     * Trust this server's own (self-signed) certificate, and only it: the certificate whose
     * SHA-256 fingerprint is pinned below, whatever its issuer, name or dates. Never global.
     */
    trustSelfSigned: boolean;
    fingerprint256: string | null;
  };
}

/** Settings as shown to people: the root they belong to, whether a secret is available, warnings. */
export interface ServerSettingsView extends ServerSettings {
  root: string;
  /** Whether the secret store has a secret for this root (null: the store could not tell). */
  hasSecret: boolean | null;
  warnings: string[];
}

const urlSchema = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL, such as https://server.example.com/mobile-sessions/refresh');

/** What a front door may send to change a root's settings (each field optional: a patch). */
export const serverSettingsPatchSchema = z.strictObject({
  url: urlSchema.optional(),
  auth: z.enum(PUSH_AUTH_KINDS).optional(),
  user: z.string().trim().min(1).max(256).nullable().optional(),
  loginFunction: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a 4D function name (letters, digits, underscore)')
    .optional(),
  timeoutMs: z.number().int().min(MIN_PUSH_TIMEOUT_MS).max(MAX_PUSH_TIMEOUT_MS).optional(),
  tls: z
    .strictObject({
      trustSelfSigned: z.boolean().optional(),
      fingerprint256: z
        .string()
        .transform((value) => value.trim().toUpperCase())
        .refine(
          (value) => FINGERPRINT_PATTERN.test(value),
          'must be a SHA-256 fingerprint (AA:BB:…, 32 bytes)',
        )
        .nullable()
        .optional(),
    })
    .optional(),
});
export type ServerSettingsPatch = z.infer<typeof serverSettingsPatchSchema>;

/** A server's TLS certificate, as shown before pinning it. */
export interface ServerCertificate {
  /** SHA-256 fingerprint as OpenSSL prints it: `AB:CD:…`. */
  fingerprint256: string;
  subject: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
  /** Whether the system's certificate authorities trust it for this host name. */
  trustedBySystem: boolean;
  /** Why not, in OpenSSL's words (`DEPTH_ZERO_SELF_SIGNED_CERT`…), when not trusted. */
  untrustedReason: string | null;
}

/** A session as the server knew it at the last push, or as it is on disk now. */
export type SessionState = { present: false } | { present: true; status: SessionStatus | null };

/** One session changed through the app since the last successful push, and still different now. */
export interface UnpushedChange {
  ref: string;
  /** `status`: present before and now, another status; `deleted`: gone now; `restored`: back after a delete. */
  kind: 'status' | 'deleted' | 'restored';
  atLastPush: SessionState;
  now: SessionState;
  /** ISO time of the latest change to it. */
  changedAt: string;
}

export interface PushRecord {
  /** ISO time the server answered. */
  time: string;
  server: string;
  outcome: 'reloaded' | 'reloaded-with-errors';
  /** What this push delivered. */
  delivered: { changed: number; deleted: number; restored: number; refs: string[] };
  serverErrors: number;
}

export interface UnpushedSummary {
  root: string;
  lastPush: PushRecord | null;
  changes: UnpushedChange[];
  counts: { changed: number; deleted: number; restored: number; total: number };
}

/** A file the 4D Server will drop when it reloads, with every reason found. */
export interface DroppedFile {
  /** `<app folder>/<file name>`, or `<app folder>/` for a folder that cannot be read. */
  path: string;
  problems: Problem[];
  /** Whether the app changed this file since the last push. */
  changedByApp: boolean;
}

/** What a push will do, before it is done. */
export interface PrePushCheck {
  root: string;
  unpushed: UnpushedSummary;
  /** N: changed sessions that pass the server's checks: the server reloads them. */
  reload: UnpushedChange[];
  /** M: every file that fails the server's checks: the server drops it from memory. */
  drop: DroppedFile[];
  /** K: deleted sessions: the server removes them from memory. */
  remove: UnpushedChange[];
  /** One sentence for people. */
  summary: string;
}

/** One error the server returned (4D's `Last errors`), matched to a file where possible. */
export interface ServerError {
  component: string;
  code: number | string;
  message: string;
  /** The file it is about, when the message names it or only one local problem has that code. */
  path: string | null;
  matchedBy: 'message' | 'code' | null;
}

export type PushFailureKind =
  | 'not-configured' // no server for this root and none given
  | 'no-secret' // the authentication needs a secret and none is available
  | 'unreachable' // refused, unknown host, no route
  | 'tls-untrusted' // the certificate is not trusted (self-signed, unknown issuer, wrong name, expired)
  | 'tls-changed' // the pinned certificate is not the one the server shows now
  | 'tls-handshake' // TLS failed for another reason (plain HTTP port, protocol mismatch)
  | 'credentials-refused' // the secret or the login was refused (401, or the login function said no)
  | 'not-allowed' // 4D's permissions (roles.json) refuse to run the function for this session
  | 'no-licence' // no 4D Client licence is free for the REST session
  | 'endpoint-missing' // the 4D code is not installed or not loaded at that URL (404, "Cannot find singleton")
  | 'timeout'
  | 'redirect' // 3xx: the URL is not the endpoint's final address
  | 'bad-answer' // not JSON, or not the expected shape
  | 'server-error'; // 5xx, or the server says the refresh failed without an error list

/**
 * What the admin can change to make a failed push work, as data: each door words it in its own
 * terms (a `mobile-sessions server …` command, a field of the Push settings).
 */
export type PushFix =
  | { setting: 'url'; suggested: string | null }
  | { setting: 'timeout'; currentMs: number }
  | { setting: 'trust-certificate'; fingerprint256: string | null }
  | { setting: 'secret' };

export interface PushFailure {
  kind: PushFailureKind;
  /** A sentence an admin can act on, in no door's terms (see `fix`). */
  message: string;
  /** The setting to change, when one would fix it. */
  fix: PushFix | null;
  status: number | null;
  /** The certificate the server showed (tls-untrusted, tls-changed). */
  fingerprint256: string | null;
}

export interface PushResult {
  root: string;
  /** The URL called, null when none was configured. */
  server: string | null;
  /** `reloaded-with-errors`: the server reloaded its sessions and reported errors (files it dropped). */
  outcome: 'reloaded' | 'reloaded-with-errors' | 'failed';
  /** Whether there were no unpushed changes (the server was asked to reload anyway). */
  nothingToPush: boolean;
  /** The changes this push delivered (when it reached the server) or still has to deliver. */
  changes: UnpushedChange[];
  serverErrors: ServerError[];
  failure: PushFailure | null;
  /** ISO time recorded as the last push, null when the push failed. */
  pushedAt: string | null;
  durationMs: number;
  message: string;
}
