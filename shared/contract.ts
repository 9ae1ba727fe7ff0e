/**
 * The one contract between the engine and every front door (Electron IPC, the browser-mode
 * server, and through them the renderer): request names, their parameters as runtime schemas
 * (validated on arrival, whatever the transport), their results, the events, the error shape.
 * A feature added here works through every door.
 */
import { z } from 'zod';
import type { ChangeReport } from './changes.js';
import type { CleanupPreview, CleanupRules } from './cleanup.js';
import type { WatcherState, WorkspaceDelta } from './deltas.js';
import type { ErrorShape } from './errors.js';
import { type HistoryPage, MAX_CURSOR_WAITING, MAX_HISTORY_PAGE } from './history.js';
import {
  MAX_PUSH_TIMEOUT_MS,
  MIN_PUSH_TIMEOUT_MS,
  type PrePushCheck,
  type PushResult,
  type ServerCertificate,
  type ServerSettingsView,
  serverSettingsPatchSchema,
  type UnpushedSummary,
} from './push.js';
import type { AppSummary, FileProblem, Problem, SessionStatus, SessionSummary } from './session.js';

/** Requests larger than this are refused before parsing (a bulk change of 10,000 refs fits). */
export const MAX_REQUEST_BYTES = 1024 * 1024;
export const MAX_REFS_PER_REQUEST = 10_000;
export const MAX_ROWS_PER_QUERY = 1000;

const ref = z.string().min(1).max(512);
const status = z.enum(['accepted', 'pending']);

