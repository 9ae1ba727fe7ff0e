/**
 * What the engine's deltas and a change's report mean for the screen: what can be patched in
 * place from their payload (the apps and their counts, a changed row that stays where it is, the
 * open details' summary) and what must be fetched again because they cannot answer it (rows that
 * move, appear or vanish; the raw JSON of the open details; the unpushed changes; the problems).
 * Pure: the live updates (live.ts) apply the plan.
 */
import type { AppSummary, ChangeReport, SessionStatus, SessionSummary } from '../../../shared/contract.js';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import { rowMayMove } from '../../../shared/rowOrder.js';
import { folderOf } from '../../../shared/text.js';
import type { Filters, MainView, Refetch, Sort } from './storeTypes.js';

/** The part of the store a plan reads. */
export interface ScreenView {
  folder: string | null;
  filters: Filters;
  sort: Sort;
  blocks: Map<number, SessionSummary[]>;
  matchingPending: number;
  apps: AppSummary[];
  view: MainView;
  details: { summary: SessionSummary } | null;
}

export interface ScreenPlan {
  /** The new app list, when an app delta came. */
  apps: AppSummary[] | null;
  /** The blocks with rows patched in place, when any was. */
  blocks: Map<number, SessionSummary[]> | null;
  /** The rows patched in place. */
  patched: SessionSummary[];
  matchingPending: number;
  /** The open details' new summary (its raw JSON is fetched again), or `closed`: the session is gone. */
  details: SessionSummary | 'closed' | null;
  /** Sessions that are gone: no longer selected. */
  removed: Set<string>;
  /** New pending sessions, to highlight. */
  freshPending: string[];
  /** The selected app folder is gone. */
  folderGone: boolean;
  refetch: Required<Refetch>;
}

/**
 * Whether a session delta only confirms a change whose report this window applied already (the
 * report came first: HTTP beside Server-Sent Events). Answers true once per reported change.
 */
export type EchoCheck = (ref: string, status: SessionStatus | null) => boolean;

/** Plain data equality (what crossed IPC or HTTP as JSON). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((key) =>
    sameData((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

const byFolder = (a: AppSummary, b: AppSummary) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0);

/** A plan being built: the blocks are copied once, on the first patch. */
class Planner {
  readonly plan: ScreenPlan;
  private apps: Map<string, AppSummary> | null = null;

  constructor(private readonly screen: ScreenView) {
    this.plan = {
      apps: null,
      blocks: null,
      patched: [],
      matchingPending: screen.matchingPending,
      details: null,
      removed: new Set(),
      freshPending: [],
      folderGone: false,
      refetch: { rows: false, apps: false, problems: false, details: false, pushState: false },
    };
  }

  inView(folder: string): boolean {
    return this.screen.folder === null || this.screen.folder === folder;
  }

  private find(ref: string): { block: number; index: number; row: SessionSummary } | null {
    for (const [block, rows] of this.plan.blocks ?? this.screen.blocks) {
      const index = rows.findIndex((row) => row.ref === ref);
      const row = rows[index];
      if (row) return { block, index, row };
    }
    return null;
  }

  /**
   * The row of `ref` is now `next`: patched in place, or the rows fetched again if it may move.
   * `counted`: the counts already reflect the change (its report came first).
   */
  patchRow(ref: string, next: (row: SessionSummary) => SessionSummary, counted = false): void {
    const found = this.find(ref);
    if (!found) {
      // Not on screen, but it may count among the matching rows (or join them): ask the engine.
      if (!counted && this.inView(folderOf(ref))) this.plan.refetch.rows = true;
      return;
    }
    const after = next(found.row);
    if (sameData(found.row, after)) return;
    if (rowMayMove(this.screen.filters, this.screen.sort, found.row, after)) this.plan.refetch.rows = true;
    else {
      // Still matching, at the same place: only the pending count may change.
      const pending = (s: SessionSummary) => (s.status === 'pending' ? 1 : 0);
      this.plan.matchingPending += pending(after) - pending(found.row);
    }
    // Patched at once either way: the Status control shows the new status while rows are fetched.
    this.plan.blocks ??= new Map(this.screen.blocks);
    const rows = [...(this.plan.blocks.get(found.block) ?? [])];
    rows[found.index] = after;
    this.plan.blocks.set(found.block, rows);
    this.plan.patched.push(after);
  }

