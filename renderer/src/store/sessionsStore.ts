/**
 * The renderer's state (zustand): what the engine told us (state, apps, a window of rows), what
 * the admin is looking at (app, filter, sort, selection, details, view) and the notices. The
 * rows live in the engine; the store keeps only the blocks of rows the table shows.
 */
import { create } from 'zustand';
import type {
  AppState,
  AppSummary,
  ChangeReport,
  FileProblem,
  PushState,
  SessionDetails,
  SessionFilter,
  SessionStatus,
  SessionSummary,
  SortKey,
} from '../../../shared/contract.js';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import type { PrePushCheck, PushResult, ServerSettingsPatch } from '../../../shared/push.js';
import { folderOf } from '../../../shared/text.js';
import { type ApiClient, ApiError } from '../api/client.js';

export const BLOCK_SIZE = 100;
const HIGHLIGHT_MS = 6000;
const NOTICE_MS = 10_000;

export interface Filters {
  search: string;
  status: SessionStatus | null;
  os: string | null;
  simulator: boolean | null;
  problemsOnly: boolean;
}

export interface Notice {
  id: number;
  message: string;
  kind: 'info' | 'error';
  /** Offers Undo of exactly this batch (the change came from this window); null: no Undo. */
  undoBatch: string | null;
  /** A path to show with a copy button (browser-mode reveal). */
  path?: string;
}

export interface Selection {
  refs: Set<string>;
  /** Ctrl/Cmd+A: every session matching the filter, loaded or not. */
  allMatching: boolean;
  anchor: number | null;
}

export interface SessionsState {
  api: ApiClient;
  app: AppState | null;
  apps: AppSummary[];
  recentRoots: string[];
  folder: string | null;
  filters: Filters;
  sort: { key: SortKey; direction: 'asc' | 'desc' } | null;
  /** Bumped whenever the rows must be fetched again (filter, sort, app, disk change). */
  generation: number;
  total: number;
  matching: number;
  matchingPending: number;
  blocks: Map<number, SessionSummary[]>;
  focusedIndex: number;
  selection: Selection;
  details: SessionDetails | null;
  view: 'sessions' | 'problems';
  problems: FileProblem[];
  notices: Notice[];
  highlighted: Set<string>;
  busy: boolean;
  pushState: PushState | null;
  pushDialog:
    | { mode: 'setup' }
    | { mode: 'check'; check: PrePushCheck }
    | { mode: 'result'; result: PushResult }
    | null;
  pushing: boolean;

  start(): Promise<void>;
  openRoot(root: string): Promise<void>;
  openDemo(): Promise<void>;
  closeRoot(): Promise<void>;
  selectFolder(folder: string | null): void;
  setFilters(filters: Partial<Filters>): void;
  toggleSort(key: SortKey): void;
  loadBlock(block: number): Promise<void>;
  rowAt(index: number): SessionSummary | undefined;
  setView(view: 'sessions' | 'problems'): void;
  select(index: number, mode: 'replace' | 'toggle' | 'range'): void;
  selectAll(): void;
  clearSelection(): void;
  focusRef(ref: string): Promise<void>;
  setStatus(refs: string[] | 'selection', status: SessionStatus): Promise<void>;
  deleteSessions(refs: string[] | 'selection'): Promise<void>;
  /** Undoes one batch (a notice's Undo), or the latest one not yet undone (Ctrl/Cmd+Z). */
  undo(batch?: string | null): Promise<void>;
  refresh(): Promise<void>;
  reveal(ref: string): Promise<void>;
  openDetails(ref: string | null): Promise<void>;
  exportCsv(): Promise<void>;
  notify(message: string, options?: Partial<Omit<Notice, 'id' | 'message'>>): void;
  dismiss(id: number): void;
  loadPushState(): Promise<void>;
  startPush(): Promise<void>;
  openPushSetup(): void;
  confirmPush(): Promise<void>;
  saveServerSettings(settings: ServerSettingsPatch, secret?: string): Promise<void>;
  closePushDialog(): void;
}

let noticeId = 0;
let started = false;

const currentFilter = (s: Pick<SessionsState, 'folder' | 'filters' | 'sort'>): SessionFilter => ({
  folder: s.folder,
  ...s.filters,
  search: s.filters.search.trim(),
  sort: s.sort,
});

