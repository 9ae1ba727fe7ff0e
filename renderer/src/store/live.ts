/**
 * Keeps the screen equal to the engine. Deltas and change reports are applied from their payload
 * (deltaPlan.ts); what they cannot answer is fetched again, once per frame whatever asked for it.
 */
import type {
  AppEvent,
  AppState,
  ChangeReport,
  SessionStatus,
  SessionSummary,
} from '../../../shared/contract.js';
import { ApiError } from '../api/client.js';
import { planDeltas, planReport, type ScreenPlan, type ScreenView } from './deltaPlan.js';
import {
  type ChangeMark,
  type LiveUpdates,
  NO_SELECTION,
  type Refetch,
  type SessionsState,
  type StoreContext,
} from './storeTypes.js';

/** Requests asked within one frame are sent once (the engine already groups the file system's events). */
const FRAME_MS = 16;
const HIGHLIGHT_MS = 6000;

const nothing = (): Required<Refetch> => ({
  rows: false,
  apps: false,
  problems: false,
  details: false,
  pushState: false,
});

export function createLiveUpdates(ctx: Omit<StoreContext, 'live'>): LiveUpdates {
  const { api, set, get, fail } = ctx;
  let wanted = nothing();
  let frame: ReturnType<typeof setTimeout> | null = null;
  const highlightTimers = new Set<ReturnType<typeof setTimeout>>();

  // Rows patched in place, by ref, each with the mark of its patch; kept while an older ask is out.
  let marks = 0;
  const patched = new Map<string, { mark: number; row: SessionSummary }>();
  /** The rows asked for and not answered yet: the mark of each. */
  const asks = new Map<number, number>();
  let askIds = 0;
  const forgetPatches = () => {
    const oldest = Math.min(...asks.values());
    for (const [ref, patch] of patched) if (patch.mark <= oldest) patched.delete(ref);
  };

  // A change's own deltas may come before its report (one IPC pipe) or after it (Server-Sent
  // Events beside HTTP). After: the report has been applied, and its deltas are echoes, which
  // ask for nothing more. Before: they were applied as they came, and the report adds no echo.
  let deltaBatches = 0;
  let changesOut = 0;
  /** While changes are out: the delta batch each session was last seen in. */
  const seenIn = new Map<string, number>();
  /** Reported changes whose deltas have not come yet: the status each leaves (null: deleted). */
  const echoes = new Map<string, SessionStatus | null>();
  const isEcho = (ref: string, status: SessionStatus | null) => {
    if (!echoes.has(ref) || echoes.get(ref) !== status) return false;
    echoes.delete(ref);
    return true;
  };
  const changeEnded = () => {
    changesOut -= 1;
    if (changesOut === 0) seenIn.clear();
  };
  const expectEchoes = (report: ChangeReport, mark: ChangeMark) => {
    for (const result of report.results) {
      if (result.outcome === 'failed' || result.outcome === 'unchanged') continue;
      if ((seenIn.get(result.ref) ?? -1) > mark.delta) continue; // its delta came first
      echoes.set(result.ref, result.outcome === 'deleted' ? null : result.statusAfter);
    }
  };

  // A folder gone is shown by its state; a query a newer one replaced is answered by the newer one.
  const failUnlessMissing = (error: unknown) => {
    if (!(error instanceof ApiError && (error.code === 'root-missing' || error.code === 'cancelled')))
      fail(error);
  };

  const screen = (): ScreenView => {
    const s = get();
    return {
      folder: s.folder,
      filters: s.filters,
      sort: s.sort,
      blocks: s.blocks,
      matchingPending: s.matchingPending,
      apps: s.apps,
      view: s.view,
      details: s.details,
    };
  };

  const flush = async () => {
    if (frame) clearTimeout(frame);
    frame = null;
    const parts = wanted;
    wanted = nothing();
    const state = get();
    if (!state.app?.root) return;
    // The table fetches its blocks on screen again when the generation moves (stale rows stay until then).
    if (parts.rows) set({ generation: state.generation + 1 });
    const tasks: Promise<unknown>[] = [];
    if (parts.apps) {
      tasks.push(
        api.request('listApps', {}).then((apps) => {
          set({ apps });
          const { folder } = get();
          if (folder && !apps.some((a) => a.folder === folder)) get().selectFolder(null);
        }),
      );
    }
    if (parts.problems && state.view === 'problems')
      tasks.push(api.request('listProblems', {}).then((problems) => set({ problems })));
    if (parts.pushState) tasks.push(get().loadPushState());
    const ref = parts.details ? state.details?.summary.ref : undefined;
    if (ref) {
      tasks.push(
        api.request('getSession', { ref }).then(
          (details) => {
            if (get().details?.summary.ref === ref) set({ details });
          },
          () => {
            if (get().details?.summary.ref === ref) set({ details: null });
          },
        ),
      );
    }
    for (const result of await Promise.allSettled(tasks))
      if (result.status === 'rejected') failUnlessMissing(result.reason);
  };

  const refetch = (parts: Refetch) => {
    for (const [part, yes] of Object.entries(parts)) if (yes) wanted[part as keyof Refetch] = true;
    if (!frame && Object.values(wanted).some(Boolean)) frame = setTimeout(() => void flush(), FRAME_MS);
  };

  const highlight = (refs: string[]) => {
    if (refs.length === 0) return;
    const highlighted = new Set(get().highlighted);
    for (const ref of refs) highlighted.add(ref);
    set({ highlighted });
    const timer = setTimeout(() => {
      highlightTimers.delete(timer);
      const next = new Set(get().highlighted);
      for (const ref of refs) next.delete(ref);
      set({ highlighted: next });
    }, HIGHLIGHT_MS);
    highlightTimers.add(timer);
  };

  const apply = (plan: ScreenPlan) => {
    const state = get();
    const patch: Partial<SessionsState> = {};
    if (plan.apps) patch.apps = plan.apps;
    if (plan.blocks) patch.blocks = plan.blocks;
    if (plan.patched.length && asks.size) {
      marks += 1;
      for (const row of plan.patched) patched.set(row.ref, { mark: marks, row });
    }
    if (plan.matchingPending !== state.matchingPending) patch.matchingPending = plan.matchingPending;
    if (plan.details === 'closed') patch.details = null;
    else if (plan.details && state.details) patch.details = { ...state.details, summary: plan.details };
    // Sessions that vanished, or left the rows the filter shows (accepted in the Pending view), are
    // no longer selected: nothing acts on a row the admin cannot see.
    const gone = new Set(plan.removed);
    const status = state.filters.status;
    if (status !== null) for (const row of plan.patched) if (row.status !== status) gone.add(row.ref);
    if (gone.size && state.selection.refs.size) {
      const refs = new Set([...state.selection.refs].filter((r) => !gone.has(r)));
      if (refs.size !== state.selection.refs.size) patch.selection = { ...state.selection, refs };
    }
    set(patch);
    if (plan.folderGone) get().selectFolder(null);
    highlight(plan.freshPending);
    refetch(plan.refetch);
  };

  const reloadAll = async () => {
    wanted = { rows: true, apps: true, problems: true, details: true, pushState: true };
    await flush();
  };

  const afterOpen = async (app: AppState) => {
    set({
      app,
      folder: null,
      details: null,
      selection: NO_SELECTION,
      focusedIndex: 0,
      view: 'sessions',
      blocks: new Map(),
    });
    // What was said about another folder (or about none: a path that failed to open) no longer applies.
    get().keepNoticesOf(app.root);
    try {
      set({ recentRoots: await api.request('recentRoots', {}) });
    } catch (error) {
      fail(error);
    }
    await reloadAll();
  };

  return {
    refetch,
    reloadAll,
    afterOpen,
    changeStarted: () => {
      changesOut += 1;
      return { delta: deltaBatches };
    },
    applyReport: (report, mark) => {
      expectEchoes(report, mark);
      changeEnded();
      // Selected rows the change takes out of the filter's rows, loaded or not, leave the selection.
      const { filters, selection } = get();
      if (filters.status !== null && selection.refs.size) {
        const left = new Set(
          report.results.flatMap((r) =>
            r.outcome === 'changed' && r.statusAfter !== filters.status ? [r.ref] : [],
          ),
        );
        if (left.size)
          set({
            selection: { ...selection, refs: new Set([...selection.refs].filter((r) => !left.has(r))) },
          });
      }
      apply(planReport(screen(), report));
    },
    changeFailed: changeEnded,
    onEvent: (event: AppEvent) => {
      if (event.type === 'state') {
        const rootChanged = event.state.root !== get().app?.root;
        set({ app: event.state });
        if (rootChanged && event.state.root) {
          echoes.clear();
          void afterOpen(event.state);
        }
        return;
      }
      deltaBatches += 1;
      if (changesOut > 0)
        for (const delta of event.deltas) if ('ref' in delta) seenIn.set(delta.ref, deltaBatches);
      apply(planDeltas(screen(), event.deltas, isEcho));
    },
    askRows: () => {
      const mark = marks;
      const id = ++askIds;
      asks.set(id, mark);
      const settle = () => {
        asks.delete(id);
        if (asks.size === 0) patched.clear();
        else forgetPatches();
      };
      return {
        done: (rows) => {
          let stale = false;
          const merged = rows.map((row) => {
            const patch = patched.get(row.ref);
            if (!patch || patch.mark <= mark) return row;
            stale = true;
            return patch.row;
          });
          settle();
          return { rows: merged, stale };
        },
        failed: settle,
      };
    },
    stop: () => {
      if (frame) clearTimeout(frame);
      frame = null;
      for (const timer of highlightTimers) clearTimeout(timer);
      highlightTimers.clear();
    },
  };
}