export const SORT_KEYS = [
  'device',
  'status',
  'os',
  'email',
  'appVersion',
  'language',
  'firstSeen',
  'modified',
  'ip',
  'simulator',
  'app',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const sessionFilterSchema = z.strictObject({
  /** One app folder, or null for all apps. */
  folder: z.string().min(1).max(255).nullable().default(null),
  /** Matches device, e-mail, session id and IP, case-insensitively. */
  search: z.string().max(200).default(''),
  status: status.nullable().default(null),
  /** Operating system name as in the files (`iOS`, `iPadOS`, `Android`), case-insensitive. */
  os: z.string().max(50).nullable().default(null),
  /** true: only simulators; false: only real devices. */
  simulator: z.boolean().nullable().default(null),
  /** true: only guests (sessions without an e-mail); false: only sessions with one. */
  guest: z.boolean().nullable().default(null),
  /** Only sessions whose file has problems. */
  problemsOnly: z.boolean().default(false),
  /** null: pending first, then newest first. */
  sort: z
    .strictObject({ key: z.enum(SORT_KEYS), direction: z.enum(['asc', 'desc']) })
    .nullable()
    .default(null),
});
export type SessionFilter = z.input<typeof sessionFilterSchema>;
export type ResolvedSessionFilter = z.output<typeof sessionFilterSchema>;

const empty = z.strictObject({});
const logPosition = z.strictObject({
  segment: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});

const cleanupRulesSchema = z.strictObject({
  superseded: z.boolean().optional(),
  sameEmail: z.boolean().optional(),
  staleDays: z.number().int().min(1).max(36_500).nullable().optional(),
  simulators: z.boolean().optional(),
  guests: z.boolean().optional(),
  includePending: z.boolean().optional(),
}) satisfies z.ZodType<CleanupRules>;

export const requestSchemas = {
  getState: empty,
  openRoot: z.strictObject({
    root: z.string().min(1).max(4096),
    polling: z.boolean().optional(),
    /** Add it to the recent folders (the desktop reopens the last one); a CLI command does not. */
    remember: z.boolean().optional(),
    /** Answer once the watcher runs and the index was checked against the disk, not as soon as it is filled. */
    settled: z.boolean().optional(),
  }),
  /** What a folder looks like before it is opened: a MobileApps folder, an app folder, or neither. */
  inspectFolder: z.strictObject({ root: z.string().min(1).max(4096) }),
  /** Creates a demo folder (and, in the browser mode, a 4D Server double) and opens it. */
  openDemo: empty,
  closeRoot: empty,
  recentRoots: empty,
  listApps: empty,
  querySessions: z.strictObject({
    filter: sessionFilterSchema,
    offset: z.number().int().min(0).max(10_000_000),
    limit: z.number().int().min(1).max(MAX_ROWS_PER_QUERY),
  }),
  getSession: z.strictObject({ ref }),
  /** Where a session sits among the rows matching a filter, in its order (a notification's click). */
  locateSession: z.strictObject({ filter: sessionFilterSchema, ref }),
  /** Every file's problems, or one app folder's. */
  listProblems: z.strictObject({ folder: z.string().min(1).max(255).nullable().optional() }),
  setStatus: z.strictObject({ refs: z.array(ref).min(1).max(MAX_REFS_PER_REQUEST), status }),
  /** Every session matching a filter, as the table shows it ("Accept all 42 matching"). */
  setStatusMatching: z.strictObject({ filter: sessionFilterSchema, status }),
  deleteSessions: z.strictObject({
    refs: z.array(ref).min(1).max(MAX_REFS_PER_REQUEST),
    permanent: z.boolean().default(false),
  }),
  /** Every session matching a filter, moved to the trash (Select All + Delete, at any count). */
  deleteMatching: z.strictObject({ filter: sessionFilterSchema, permanent: z.boolean().default(false) }),
  /** What the clean-up rules propose to remove (docs/cleanup.md); nothing is touched. */
  previewCleanup: z.strictObject({
    folder: z.string().min(1).max(255).nullable().default(null),
    rules: cleanupRulesSchema,
  }),
  /**
   * Moves what a preview proposed, minus the rows the admin unticked, to the trash in one batch.
   * Refused as a conflict when the candidates are no longer the ones the preview's token names.
   */
  cleanup: z.strictObject({
    folder: z.string().min(1).max(255).nullable().default(null),
    rules: cleanupRulesSchema,
    token: z.string().regex(/^[0-9a-f]{32}$/),
    except: z.array(ref).max(MAX_REFS_PER_REQUEST).default([]),
    permanent: z.boolean().default(false),
  }),
  /** Undoes one batch (a notice's Undo), or the latest batch not yet undone (Ctrl/Cmd+Z). */
  undo: z.strictObject({ batch: z.string().uuid().optional() }),
  reveal: z.strictObject({ ref }),
  refresh: empty,
  /** The open folder's history, a page at a time, oldest first. */
  readHistory: z.strictObject({
    /** null: from the start; else the `next` of the page before. */
    from: z
      .strictObject({
        after: logPosition,
        waiting: z.array(logPosition).max(MAX_CURSOR_WAITING),
      })
      .nullable()
      .default(null),
    limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).default(MAX_HISTORY_PAGE),
  }),
  /** `bom`: start with a UTF-8 byte-order mark, which Excel needs to read UTF-8 (the window sets it on Windows). */
  exportCsv: z.strictObject({ filter: sessionFilterSchema, bom: z.boolean().optional() }),
  /** The open folder's server settings (never a secret), unpushed changes and last push. */
  getPushState: empty,
  saveServerSettings: z.strictObject({
    settings: serverSettingsPatchSchema,
    /** Kept in the OS keychain (desktop) or in the server's memory (browser mode); never returned. */
    secret: z.string().min(1).max(4096).optional(),
  }),
  prePushCheck: empty,
  push: z.strictObject({
    /** Another endpoint for this push only (the saved authentication still applies). */
    server: z.string().min(1).max(2048).optional(),
    /** A secret for this push only; else the one kept for the folder. */
    secret: z.string().min(1).max(4096).optional(),
  }),
  /** Removes the open folder's server settings and the secret kept for it. */
  forgetServerSettings: empty,
  /** The certificate a server shows now, to pin it (trust this self-signed server only). */
  readServerCertificate: z.strictObject({
    url: z.string().min(1).max(2048),
    timeoutMs: z.number().int().min(MIN_PUSH_TIMEOUT_MS).max(MAX_PUSH_TIMEOUT_MS).optional(),
  }),
} as const;

