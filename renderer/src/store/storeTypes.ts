/**
 * The renderer store's shape, slice by slice. Each slice (its own module) owns one concern;
 * the store (sessionsStore.ts) puts them together. Kept apart from the slices so that no slice
 * imports another one (no import cycles): they meet only through `get()`.
 */
import type { StoreApi } from 'zustand';
import type { CleanupPreview, CleanupRules } from '../../../shared/cleanup.js';
import type { CommandId } from '../../../shared/commands.js';
import type {
  AppEvent,
  AppState,
  AppSummary,
  ChangeReport,
  FileProblem,
  PushState,
  SessionDetails,
  SessionStatus,
  SessionSummary,
  SortKey,
} from '../../../shared/contract.js';
import type { Translate } from '../../../shared/i18n/translator.js';
import type { ConfirmModel } from '../../../shared/ipc.js';
import type { PrePushCheck, PushResult, ServerSettingsPatch } from '../../../shared/push.js';
import type { ApiClient } from '../api/client.js';

/** Rows are fetched and kept in blocks of this many (the table asks for the blocks on screen). */
export const BLOCK_SIZE = 100;

export interface Filters {
  search: string;
  status: SessionStatus | null;
  os: string | null;
  simulator: boolean | null;
  /** true: only guests (no e-mail); false: only sessions with an e-mail. */
  guest: boolean | null;
  problemsOnly: boolean;
}

export const NO_FILTERS: Filters = {
  search: '',
  status: null,
  os: null,
  simulator: null,
  guest: null,
  problemsOnly: false,
};

export type Sort = { key: SortKey; direction: 'asc' | 'desc' } | null;

export interface Notice {
  id: number;
  message: string;
  kind: 'info' | 'error';
  /** Offers Undo of exactly this batch (the change came from this window); null: no Undo. */
  undoBatch: string | null;
  /** A path to show with a copy button (browser-mode reveal). */
  path?: string;
  /** The folder the notice is about (null: none open); a notice goes when its folder does. */
  root: string | null;
}

export interface Selection {
  refs: Set<string>;
  /** Ctrl/Cmd+A: every session matching the filter, loaded or not. */
  allMatching: boolean;
  anchor: number | null;
}

export const NO_SELECTION: Selection = { refs: new Set(), allMatching: false, anchor: null };

/** Which sessions a change is for: these refs, or the table's selection. */
export type Target = string[] | 'selection';

/** What the store does outside itself: the page's dialogs, downloads and clipboard (the DOM's in the app). */
export interface StoreEnvironment {
  /** Asks before a destructive change where the transport has no native dialog (a browser). */
  confirm(question: ConfirmModel): Promise<boolean>;
  download(fileName: string, text: string, type: string): void;
  copy(text: string): Promise<void>;
}

/** The open folder: what the engine says about it, and opening, closing, refreshing. */
export interface FolderSlice {
  api: ApiClient;
  app: AppState | null;
  apps: AppSummary[];
  recentRoots: string[];
  busy: boolean;
  /** Listens to the engine's events and the native menu's commands, then loads the open folder. */
  start(): Promise<void>;
  /** Stops listening (a store that is thrown away). */
  stop(): void;
  openRoot(root: string): Promise<void>;
  openDemo(): Promise<void>;
  closeRoot(): Promise<void>;
  refresh(): Promise<void>;
}

/** The table: which rows (app, filter, order), the blocks loaded, focus and selection. */
export interface TableSlice {
  folder: string | null;
  filters: Filters;
  sort: Sort;
  /** Bumped whenever the rows on screen must be fetched again (filter, sort, app, a change). */
  generation: number;
  total: number;
  matching: number;
  matchingPending: number;
  blocks: Map<number, SessionSummary[]>;
  focusedIndex: number;
  selection: Selection;
  highlighted: Set<string>;
  selectFolder(folder: string | null): void;
  setFilters(filters: Partial<Filters>): void;
  toggleSort(key: SortKey): void;
  loadBlock(block: number): Promise<void>;
  rowAt(index: number): SessionSummary | undefined;
  /** A loaded row by its ref. */
  rowByRef(ref: string): SessionSummary | undefined;
  select(index: number, mode: 'replace' | 'toggle' | 'range'): void;
  /** Moves the focus (and the selection) to a row; `extend` grows the selection from its anchor. */
  moveFocus(index: number, extend: boolean): void;
  selectAll(): void;
  clearSelection(): void;
  /** Shows one session wherever it is in its app (a notification's click). */
  focusRef(ref: string): Promise<void>;
  /** Bumped when the keyboard asks for the focused row's menu (the table shows it). */
  rowMenuAsked: number;
  askRowMenu(): void;
}

/** Changes to sessions, each reported with its outcome and an Undo. */
export interface ChangesSlice {
  setStatus(target: Target, status: SessionStatus): Promise<void>;
  deleteSessions(target: Target): Promise<void>;
  /** Undoes one batch (a notice's Undo), or the latest one not yet undone (Ctrl/Cmd+Z). */
  undo(batch?: string | null): Promise<void>;
}

/** What the main area shows: the table, the Problems view, or the Clean-up view (cleanup.ts). */
export type MainView = 'sessions' | 'problems' | 'cleanup';

/** What is shown beside or instead of the table: the Problems view, one session's details. */
export interface ViewSlice {
  view: MainView;
  problems: FileProblem[];
  details: SessionDetails | null;
  setView(view: MainView): void;
  openDetails(ref: string | null): Promise<void>;
  reveal(ref: string): Promise<void>;
  exportCsv(): Promise<void>;
}

