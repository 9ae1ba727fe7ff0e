/**
 * An engine double behind the renderer's ApiClient: sessions in memory, answering the contract's
 * requests the way the engine does (filter, sort and window in the engine; a change applied to the
 * index and sent to listeners as deltas before its report returns; one batch id per change), and
 * counting every request. The renderer's store tests drive the real store with it, where the
 * real engine cannot run (the renderer's tests type-check without Node). It imports only shared/,
 * so it type-checks in both projects (this folder is in tsconfig.web.json too).
 *
 * What it does not do: files, the audit log, conflicts, push (no server settings), problems of
 * broken files, the watcher. Its order is the engine's default order (pending first, then newest
 * first, then by ref) and its column sorts compare lower-cased text, like `sessionQuery.ts`.
 *
 * Clean-up (`previewCleanup`, `cleanup`): the rules as docs/cleanup.md states them, over its
 * sessions (superseded by first seen within a folder and device id; stale by the last change
 * against a fixed `now`); the token names the candidates' refs and last changes, and a clean-up
 * whose candidates changed is refused as a conflict. Its suggested stale threshold is a fixed
 * number, not computed from the data.
 */

import type {
  CleanupCandidate,
  CleanupPreview,
  CleanupReason,
  CleanupRules,
} from '../../../shared/cleanup.js';
import type {
  AppEvent,
  AppState,
  AppSummary,
  ChangeReport,
  FolderInspection,
  RequestName,
  RequestParams,
  RequestResult,
  SessionFilter,
  SessionSummary,
  SortKey,
} from '../../../shared/contract.js';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import { AppError, type ErrorShape } from '../../../shared/errors.js';
import { type LanguageChoice, type LanguageSetting, pickLanguage } from '../../../shared/i18n/language.js';
import type { ConfirmModel, MenuCommandMessage } from '../../../shared/ipc.js';

export interface DoubleSession {
  folder: string;
  id: string;
  status?: 'accepted' | 'pending';
  email?: string;
  device?: string;
  /** ISO time; later sessions are newer by default. */
  firstSeen?: string;
  /** The file's last change (ISO time); 2026-01-01 by default. */
  modified?: string;
  /** `device.id`: sessions of one folder with the same id are one device (the superseded rule). */
  deviceId?: string;
  simulator?: boolean;
}

let sequence = 0;

export function summaryOf(input: DoubleSession): SessionSummary {
  sequence += 1;
  return {
    ref: `${input.folder}/${input.id}`,
    id: input.id,
    status: input.status ?? 'accepted',
    email: input.email ?? `${input.id}@example.com`,
    device: {
      id: input.deviceId ?? null,
      description: input.device ?? `Phone ${input.id}`,
      os: 'iOS',
      version: '17.5',
      simulator: input.simulator ?? false,
      jailbroken: false,
      pushRegistered: false,
    },
    application: { id: 'com.acme', name: 'Acme', version: '1.0' },
    team: { id: null, name: null },
    language: { id: 'en_US', code: 'en', region: 'US' },
    session: { id: input.id, ip: '::1' },
    firstSeen: input.firstSeen ?? new Date(Date.UTC(2026, 0, 1) + sequence * 1000).toISOString(),
    modified: input.modified ?? '2026-01-01T00:00:00.000Z',
    problems: [],
  };
}

const text = (value: string | null | undefined) => (value ?? '').toLowerCase();
const sortValue: Partial<Record<SortKey, (s: SessionSummary) => string>> = {
  device: (s) => text(s.device.description),
  status: (s) => s.status ?? '',
  email: (s) => text(s.email),
  firstSeen: (s) => s.firstSeen,
  app: (s) => s.ref,
};