  detailsChanged(ref: string, summary: SessionSummary | null): void {
    const shown = this.screen.details?.summary;
    if (!shown || shown.ref !== ref) return;
    if (summary === null) this.plan.details = 'closed';
    else if (!sameData(shown, summary)) {
      this.plan.details = summary;
      this.plan.refetch.details = true; // the raw JSON: no delta carries it
    }
  }

  rowsChange(folder: string): void {
    if (this.inView(folder)) this.plan.refetch.rows = true;
  }

  problemsMayChange(): void {
    if (this.screen.view === 'problems') this.plan.refetch.problems = true;
  }

  appList(): Map<string, AppSummary> {
    this.apps ??= new Map(this.screen.apps.map((app) => [app.folder, app]));
    return this.apps;
  }

  finish(): ScreenPlan {
    if (this.apps) this.plan.apps = [...this.apps.values()].sort(byFolder);
    return this.plan;
  }
}

export function planDeltas(
  screen: ScreenView,
  deltas: WorkspaceDelta[],
  isEcho: EchoCheck = () => false,
): ScreenPlan {
  const planner = new Planner(screen);
  const { plan } = planner;
  for (const delta of deltas) {
    switch (delta.type) {
      case 'app-added':
      case 'app-changed':
        planner.appList().set(delta.folder, delta.app);
        break;
      case 'app-removed':
        planner.appList().delete(delta.folder);
        if (screen.folder === delta.folder) plan.folderGone = true;
        planner.rowsChange(delta.folder);
        if (screen.details && folderOf(screen.details.summary.ref) === delta.folder) plan.details = 'closed';
        planner.problemsMayChange();
        plan.refetch.pushState = true;
        break;
      case 'problems-changed':
        planner.problemsMayChange();
        break;
      case 'session-added': {
        // An echo is this window's undo, reported already: neither new nor a change to fetch.
        const echo = isEcho(delta.ref, delta.session.status);
        if (!echo) {
          if (delta.session.status === 'pending') plan.freshPending.push(delta.ref);
          planner.rowsChange(delta.folder);
          // Whether the history changed (an undo elsewhere) or a device logged in, only the engine knows.
          plan.refetch.pushState = true;
        }
        planner.detailsChanged(delta.ref, delta.session);
        planner.problemsMayChange();
        break;
      }
      case 'session-changed': {
        const echo = isEcho(delta.ref, delta.session.status);
        planner.patchRow(delta.ref, () => delta.session, echo);
        planner.detailsChanged(delta.ref, delta.session);
        planner.problemsMayChange();
        if (!echo) plan.refetch.pushState = true;
        break;
      }
      case 'session-removed': {
        const echo = isEcho(delta.ref, null);
        plan.removed.add(delta.ref);
        if (!echo) {
          planner.rowsChange(delta.folder);
          plan.refetch.pushState = true;
        }
        planner.detailsChanged(delta.ref, null);
        planner.problemsMayChange();
        break;
      }
      case 'watcher-state':
      case 'scan-progress':
        break; // the engine sends these as state events
    }
  }
  return planner.finish();
}

/**
 * A change's report, applied before (or after) its deltas arrive: statuses patched in place,
 * deleted rows gone. The app counts wait for the `app-changed` deltas, which carry them.
 */
export function planReport(screen: ScreenView, report: ChangeReport): ScreenPlan {
  const planner = new Planner(screen);
  const { plan } = planner;
  for (const result of report.results) {
    if (result.outcome === 'changed' && result.statusAfter !== null) {
      const status = result.statusAfter;
      planner.patchRow(result.ref, (row) => ({ ...row, status }));
      const shown = screen.details?.summary;
      if (shown?.ref === result.ref && shown.status !== status) {
        plan.details = { ...shown, status };
        plan.refetch.details = true;
      }
    } else if (result.outcome === 'deleted') {
      plan.removed.add(result.ref);
      planner.rowsChange(folderOf(result.ref));
      planner.detailsChanged(result.ref, null);
      planner.problemsMayChange(); // a broken file moved to the trash from the Problems view
    } else if (result.outcome === 'restored') {
      planner.rowsChange(folderOf(result.ref));
      if (screen.details?.summary.ref === result.ref) plan.refetch.details = true;
      planner.problemsMayChange();
    }
  }
  // A change not pushed yet, or one undone: the unpushed summary is the engine's to count.
  if (report.batch !== null) plan.refetch.pushState = true;
  return planner.finish();
}