/** The rules the admin picks in the Clean-up view, as the form holds them. */
export interface CleanupChoices {
  /** One app folder, or null for all apps. */
  folder: string | null;
  superseded: boolean;
  /** With superseded: only when the newer session has the same e-mail too. */
  sameEmail: boolean;
  stale: boolean;
  /** The stale threshold in days; null until the first preview brings the suggested one. */
  staleDays: number | null;
  simulators: boolean;
  guests: boolean;
  includePending: boolean;
}

/** The Clean-up view (cleanup.ts): the rules picked, their preview, the rows unticked, the outcome. */
export interface CleanupState {
  choices: CleanupChoices;
  /** The preview shown, and the rules it answers (its token names its candidates for those rules). */
  preview: CleanupPreview | null;
  previewRules: CleanupRules | null;
  /** Candidates the admin unticked: they stay. */
  unticked: ReadonlySet<string>;
  previewing: boolean;
  removing: boolean;
  /** Why the last preview or clean-up did not go through (shown in the view). */
  error: string | null;
  /** After the clean-up: its batch (one Undo) and what it did; the view then ends with Push. */
  done: { batch: string | null; removed: number; failed: number } | null;
}

export interface CleanupSlice {
  cleanup: CleanupState;
  /** Shows the Clean-up view (for the table's app) and previews the rules picked. */
  openCleanup(): Promise<void>;
  /** Changes the rules and previews them again. */
  chooseCleanup(patch: Partial<CleanupChoices>): Promise<void>;
  previewCleanup(): Promise<void>;
  toggleCleanupRow(ref: string): void;
  /** Ticks (or unticks) every candidate. */
  tickAllCleanupRows(ticked: boolean): void;
  /** Moves the ticked candidates to the Trash in one batch, guarded by the preview's token. */
  runCleanup(): Promise<void>;
}

export interface NoticesSlice {
  notices: Notice[];
  notify(message: string, options?: Partial<Omit<Notice, 'id' | 'message' | 'root'>>): void;
  dismiss(id: number): void;
  /** The pointer or the focus is on a notice (true) or has left it: it does not close meanwhile. */
  holdNotice(id: number, held: boolean): void;
  /** A batch was undone (by any Undo): its notice has nothing left to undo. */
  batchUndone(batch: string): void;
  /** Another folder is open (or none): the notices about the one before go. */
  keepNoticesOf(root: string | null): void;
}

export interface PushSlice {
  pushState: PushState | null;
  pushDialog:
    | { mode: 'setup' }
    | { mode: 'check'; check: PrePushCheck }
    | { mode: 'result'; result: PushResult }
    | null;
  pushing: boolean;
  loadPushState(): Promise<void>;
  startPush(): Promise<void>;
  openPushSetup(): void;
  confirmPush(): Promise<void>;
  saveServerSettings(settings: ServerSettingsPatch, secret?: string): Promise<void>;
  closePushDialog(): void;
}

export interface CommandArgs {
  /** The session the command is for (a context menu's row, a notification); else the focused or selected ones. */
  ref?: string;
  /** Explicit sessions for a change (a row's Status control, a problem's Move to Trash). */
  refs?: string[];
  /** A notice's batch to undo. */
  batch?: string | null;
  /** A move that extends the selection (Shift). */
  extend?: boolean;
}

/** The one dispatcher every door ends in: the native menu, context menus, keys and buttons. */
export interface CommandsSlice {
  run(command: CommandId, args?: CommandArgs): Promise<void>;
  /** Whether a command can run here at all (Open needs a native folder picker). */
  canRun(command: CommandId): boolean;
}

export type SessionsState = FolderSlice &
  TableSlice &
  ChangesSlice &
  ViewSlice &
  NoticesSlice &
  PushSlice &
  CleanupSlice &
  CommandsSlice;

/** Parts of the screen to fetch again, because a delta or a report could not answer them. */
export interface Refetch {
  rows?: boolean;
  apps?: boolean;
  problems?: boolean;
  details?: boolean;
  pushState?: boolean;
}

/** What the slices share: the transport, the environment and the live updates. */
export interface StoreContext {
  api: ApiClient;
  env: StoreEnvironment;
  /** The store's words in the window's language (shared/i18n). */
  t: Translate;
  set: StoreApi<SessionsState>['setState'];
  get: () => SessionsState;
  /** Tells the admin what failed (a folder that went missing says so itself, in a banner). */
  fail(error: unknown): void;
  live: LiveUpdates;
}

/** Where the deltas stood when a change was asked for. */
export interface ChangeMark {
  readonly delta: number;
}

/** Keeps the screen equal to the engine: deltas and reports applied, the rest fetched again. */
export interface LiveUpdates {
  /** Fetches these parts again, once, with whatever else is asked in the same frame. */
  refetch(parts: Refetch): void;
  /** Fetches everything on screen again (a folder opened, Refresh). */
  reloadAll(): Promise<void>;
  /** A change is asked for now: deltas seen from here on may be its own (see `applyReport`). */
  changeStarted(): ChangeMark;
  /** Applies what a change's report says (rows, counts), before or after its deltas arrive. */
  applyReport(report: ChangeReport, mark: ChangeMark): void;
  /** A change failed: no report to apply. */
  changeFailed(mark: ChangeMark): void;
  /** A folder was opened: everything from scratch. */
  afterOpen(app: AppState): Promise<void>;
  /** Handles an event of the engine: a state, or deltas. */
  onEvent(event: AppEvent): void;
  /**
   * Rows are asked for now: `done` gives them back with the rows patched since (a block answered
   * by the engine before a delta, and arriving after it, must not undo the patch), and says
   * whether the answer is older than a patch (its counts then are too: ask again).
   */
  askRows(): { done(rows: SessionSummary[]): { rows: SessionSummary[]; stale: boolean }; failed(): void };
  /** Ends the timers (a store that is thrown away). */
  stop(): void;
}