function defaultOrder(a: SessionSummary, b: SessionSummary): number {
  const pa = a.status === 'pending' ? 0 : 1;
  const pb = b.status === 'pending' ? 0 : 1;
  if (pa !== pb) return pa - pb;
  if (a.firstSeen !== b.firstSeen) return a.firstSeen < b.firstSeen ? 1 : -1;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

type Handler = (params: never) => unknown;

export class ApiClientDouble {
  readonly sessions = new Map<string, SessionSummary>();
  /** Every request, in order, by name. */
  readonly calls: RequestName[] = [];
  /** What `inspectFolder` says of a folder (by default: a MobileApps folder). */
  readonly inspections = new Map<string, Omit<FolderInspection, 'root'>>();
  /** Requests to answer with an error once, as the engine would (a `cancelled` query). */
  readonly failOnce = new Map<RequestName, ErrorShape>();
  /** What `confirm` answers (the delete confirmation). */
  confirmAnswer = true;
  /** The window's language: English, as a browser set to en-US gets, unless a test chooses. */
  language: LanguageSetting = { choice: 'system', language: 'en' };
  readonly confirmed: ConfirmModel[] = [];
  private readonly listeners = new Set<(event: AppEvent) => void>();
  private readonly menuListeners = new Set<(message: MenuCommandMessage) => void>();
  private root: string | null;
  private batches = 0;
  private readonly undoable: { batch: string; before: Map<string, SessionSummary | null> }[] = [];

  /**
   * How late events reach the renderer: 0 delivers them before the change's answer (one IPC
   * pipe, in order); a delay stands for a separate channel (Server-Sent Events beside HTTP).
   */
  private readonly eventDelayMs: number;

  /** What the clean-up rules measure ages from. */
  readonly now: number;
  /** The stale threshold the double suggests (the engine computes it from the data). */
  readonly suggestedStaleDays: number;
  /** How an error answer reaches the renderer (the real client throws its ApiError). */
  private readonly clientError: (shape: ErrorShape) => Error;

  constructor(
    sessions: DoubleSession[],
    options: {
      root?: string | null;
      eventDelayMs?: number;
      now?: number;
      suggestedStaleDays?: number;
      clientError?: (shape: ErrorShape) => Error;
    } = {},
  ) {
    this.root = options.root === undefined ? '/srv/MobileApps' : options.root;
    this.eventDelayMs = options.eventDelayMs ?? 0;
    this.now = options.now ?? Date.UTC(2026, 5, 1);
    this.suggestedStaleDays = options.suggestedStaleDays ?? 90;
    this.clientError = options.clientError ?? ((shape) => new AppError(shape.code, shape.message));
    for (const input of sessions) {
      const summary = summaryOf(input);
      this.sessions.set(summary.ref, summary);
    }
  }

  /** The requests made since the last call, by name (and forgets them). */
  takeCalls(): RequestName[] {
    return this.calls.splice(0);
  }

  /** The renderer's transport (its ApiClient): what `createClient()` gives the store. */
  client(kind: 'desktop' | 'browser' = 'desktop') {
    return {
      kind,
      request: async <M extends RequestName>(
        method: M,
        params: RequestParams<M>,
      ): Promise<RequestResult<M>> => {
        this.calls.push(method);
        // An answer never arrives in the same turn as its request, as over IPC or HTTP.
        await Promise.resolve();
        const failure = this.failOnce.get(method);
        if (failure) {
          this.failOnce.delete(method);
          throw this.clientError(failure);
        }
        const handler = (this.handlers as unknown as Record<string, Handler>)[method];
        if (!handler) throw new Error(`the double does not answer ${method}`);
        try {
          return (await handler(params as never)) as RequestResult<M>;
        } catch (error) {
          throw error instanceof AppError ? this.clientError(error.toShape()) : error;
        }
      },
      subscribe: (listener: (event: AppEvent) => void) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      onMenuCommand: (listener: (message: MenuCommandMessage) => void) => {
        this.menuListeners.add(listener);
        return () => this.menuListeners.delete(listener);
      },
      showNativeContextMenu: null,
      pickFolder: kind === 'desktop' ? async (): Promise<string | null> => '/picked/MobileApps' : null,
      confirm: async (model: ConfirmModel) => {
        this.confirmed.push(model);
        return this.confirmAnswer;
      },
      pathForFile: () => null,
      language: {
        read: async () => this.language,
        choose: async (choice: LanguageChoice) => {
          this.language = { choice, language: pickLanguage(['en-US'], choice) };
          return this.language;
        },
        onChange: () => () => {},
      },
    };
  }

  /** The native menu sends a command (Electron's main process). */
  sendMenuCommand(message: MenuCommandMessage): void {
    for (const listener of this.menuListeners) listener(message);
  }

  /** Another process (the 4D Server, the CLI) changed the folder: the watcher reports it. */
  external(change: { upsert?: DoubleSession[]; remove?: string[] }): void {
    const deltas: WorkspaceDelta[] = [];
    const folders = new Set<string>();
    for (const input of change.upsert ?? []) {
      const summary = summaryOf(input);
      const was = this.sessions.get(summary.ref);
      if (was) summary.firstSeen = was.firstSeen;
      this.sessions.set(summary.ref, summary);
      deltas.push({
        type: was ? 'session-changed' : 'session-added',
        ref: summary.ref,
        folder: input.folder,
        session: summary,
      });
      folders.add(input.folder);
    }
    for (const ref of change.remove ?? []) {
      const was = this.sessions.get(ref);
      if (!was) continue;
      this.sessions.delete(ref);
      const folder = ref.slice(0, ref.indexOf('/'));
      deltas.push({ type: 'session-removed', ref, folder });
      folders.add(folder);
    }
    this.emitDeltas(deltas, folders);
  }

  apps(): AppSummary[] {
    const byFolder = new Map<string, SessionSummary[]>();
    for (const session of this.sessions.values()) {
      const folder = session.ref.slice(0, session.ref.indexOf('/'));
      byFolder.set(folder, [...(byFolder.get(folder) ?? []), session]);
    }
    return [...byFolder.keys()].sort().map((folder) => this.appOf(folder, byFolder.get(folder) ?? []));
  }

  matching(filter: SessionFilter): SessionSummary[] {
    const needle = (filter.search ?? '').trim().toLowerCase();
    const rows = [...this.sessions.values()].filter(
      (s) =>
        (filter.folder == null || s.ref.startsWith(`${filter.folder}/`)) &&
        (filter.status == null || s.status === filter.status) &&
        (filter.simulator == null || s.device.simulator === filter.simulator) &&
        (filter.guest == null || !s.email === filter.guest) &&
        (needle === '' ||
          `${text(s.device.description)}\u0000${text(s.email)}\u0000${s.id.toLowerCase()}`.includes(needle)),
    );
    const sort = filter.sort;
    if (!sort) return rows.sort(defaultOrder);
    const value = sortValue[sort.key];
    if (!value) throw new Error(`the double does not sort by ${sort.key}`);
    const sign = sort.direction === 'asc' ? 1 : -1;
    return rows.sort((a, b) => {
      const [ka, kb] = [value(a), value(b)];
      if (ka !== kb) return (ka < kb ? -1 : 1) * sign;
      return a.ref < b.ref ? -1 : 1;
    });
  }

  private appOf(folder: string, sessions: SessionSummary[]): AppSummary {
    return {
      folder,
      name: folder,
      bundleId: `com.example.${folder}`,
      teamId: null,
      platform: 'ios',
      counts: {
        sessions: sessions.length,
        pending: sessions.filter((s) => s.status === 'pending').length,
        problems: 0,
      },
    };
  }

  private state(): AppState {
    return {
      root: this.root,
      demo: false,
      watcher: { state: 'watching', message: 'Watching.' },
      scan: null,
      revealKind: 'file-manager',
      platform: 'linux',
    };
  }

  private emit(event: AppEvent): void {
    const deliver = () => {
      for (const listener of this.listeners) listener(event);
    };
    if (this.eventDelayMs > 0) setTimeout(deliver, this.eventDelayMs);
    else deliver();
  }

  /** Session deltas and the `app-changed` deltas of their folders, as the index reports them. */
  private emitDeltas(deltas: WorkspaceDelta[], folders: Set<string>): void {
    const apps = this.apps();
    for (const folder of folders) {
      const app = apps.find((a) => a.folder === folder);
      deltas.push(app ? { type: 'app-changed', folder, app } : { type: 'app-removed', folder });
    }
    if (deltas.length) this.emit({ type: 'deltas', deltas });
  }

  /** Applies a change as the engine does: index first, deltas to listeners, then the report. */
  private change(refs: string[], apply: (s: SessionSummary) => SessionSummary | null, outcome: string) {
    const before = new Map<string, SessionSummary | null>();
    const deltas: WorkspaceDelta[] = [];
    const folders = new Set<string>();
    const results: ChangeReport['results'] = [];
    for (const ref of refs) {
      const was = this.sessions.get(ref);
      if (!was) {
        results.push({
          ref,
          outcome: 'failed',
          statusBefore: null,
          statusAfter: null,
          error: { code: 'unknown-ref', message: `No session ${ref} in this folder.` },
        });
        continue;
      }
      const next = apply(was);
      const folder = ref.slice(0, ref.indexOf('/'));
      if (next && next.status === was.status) {
        results.push({
          ref,
          outcome: 'unchanged',
          statusBefore: was.status,
          statusAfter: was.status,
          error: null,
        });
        continue;
      }
      before.set(ref, was);
      folders.add(folder);
      if (next) {
        this.sessions.set(ref, next);
        deltas.push({ type: 'session-changed', ref, folder, session: next });
      } else {
        this.sessions.delete(ref);
        deltas.push({ type: 'session-removed', ref, folder });
      }
      results.push({
        ref,
        outcome: outcome as ChangeReport['results'][number]['outcome'],
        statusBefore: was.status,
        statusAfter: next?.status ?? null,
        error: null,
      });
    }
    let batch: string | null = null;
    if (before.size) {
      this.batches += 1;
      batch = `00000000-0000-4000-8000-${this.batches.toString().padStart(12, '0')}`;
      this.undoable.push({ batch, before });
    }
    this.emitDeltas(deltas, folders);
    return { batch, results } satisfies ChangeReport;
  }

  /** The clean-up rules over the double's sessions (docs/cleanup.md). */
  previewCleanup(folder: string | null, rules: CleanupRules): CleanupPreview {
    const sessions = [...this.sessions.values()].filter(
      (s) => folder === null || s.ref.startsWith(`${folder}/`),
    );
    const deviceOf = (s: SessionSummary) =>
      s.device.id
        ? `${s.ref.slice(0, s.ref.indexOf('/'))}\u0000${s.device.id}${rules.sameEmail ? `\u0000${s.email ?? ''}` : ''}`
        : null;
    const newest = new Map<string, SessionSummary>();
    for (const s of sessions) {
      const key = deviceOf(s);
      const best = key === null ? undefined : newest.get(key);
      if (key !== null && (!best || s.firstSeen > best.firstSeen)) newest.set(key, s);
    }
    const candidates: CleanupCandidate[] = [];
    const byRule = { superseded: 0, stale: 0, simulator: 0, guest: 0 };
    const byApp: Record<string, number> = {};
    let pendingLeftOut = 0;
    for (const s of sessions) {
      const ageDays = Math.floor((this.now - Date.parse(s.modified)) / 86_400_000);
      const reasons: CleanupReason[] = [];
      const key = deviceOf(s);
      const newer = key === null ? undefined : newest.get(key);
      if (rules.superseded && newer && newer !== s) reasons.push({ rule: 'superseded', newer: newer.ref });
      if (rules.staleDays != null && ageDays >= rules.staleDays) reasons.push({ rule: 'stale', ageDays });
      if (rules.simulators && s.device.simulator) reasons.push({ rule: 'simulator' });
      if (rules.guests && !s.email) reasons.push({ rule: 'guest' });
      if (reasons.length === 0) continue;
      if (s.status === 'pending' && !rules.includePending) {
        pendingLeftOut += 1;
        continue;
      }
      const app = s.ref.slice(0, s.ref.indexOf('/'));
      for (const reason of reasons) byRule[reason.rule] += 1;
      byApp[app] = (byApp[app] ?? 0) + 1;
      candidates.push({
        ref: s.ref,
        folder: app,
        status: s.status,
        device: s.device.description,
        email: s.email,
        modified: s.modified,
        ageDays,
        reasons,
      });
    }
    candidates.sort((a, b) => (a.ref < b.ref ? -1 : 1));
    return {
      now: new Date(this.now).toISOString(),
      suggestedStaleDays: this.suggestedStaleDays,
      candidates,
      counts: { total: candidates.length, byRule, byApp, pendingLeftOut },
      token: tokenOf(candidates),
    };
  }

  private setStatus(refs: string[], status: 'accepted' | 'pending') {
    return this.change(refs, (s) => ({ ...s, status }), 'changed');
  }

  private delete(refs: string[]) {
    return this.change(refs, () => null, 'deleted');
  }

  readonly handlers: { [M in RequestName]?: (params: RequestParams<M>) => unknown } = {
    getState: () => this.state(),
    recentRoots: () => (this.root ? [this.root] : []),
    inspectFolder: ({ root }) => ({
      root,
      ...(this.inspections.get(root) ?? {
        kind: 'mobile-apps',
        parent: null,
        message: `${root} holds app folders.`,
      }),
    }),
    openRoot: ({ root }) => {
      this.root = root;
      const state = this.state();
      this.emit({ type: 'state', state });
      return state;
    },
    closeRoot: () => {
      this.root = null;
      return this.state();
    },
    listApps: () => this.apps(),
    querySessions: ({ filter, offset, limit }) => {
      const all = this.matching({ ...filter, sort: null, search: '', status: null });
      const rows = this.matching(filter);
      return {
        total: all.length,
        matching: rows.length,
        matchingPending: rows.filter((s) => s.status === 'pending').length,
        offset,
        rows: rows.slice(offset, offset + limit),
      };
    },
    locateSession: ({ filter, ref }: { filter: SessionFilter; ref: string }) => {
      const index = this.matching(filter).findIndex((s) => s.ref === ref);
      return { index: index < 0 ? null : index };
    },
    getSession: ({ ref }) => {
      const summary = this.sessions.get(ref);
      if (!summary) throw new Error(`No session ${ref} in this folder.`);
      return {
        summary,
        json: JSON.stringify({ status: summary.status }),
        path: `${this.root}/${ref}`,
        olderSessions: [...this.sessions.values()].filter(
          (s) =>
            summary.device.id !== null &&
            s.device.id === summary.device.id &&
            s.ref.slice(0, s.ref.indexOf('/')) === ref.slice(0, ref.indexOf('/')) &&
            s.firstSeen < summary.firstSeen,
        ).length,
      };
    },
    listProblems: () => [],
    setStatus: ({ refs, status }) => this.setStatus(refs, status),
    setStatusMatching: ({ filter, status }) =>
      this.setStatus(
        this.matching(filter).map((s) => s.ref),
        status,
      ),
    deleteSessions: ({ refs }) => this.delete(refs),
    deleteMatching: ({ filter }) => this.delete(this.matching(filter).map((s) => s.ref)),
    previewCleanup: ({ folder, rules }) => this.previewCleanup(folder ?? null, rules),
    cleanup: ({ folder, rules, token, except }) => {
      const preview = this.previewCleanup(folder ?? null, rules);
      if (preview.token !== token)
        throw new AppError(
          'conflict',
          'The sessions changed since the preview: nothing was removed. Preview again.',
        );
      const left = new Set(except ?? []);
      const refs = preview.candidates.map((c) => c.ref).filter((ref) => !left.has(ref));
      return refs.length ? this.delete(refs) : { batch: null, results: [] };
    },
    undo: ({ batch }) => {
      const entry = batch ? this.undoable.find((u) => u.batch === batch) : this.undoable.at(-1);
      if (!entry) return { batch: null, results: [] };
      this.undoable.splice(this.undoable.indexOf(entry), 1);
      const deltas: WorkspaceDelta[] = [];
      const folders = new Set<string>();
      const results: ChangeReport['results'] = [];
      for (const [ref, was] of entry.before) {
        if (!was) continue;
        const folder = ref.slice(0, ref.indexOf('/'));
        const existed = this.sessions.get(ref);
        this.sessions.set(ref, was);
        folders.add(folder);
        deltas.push({ type: existed ? 'session-changed' : 'session-added', ref, folder, session: was });
        const statusBefore = existed?.status ?? null; // null: back from the Trash
        results.push({ ref, outcome: 'restored', statusBefore, statusAfter: was.status, error: null });
      }
      this.emitDeltas(deltas, folders);
      return { batch: entry.batch, results, undid: entry.batch };
    },
    reveal: ({ ref }) => ({ path: `${this.root}/${ref}`, revealed: true }),
    refresh: () => ({ changes: 0 }),
    exportCsv: ({ filter }) => ({
      fileName: `mobile-sessions-${filter.folder ?? 'all-apps'}.csv`,
      csv: `Session ID\r\n${this.matching(filter)
        .map((s) => s.id)
        .join('\r\n')}\r\n`,
    }),
    getPushState: () => ({
      settings: null,
      unpushed: {
        root: this.root ?? '',
        lastPush: null,
        changes: [],
        counts: { changed: this.batches, deleted: 0, restored: 0, total: this.batches },
      },
    }),
  };
}

/** A name for a set of candidates (refs and last changes), as the engine's token: 32 hex digits. */
function tokenOf(candidates: readonly CleanupCandidate[]): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (const c of candidates) {
    for (const char of `${c.ref}\u0000${c.modified}\n`) {
      a = Math.imul(a ^ char.charCodeAt(0), 0x01000193) >>> 0;
      b = Math.imul(b ^ char.charCodeAt(0), 0x5bd1e995) >>> 0;
    }
  }
  return [a, b, a ^ b, Math.imul(a, 31) >>> 0].map((n) => n.toString(16).padStart(8, '0')).join('');
}