export type RequestName = keyof typeof requestSchemas;
export type RequestParams<M extends RequestName> = z.input<(typeof requestSchemas)[M]>;
export type ResolvedParams<M extends RequestName> = z.output<(typeof requestSchemas)[M]>;

export interface AppState {
  root: string | null;
  /** True when the open folder is the demo made by the app. */
  demo: boolean;
  watcher: { state: WatcherState; message: string };
  scan: { scanned: number; total: number } | null;
  /** Where the front door can reveal files: a file manager (desktop) or only show the path (browser). */
  revealKind: 'file-manager' | 'path';
  platform: 'darwin' | 'win32' | 'linux' | 'browser';
  /** How the open folder's index was filled when it opened: from its cache (a relaunch) or by a scan. */
  openedFrom?: 'cache' | 'scan';
  /** The schema sessions are checked with: 4D's own (its file) when a 4D installation was found or given, else the built-in one. */
  sessionSchema?: { source: 'built-in' | '4d'; file: string | null };
}

export interface SessionPage {
  /** Sessions in the selected app (or all apps). */
  total: number;
  /** Sessions matching the filter. */
  matching: number;
  /** Of those, pending. */
  matchingPending: number;
  offset: number;
  rows: SessionSummary[];
}

export interface SessionDetails {
  summary: SessionSummary;
  /** The file's JSON, pretty-printed, every secret masked (docs/architecture.md, "What the app never shows"). */
  json: string;
  /** Absolute path of the file. */
  path: string;
  /** Older sessions of the same device in the same app, which this one supersedes. */
  olderSessions: number;
}

export interface RevealResult {
  /** Absolute path of the file; the browser mode shows it with a copy button. */
  path: string;
  revealed: boolean;
}

export interface RequestResults {
  getState: AppState;
  openRoot: AppState;
  inspectFolder: FolderInspection;
  openDemo: AppState;
  closeRoot: AppState;
  recentRoots: string[];
  listApps: AppSummary[];
  querySessions: SessionPage;
  getSession: SessionDetails;
  /** The row's index in the filter's order; null when the session does not match the filter. */
  locateSession: { index: number | null };
  listProblems: FileProblem[];
  setStatus: ChangeReport;
  setStatusMatching: ChangeReport;
  deleteSessions: ChangeReport;
  deleteMatching: ChangeReport;
  previewCleanup: CleanupPreview;
  cleanup: ChangeReport;
  undo: ChangeReport;
  reveal: RevealResult;
  /** What the refresh found changed: the count, and the deltas themselves (also sent as events). */
  refresh: { changes: number; deltas: WorkspaceDelta[] };
  readHistory: HistoryPage;
  exportCsv: { fileName: string; csv: string };
  getPushState: PushState;
  saveServerSettings: PushState;
  prePushCheck: PrePushCheck;
  push: PushResult;
  forgetServerSettings: { root: string; forgotten: boolean };
  readServerCertificate: ServerCertificate;
}

/**
 * What a folder looks like (`inspectFolder`): `mobile-apps` holds folders named like apps;
 * `app-folder` is one app's folder itself (`parent` is the MobileApps folder it is probably in);
 * `empty` holds nothing yet; `unrecognised` holds folders none of which is named like an app;
 * `missing` cannot be read. The doors warn on anything but `mobile-apps` and `empty`.
 */
export interface FolderInspection {
  root: string;
  kind: 'mobile-apps' | 'app-folder' | 'empty' | 'unrecognised' | 'missing';
  parent: string | null;
  message: string;
}

export interface PushState {
  settings: ServerSettingsView | null;
  unpushed: UnpushedSummary;
}

export type RequestResult<M extends RequestName> = RequestResults[M];

/** What a request answers on the wire, whatever the transport. */
export type Envelope<T> = { ok: true; result: T } | { ok: false; error: ErrorShape };

/** Events pushed to the renderer. */
export type AppEvent = { type: 'deltas'; deltas: WorkspaceDelta[] } | { type: 'state'; state: AppState };

export type { AppSummary, ChangeReport, FileProblem, Problem, SessionStatus, SessionSummary };
