/**
 * What the engine knows about a MobileApps folder, as plain data that can cross any boundary
 * (IPC, HTTP, CLI JSON). See ../shared/docs/session-format.md in the project's steering folder.
 */

export type SessionStatus = 'accepted' | 'pending';
export const SESSION_STATUSES: readonly SessionStatus[] = ['accepted', 'pending'];

export type Platform = 'ios' | 'android';

/**
 * Why a file will not be used by the 4D Server (mobi 1-4, as MOBILE APP REFRESH SESSIONS
 * reports them) or cannot be read by us at all.
 */
export type ProblemCode =
  | 'location'
  | 'malformed'
  | 'schema'
  | 'token'
  | 'unreadable'
  | 'too-large'
  | 'symlink'
  /** A work folder left by an interrupted Mobile Sessions write that could not be cleaned up. */
  | 'leftover';

export const MOBI_CODE: Record<ProblemCode, 1 | 2 | 3 | 4 | null> = {
  location: 1,
  malformed: 2,
  schema: 3,
  token: 4,
  unreadable: null,
  'too-large': null,
  symlink: null,
  leftover: null,
};

export interface Problem {
  code: ProblemCode;
  mobi: 1 | 2 | 3 | 4 | null;
  message: string;
}

/** A problem together with the file it belongs to, `<app folder>/<file name>`. */
export interface FileProblem extends Problem {
  path: string;
}

/** The fields of a session file the app shows. Never the push token, never a password. */
export interface SessionSummary {
  /** `<app folder>/<session id>`: how a session is named across every boundary. */
  ref: string;
  /** The file name (the session id as the server filed it). */
  id: string;
  status: SessionStatus | null;
  email: string | null;
  device: {
    id: string | null;
    description: string | null;
    os: string | null;
    version: string | null;
    simulator: boolean;
    jailbroken: boolean;
    pushRegistered: boolean;
  };
  application: { id: string | null; name: string | null; version: string | null };
  team: { id: string | null; name: string | null };
  language: { id: string | null; code: string | null; region: string | null };
  session: { id: string | null; ip: string | null };
  /** ISO 8601: file birth time where the file system has it, else its change time. */
  firstSeen: string;
  /** ISO 8601: file modification time. */
  modified: string;
  problems: Problem[];
}

export interface AppSummary {
  /** The folder name directly under the root. */
  folder: string;
  name: string;
  bundleId: string;
  teamId: string | null;
  platform: Platform | null;
  counts: { sessions: number; pending: number; problems: number };
}