function describeReport(
  report: ChangeReport,
  verb: string,
): { message: string; failed: number; done: number } {
  const done = report.results.filter((r) => r.outcome !== 'failed' && r.outcome !== 'unchanged').length;
  const failures = report.results.filter((r) => r.outcome === 'failed');
  const unchanged = report.results.length - done - failures.length;
  const parts = [`${done} ${done === 1 ? 'session' : 'sessions'} ${verb}`];
  if (unchanged) parts.push(`${unchanged} already so`);
  if (failures.length) parts.push(`${failures.length} not changed: ${failures[0]?.error?.message ?? ''}`);
  return { message: `${parts.join('; ')}.`, failed: failures.length, done };
}

export const createSessionsStore = (api: ApiClient) =>
  create<SessionsState>()((set, get) => {
    const fail = (error: unknown) =>
      get().notify(error instanceof Error ? error.message : String(error), { kind: 'error' });

    /** Fetches what the screen shows again: apps, counts, visible rows (kept until replaced). */
    const reload = async () => {
      const { app } = get();
      if (!app?.root) return;
      try {
        // The visible rows are fetched again at once (the table reacts to the generation), the
        // app list beside them, not after.
        set({ generation: get().generation + 1 });
        const apps = await api.request('listApps', {});
        const folder = get().folder;
        if (folder && !apps.some((a) => a.folder === folder)) get().selectFolder(null);
        set({ apps });
        if (get().view === 'problems') set({ problems: await api.request('listProblems', {}) });
        await get().loadPushState();
        const details = get().details;
        if (details)
          await get()
            .openDetails(details.summary.ref)
            .catch(() => set({ details: null }));
      } catch (error) {
        if (!(error instanceof ApiError && error.code === 'root-missing')) fail(error);
      }
    };

    let reloadTimer: ReturnType<typeof setTimeout> | null = null;
    const scheduleReload = () => {
      if (reloadTimer) return;
      reloadTimer = setTimeout(() => {
        reloadTimer = null;
        void reload();
      }, 16); // the engine already groups changes; this only merges events of one frame
    };

    const onDeltas = (deltas: WorkspaceDelta[]) => {
      const fresh = deltas.flatMap((d) =>
        d.type === 'session-added' && d.session.status === 'pending' ? [d.ref] : [],
      );
      if (fresh.length) {
        const highlighted = new Set(get().highlighted);
        for (const ref of fresh) highlighted.add(ref);
        set({ highlighted });
        setTimeout(() => {
          const next = new Set(get().highlighted);
          for (const ref of fresh) next.delete(ref);
          set({ highlighted: next });
        }, HIGHLIGHT_MS);
      }
      // Selected sessions that vanished are no longer selected.
      const removed = new Set(deltas.flatMap((d) => (d.type === 'session-removed' ? [d.ref] : [])));
      if (removed.size) {
        const { selection } = get();
        const refs = new Set([...selection.refs].filter((r) => !removed.has(r)));
        if (refs.size !== selection.refs.size) set({ selection: { ...selection, refs } });
      }
      scheduleReload();
    };

    const afterOpen = async (app: AppState) => {
      set({
        app,
        folder: null,
        details: null,
        selection: { refs: new Set(), allMatching: false, anchor: null },
        focusedIndex: 0,
        view: 'sessions',
        blocks: new Map(),
      });
      set({ recentRoots: await api.request('recentRoots', {}) });
      await reload();
    };

    const refsFor = async (refs: string[] | 'selection'): Promise<string[]> => {
      if (refs !== 'selection') return refs;
      const { selection } = get();
      if (!selection.allMatching) return [...selection.refs];
      const all: string[] = [];
      for (let offset = 0; offset < get().matching; offset += 1000) {
        const page = await api.request('querySessions', {
          filter: currentFilter(get()),
          offset,
          limit: 1000,
        });
        all.push(...page.rows.map((r) => r.ref));
      }
      return all;
    };

    return {
      api,
      app: null,
      apps: [],
      recentRoots: [],
      folder: null,
      filters: { search: '', status: null, os: null, simulator: null, problemsOnly: false },
      sort: null,
      generation: 0,
      total: 0,
      matching: 0,
      matchingPending: 0,
      blocks: new Map(),
      focusedIndex: 0,
      selection: { refs: new Set(), allMatching: false, anchor: null },
      details: null,
      view: 'sessions',
      problems: [],
      notices: [],
      highlighted: new Set(),
      busy: false,
      pushState: null,
      pushDialog: null,
      pushing: false,

      async start() {
        if (started) return; // React's StrictMode runs effects twice in development
        started = true;
        api.subscribe((event) => {
          if (event.type === 'state') {
            const rootChanged = event.state.root !== get().app?.root;
            set({ app: event.state });
            if (rootChanged && event.state.root) void afterOpen(event.state);
          } else onDeltas(event.deltas);
        });
        try {
          const state = await api.request('getState', {});
          set({ app: state, recentRoots: await api.request('recentRoots', {}) });
          if (state.root) await afterOpen(state);
        } catch (error) {
          fail(error);
        }
      },

      async openRoot(root) {
        set({ busy: true });
        try {
          await afterOpen(await api.request('openRoot', { root }));
        } catch (error) {
          fail(error);
        } finally {
          set({ busy: false });
        }
      },

      async openDemo() {
        set({ busy: true });
        try {
          await afterOpen(await api.request('openDemo', {}));
        } catch (error) {
          fail(error);
        } finally {
          set({ busy: false });
        }
      },

      async closeRoot() {
        const app = await api.request('closeRoot', {});
        set({ app, apps: [], blocks: new Map(), total: 0, matching: 0, details: null });
      },

      selectFolder(folder) {
        set({
          folder,
          generation: get().generation + 1,
          blocks: new Map(),
          focusedIndex: 0,
          selection: { refs: new Set(), allMatching: false, anchor: null },
          view: 'sessions',
        });
      },

      setFilters(filters) {
        set({
          filters: { ...get().filters, ...filters },
          generation: get().generation + 1,
          focusedIndex: 0,
          selection: { ...get().selection, allMatching: false },
        });
      },

      toggleSort(key) {
        const sort = get().sort;
        const next =
          sort?.key !== key
            ? { key, direction: 'asc' as const }
            : sort.direction === 'asc'
              ? { key, direction: 'desc' as const }
              : null; // a third click returns to the default order
        set({ sort: next, generation: get().generation + 1 });
      },

      async loadBlock(block) {
        const generation = get().generation;
        try {
          const page = await api.request('querySessions', {
            filter: currentFilter(get()),
            offset: block * BLOCK_SIZE,
            limit: BLOCK_SIZE,
          });
          if (get().generation !== generation) return;
          const blocks = new Map(get().blocks);
          blocks.set(block, page.rows);
          set({ blocks, total: page.total, matching: page.matching, matchingPending: page.matchingPending });
        } catch (error) {
          if (!(error instanceof ApiError && error.code === 'root-missing')) fail(error);
        }
      },

      rowAt(index) {
        return get().blocks.get(Math.floor(index / BLOCK_SIZE))?.[index % BLOCK_SIZE];
      },

      setView(view) {
        set({ view });
        if (view === 'problems')
          void api.request('listProblems', {}).then((problems) => set({ problems }), fail);
      },

      select(index, mode) {
        const row = get().rowAt(index);
        if (!row) return;
        const { selection } = get();
        let refs: Set<string>;
        if (mode === 'toggle') {
          refs = new Set(selection.allMatching ? [] : selection.refs);
          if (refs.has(row.ref)) refs.delete(row.ref);
          else refs.add(row.ref);
        } else if (mode === 'range' && selection.anchor !== null) {
          refs = new Set();
          const [from, to] = [Math.min(selection.anchor, index), Math.max(selection.anchor, index)];
          for (let i = from; i <= to; i += 1) {
            const r = get().rowAt(i);
            if (r) refs.add(r.ref);
          }
        } else refs = new Set([row.ref]);
        set({
          selection: { refs, allMatching: false, anchor: mode === 'range' ? selection.anchor : index },
          focusedIndex: index,
        });
        if (refs.size === 1 && get().details) void get().openDetails(row.ref);
      },

      selectAll() {
        set({ selection: { refs: new Set(), allMatching: true, anchor: null } });
      },

      clearSelection() {
        set({ selection: { refs: new Set(), allMatching: false, anchor: null } });
      },

      async focusRef(ref) {
        const folder = folderOf(ref) || null;
        set({
          filters: { search: '', status: null, os: null, simulator: null, problemsOnly: false },
          sort: null,
          view: 'sessions',
        });
        get().selectFolder(folder);
        const page = await api.request('querySessions', {
          filter: currentFilter(get()),
          offset: 0,
          limit: 1000,
        });
        const index = page.rows.findIndex((r) => r.ref === ref);
        if (index >= 0) {
          await get().loadBlock(Math.floor(index / BLOCK_SIZE));
          get().select(index, 'replace');
          await get().openDetails(ref);
        }
      },

      async setStatus(refs, status) {
        try {
          const { selection } = get();
          const report =
            refs === 'selection' && selection.allMatching
              ? await api.request('setStatusMatching', { filter: currentFilter(get()), status })
              : await api.request('setStatus', { refs: await refsFor(refs), status });
          const summary = describeReport(report, status === 'accepted' ? 'accepted' : 'set to pending');
          get().notify(summary.message, {
            kind: summary.failed ? 'error' : 'info',
            undoBatch: report.batch,
          });
          scheduleReload();
        } catch (error) {
          fail(error);
        }
      },

      async deleteSessions(refs) {
        try {
          const list = await refsFor(refs);
          if (list.length === 0) return;
          const question = {
            message:
              list.length === 1
                ? 'Move this session to the Trash?'
                : `Move ${list.length} sessions to the Trash?`,
            detail: 'The devices will have to log in again. Undo puts the files back exactly as they were.',
            confirmLabel: 'Move to Trash',
            destructive: true,
          };
          const confirmed = api.confirm
            ? await api.confirm(question)
            : window.confirm(`${question.message}\n\n${question.detail}`);
          if (!confirmed) return;
          const report = await api.request('deleteSessions', { refs: list });
          const summary = describeReport(report, 'moved to the Trash');
          get().notify(summary.message, {
            kind: summary.failed ? 'error' : 'info',
            undoBatch: report.batch,
          });
          get().clearSelection();
          set({ details: null });
          scheduleReload();
        } catch (error) {
          fail(error);
        }
      },

      async undo(batch = null) {
        try {
          const report = await api.request('undo', batch ? { batch } : {});
          const summary = describeReport(report, 'restored');
          get().notify(`Undone: ${summary.message}`, { kind: summary.failed ? 'error' : 'info' });
          scheduleReload();
        } catch (error) {
          fail(error);
        }
      },

      async refresh() {
        try {
          const { changes } = await api.request('refresh', {});
          get().notify(changes ? `Refreshed: ${changes} changes found.` : 'Refreshed: nothing changed.');
          await reload();
        } catch (error) {
          fail(error);
        }
      },

      async reveal(ref) {
        try {
          const result = await api.request('reveal', { ref });
          if (!result.revealed) get().notify('File location:', { path: result.path });
        } catch (error) {
          fail(error);
        }
      },

      async openDetails(ref) {
        if (ref === null) {
          set({ details: null });
          return;
        }
        try {
          set({ details: await api.request('getSession', { ref }) });
        } catch (error) {
          fail(error);
        }
      },

      async exportCsv() {
        try {
          const { fileName, csv } = await api.request('exportCsv', { filter: currentFilter(get()) });
          const link = document.createElement('a');
          link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
          link.download = fileName;
          link.click();
          setTimeout(() => URL.revokeObjectURL(link.href), 1000);
        } catch (error) {
          fail(error);
        }
      },

      notify(message, options = {}) {
        const notice: Notice = {
          id: ++noticeId,
          message,
          kind: options.kind ?? 'info',
          undoBatch: options.undoBatch ?? null,
          path: options.path,
        };
        set({ notices: [...get().notices.slice(-3), notice] });
        if (!notice.path) setTimeout(() => get().dismiss(notice.id), NOTICE_MS);
      },

      dismiss(id) {
        set({ notices: get().notices.filter((n) => n.id !== id) });
      },

      async loadPushState() {
        if (!get().app?.root) return;
        try {
          set({ pushState: await api.request('getPushState', {}) });
        } catch {
          // The push state is a convenience: the folder may be closing.
        }
      },

      async startPush() {
        await get().loadPushState();
        if (!get().pushState?.settings) {
          set({ pushDialog: { mode: 'setup' } });
          return;
        }
        try {
          set({ pushDialog: { mode: 'check', check: await api.request('prePushCheck', {}) } });
        } catch (error) {
          fail(error);
        }
      },

      openPushSetup() {
        set({ pushDialog: { mode: 'setup' } });
      },

      async confirmPush() {
        set({ pushing: true });
        try {
          const result = await api.request('push', {});
          set({ pushDialog: { mode: 'result', result } });
          await get().loadPushState();
        } catch (error) {
          fail(error);
        } finally {
          set({ pushing: false });
        }
      },

      async saveServerSettings(settings, secret) {
        try {
          set({
            pushState: await api.request('saveServerSettings', { settings, ...(secret ? { secret } : {}) }),
          });
          await get().startPush();
        } catch (error) {
          fail(error);
        }
      },

      closePushDialog() {
        set({ pushDialog: null });
      },
    };
  });

export type SessionsStore = ReturnType<typeof createSessionsStore>;
