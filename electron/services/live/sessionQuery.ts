/**
 * Filtering, sorting and windowing sessions for the table, in the engine process so the renderer
 * only ever holds the rows it shows.
 *
 * - Orders (per app and column) are sorted once, in time slices (sessionOrder.ts), then kept up to
 *   date delta by delta: a changed session is removed and inserted by binary search, never a
 *   re-sort. The deltas are queued and applied in time slices (a burst never holds the event loop);
 *   a query waits for the queue. Only a batch as large as a scan drops them (they are sorted again
 *   when asked for).
 * - The rows matching the last filter are kept up to date the same way.
 * - The order shown has a search column (searchColumn.ts): its rows' search text in a few
 *   contiguous strings, kept up to date by the same deltas, so a keystroke is one pattern run
 *   over them instead of reading fields of 100,000 objects scattered in the heap. One column at a
 *   time (about 9 MB at 100,000 rows). `warmUp` builds it for the default order of All apps
 *   (unless the table shows another order by then); the default order of an app, or of All apps,
 *   gets its column as soon as it is shown (an admin who opens an app and starts typing finds it
 *   built); another order's is built once the table has shown it for REFRESH_AFTER_MS
 *   without a change or another query, or by its first search or filter if that comes sooner
 *   (about 100 ms at 100,000 rows, once). Clicks in a row do not
 *   build one per order clicked through: each build leaves its predecessor's megabytes as
 *   garbage, which shows in the peak memory. The chunks changes make dirty are built again the
 *   same way, once the table is quiet. The first column built in a process is searched once in
 *   the background (`warmSearch`), so V8 has compiled the search before the first keystroke.
 * - A filter pass gives the event loop a turn every few milliseconds, and a query whose filter is
 *   no longer the latest one asked for is cancelled there (`cancelled`): its answer is never
 *   computed to the end, and never replaces the newer one's.
 */
import { isGuest } from '../../../shared/cleanup.js';
import {
  type ResolvedSessionFilter,
  type SessionPage,
  sessionFilterSchema,
} from '../../../shared/contract.js';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import { AppError } from '../../../shared/errors.js';
import type { SessionSummary } from '../../../shared/session.js';
import { folderOf } from '../../../shared/text.js';
import {
  fieldMatches,
  mayBeInIds,
  needlePattern,
  ROW_ACCEPTED,
  ROW_GUEST,
  ROW_PENDING,
  ROW_PROBLEMS,
  ROW_SIMULATOR,
  SearchColumn,
  searchable,
} from './searchColumn.js';
import { replacedSummary } from './sessionIndex.js';
import {
  insertSorted,
  lowerText,
  type Order,
  orderFor,
  removeSortedAt,
  sortInSlices,
} from './sessionOrder.js';
import { SLICE_MS, TimeSlicer } from './timeSlices.js';

/**
 * What the search box looks in: device, e-mail, session id and IP, case ignored (the search
 * column's meaning, searchColumn.ts). A session id is hexadecimal and an IP hexadecimal digits,
 * dots and colons: a needle with any other character is not looked for in them. This is the test
 * of one session (a change to the rows shown, a needle the column cannot take); a search of the
 * rows is the column's.
 */
interface Needle {
  text: string;
  pattern: RegExp;
  /** Could be part of a session id or an IP address. */
  inIds: boolean;
}

const needleOf = (text: string): Needle => ({ text, pattern: needlePattern(text), inIds: mayBeInIds(text) });

function searchMatches(s: SessionSummary, needle: Needle): boolean {
  const { pattern } = needle;
  if (fieldMatches(s.device.description, pattern) || fieldMatches(s.email, pattern)) return true;
  return needle.inIds && (fieldMatches(s.id, pattern) || fieldMatches(s.session.ip, pattern));
}

/** The last needle compiled: a burst of changes tests every changed session against the same one. */
let lastNeedle: Needle = needleOf('');

export function sessionMatches(s: SessionSummary, filter: ResolvedSessionFilter, needle: string): boolean {
  if (lastNeedle.text !== needle) lastNeedle = needleOf(needle);
  return matchesWith(s, filter, lastNeedle);
}

function matchesWith(s: SessionSummary, filter: ResolvedSessionFilter, needle: Needle): boolean {
  if (filter.status !== null && s.status !== filter.status) return false;
  if (filter.os !== null && lowerText(s.device.os) !== filter.os.toLowerCase()) return false;
  if (filter.simulator !== null && s.device.simulator !== filter.simulator) return false;
  if (filter.problemsOnly && s.problems.length === 0) return false;
  if (filter.guest !== null && isGuest(s) !== filter.guest) return false;
  return needle.text === '' || searchMatches(s, needle);
}

const filterless = (filter: ResolvedSessionFilter, needle: string) =>
  needle === '' &&
  filter.status === null &&
  filter.os === null &&
  filter.simulator === null &&
  filter.guest === null &&
  !filter.problemsOnly;

/** Whether a process has warmed the search up (`warmSearch`): V8 compiles a function once per process. */
export interface SearchWarmth {
  warm: boolean;
}

const processWarmth: SearchWarmth = { warm: false };

/** Orders kept (app × column × direction): each is one array of the app's sessions. */
const MAX_ORDERS = 4;

interface OrderState {
  key: string;
  folder: string | null;
  order: Order;
  /** Sorted rows, once built. */
  rows: SessionSummary[] | null;
  building: Promise<SessionSummary[]> | null;
  /** Changes while it was being sorted: it is sorted again. */
  stale: boolean;
  /** Bumped by every change applied to `rows`. */
  version: number;
  /** Pending sessions in `rows`, kept with them (a cleared search reads no session). */
  pending: number;
  /** The search column of `rows`: only the order last queried has one. */
  column: SearchColumn | null;
}

interface Matching {
  key: string;
  /** The filter without its search text: typing more narrows the rows of the same base. */
  base: string;
  needle: string;
  filter: ResolvedSessionFilter;
  orderKey: string;
  orderVersion: number;
  /** The order's own array when nothing is filtered out. */
  rows: SessionSummary[];
  pending: number;
}

export interface SessionQueryOptions {
  /** Test seam: give the event loop a turn every this many rows instead of every few milliseconds. */
  yieldEveryRows?: number;
  /** Test seam: give the event loop a turn after this many changes applied instead of every few milliseconds. */
  yieldEveryChanges?: number;
  /** Test seam: this query's record of the search's warm-up, instead of the process's. */
  searchWarmth?: SearchWarmth;
}

const cancelled = () => new AppError('cancelled', 'A newer query replaced this one before it was answered.');

export class SessionQuery {
  private readonly orders = new Map<string, OrderState>();
  private last: Matching | null = null;
  /** The filter of the newest page asked for: older ones still running are cancelled. */
  private latest: string | null = null;
  private readonly inflight = new Map<string, Promise<Matching>>();
  /**
   * The order of the newest page asked for: the one the table shows. A large batch of changes
   * is applied to it (the other orders are sorted again when asked for), and its search column
   * is the one built in the background. The last matching rows cannot say it: they are dropped
   * when a change cannot be applied to them, and a burst then made every order stale, the
   * table's own included (its re-queries waited for a sort of 100,000 rows).
   */
  private shownOrder: string | null = null;
  /** The search's scratch list, when no search is using it (see `searchColumn`). */
  private freeScratch: (SessionSummary | undefined)[] | null = null;
  /** Changes not yet applied to the orders (see `apply`). */
  private backlog: SessionDelta[] = [];
  private draining = false;
  private drained: Promise<void> = Promise.resolve();
  /** Dirty chunks of the search column are being built again in the background (`refreshSoon`). */
  private refreshing = false;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;
  /** The order whose column is wanted at once (shown in its default order), until its build starts. */
  private columnWantedNow: string | null = null;
  /** Pages asked for so far: the search's warm-up stops when one comes. */
  private pagesAsked = 0;

  /** `sessionsOf(null)` is every session of every app. */
  constructor(
    private readonly sessionsOf: (folder: string | null) => SessionSummary[],
    private readonly options: SessionQueryOptions = {},
  ) {}

  /** Sorts the default order of All apps in slices, so the table's first query does not pay for it. */
  async warmUp(): Promise<void> {
    const state = await this.orderOf({ folder: null, sort: null });
    // Its column too, unless the table shows another order by now (an app opened while the folder
    // settled): one column at a time, the shown order's, which this one would have taken over.
    if (this.shownOrder === null || this.shownOrder === state.key) {
      const column = await this.columnOf(state, () => {});
      if (column) await this.warmSearch(state, column);
    }
  }

  /**
   * Once per process, runs two searches over a column just built and throws their rows away, so
   * the admin's first keystroke finds the search's loops compiled: the first search of a process
   * ran them in V8's interpreter, 30–40 ms at 100,000 rows where the next ones take 5–7 ms. One
   * character (the `indexOf` path) and two (the pattern path), taken from the rows so they match
   * many of them. It stops at the first page asked for meanwhile: that query goes first.
   */
  private async warmSearch(state: OrderState, column: SearchColumn): Promise<void> {
    const warmth = this.options.searchWarmth ?? processWarmth;
    if (warmth.warm) return;
    warmth.warm = true;
    const rows = state.rows as SessionSummary[];
    const sample = (rows[rows.length >>> 1]?.device.description ?? '').toLowerCase().slice(0, 2);
    const needles = ['e', sample.length === 2 && searchable(sample) ? sample : 'er'];
    const checkStale = this.staleCheck(true, null);
    try {
      for (const search of needles) {
        if (state.column !== column) return; // another order shown: its column is the one to build
        // Made as the doors make a query's (the same shape of object, for V8 too).
        const filter = sessionFilterSchema.parse({ folder: state.folder, search });
        await this.searchColumn(state, column, filter, search, checkStale);
      }
    } catch {
      // A page asked for meanwhile: the warm-up is over, its rows were never kept.
    }
  }

  /**
   * The search columns kept (one at most), for the bench's report and the tests: the order each
   * belongs to, its rows, the bytes of its built chunks, and whether chunks wait to be built again.
   */
  searchColumns(): { order: string; rows: number; bytes: number; dirty: boolean }[] {
    const columns: { order: string; rows: number; bytes: number; dirty: boolean }[] = [];
    for (const state of this.orders.values()) {
      const column = state.column;
      if (column)
        columns.push({ order: state.key, rows: column.length, bytes: column.bytes(), dirty: column.dirty });
    }
    return columns;
  }

  /** The index changed in ways deltas do not say (another folder, a reload): forget everything. */
  invalidate(): void {
    for (const state of this.orders.values()) state.stale = true;
    this.orders.clear();
    this.last = null;
    this.backlog = [];
  }

  /** Resolves once every change given to `apply` is in the orders. */
  private async caughtUp(): Promise<void> {
    while (this.draining) await this.drained;
  }

  /**
   * Keeps the orders and the last matching rows equal to the index after these deltas. Called
   * with every batch of deltas (a listener of the workspace): it only queues them, and the queue is
   * applied in time slices (`drain`), one change at a time, so a burst of a thousand changes at
   * 100,000 rows never holds the event loop. Queries wait for the queue to be applied.
   */
  apply(deltas: readonly WorkspaceDelta[]): void {
    for (const delta of deltas) {
      if (delta.type === 'app-removed') {
        this.invalidate();
        return;
      }
      if (
        delta.type === 'session-added' ||
        delta.type === 'session-changed' ||
        delta.type === 'session-removed'
      )
        this.backlog.push(delta);
    }
    if (this.backlog.length > 0 && !this.draining) this.drained = this.drain();
  }

  /** Applies the queued changes, pausing between them when a slice is used up. */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      const pause = this.changePauser();
      while (this.backlog.length > 0) {
        const batch = this.backlog;
        this.backlog = [];
        if (batch.length > SCAN_SIZED) {
          // A scan's worth: sorting again (in slices, when asked for) is cheaper than this many inserts.
          for (const state of this.orders.values()) state.stale = true;
          this.last = null;
          continue;
        }
        // A large batch is applied to the order the table shows; the others are sorted again
        // when asked for (keeping all of them would cost four times as much).
        const shown = this.shownOrder === null ? undefined : this.orders.get(this.shownOrder);
        for (const state of this.orders.values())
          if (!state.rows || (batch.length > ONE_BY_ONE && state !== shown)) state.stale = true;
        for (const delta of batch) {
          this.applyOne(delta);
          const wait = pause();
          if (wait) await wait;
        }
      }
    } finally {
      this.draining = false;
    }
    this.refreshSoon();
  }

  /**
   * Builds the search column of the order shown, or the chunks of it that changes made dirty, in
   * slices, once changes and queries have settled (REFRESH_AFTER_MS without one), so the next
   * keystroke finds it built. Not while changes stream in: a burst would have the column rebuilt
   * while the table asks for its rows after each change, and a keystroke builds the chunks it
   * needs itself. Stops when the column is dropped (another order shown, a re-sort) or changes
   * come again. `now`: without waiting, for the order shown (a default order just shown without
   * a column), and the queries and changes that follow do not put it off while it is shown.
   */
  private refreshSoon(now = false): void {
    if (now) this.columnWantedNow = this.shownOrder;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    // Asked for now, it is not put off by the queries and changes that follow, while it is shown.
    const urgent = this.columnWantedNow !== null && this.columnWantedNow === this.shownOrder;
    this.refreshTimer = setTimeout(
      () => {
        this.refreshTimer = null;
        void this.refreshNow();
      },
      urgent ? 0 : REFRESH_AFTER_MS,
    );
    this.refreshTimer.unref?.();
  }

  private async refreshNow(): Promise<void> {
    if (this.refreshing || this.draining) return; // the drain's end asks again
    this.columnWantedNow = null;
    const shown = this.shownOrder === null ? undefined : this.orders.get(this.shownOrder);
    if (!shown?.rows || shown.stale) return;
    if (!shown.column) shown.column = this.onlyColumn(shown.rows);
    this.refreshing = true;
    try {
      for (;;) {
        const column = shown.column;
        if (!column || shown.stale || !shown.rows || this.orders.get(shown.key) !== shown) return;
        if (this.draining || this.backlog.length > 0) return; // the drain's end asks again
        if (column.refresh(shown.rows, sliceTimer())) {
          void this.warmSearch(shown, column);
          return;
        }
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } catch {
      // Out of step with its order (a bug): dropped, the next query of the order makes a new one.
      shown.column = null;
    } finally {
      this.refreshing = false;
    }
  }

  /** One change, to every order still kept and to the last matching rows. */
  private applyOne(delta: SessionDelta): void {
    const last = this.last;
    const lastState = last ? this.orders.get(last.orderKey) : undefined;
    const lastInStep = last !== null && lastState?.rows != null && last.orderVersion === lastState.version;
    let shownPending = 0;
    for (const state of this.orders.values()) {
      if (!state.rows) state.stale = true;
      if (state.stale || !state.rows) continue;
      const pending = applyChange(state.rows, state.folder, state.order, delta, () => true, state.column);
      if (state === lastState) shownPending = pending;
      state.pending += pending;
      state.version++;
    }
    if (!last) return;
    if (!lastInStep || !lastState?.rows || lastState.stale) {
      this.last = null;
      return;
    }
    last.orderVersion = lastState.version;
    // The same array when nothing is filtered out: already changed above, only the count follows.
    last.pending +=
      last.rows === lastState.rows
        ? shownPending
        : applyChange(last.rows, lastState.folder, lastState.order, delta, (s) =>
            sessionMatches(s, last.filter, last.needle),
          );
  }

  /** Every session matching the filter, in the table's order (for actions on all of them: never cancelled). */
  async matching(
    filter: ResolvedSessionFilter,
  ): Promise<{ rows: SessionSummary[]; pending: number; total: number }> {
    const result = await this.compute(filter, false);
    const state = this.orders.get(result.orderKey);
    return { rows: result.rows.slice(), pending: result.pending, total: state?.rows?.length ?? 0 };
  }

  /** The index of a session among the rows matching the filter, in their order; null when it does not match. */
  async locate(filter: ResolvedSessionFilter, ref: string): Promise<number | null> {
    const { rows } = await this.compute(filter, false);
    const index = rows.findIndex((s) => s.ref === ref);
    return index < 0 ? null : index;
  }

  /** A window of the rows: the newest filter asked for cancels the older ones still running. */
  async page(filter: ResolvedSessionFilter, offset: number, limit: number): Promise<SessionPage> {
    this.pagesAsked++;
    this.latest = matchingKey(filter);
    this.shownOrder = orderKeyOf(filter);
    const result = await this.compute(filter, true);
    const total = this.orders.get(result.orderKey)?.rows?.length ?? 0;
    return {
      total,
      matching: result.rows.length,
      matchingPending: result.pending,
      offset,
      rows: result.rows.slice(offset, offset + limit),
    };
  }

  private compute(filter: ResolvedSessionFilter, cancellable: boolean): Promise<Matching> {
    const key = matchingKey(filter);
    if (!cancellable) return this.computeNow(filter, key, false);
    let running = this.inflight.get(key);
    if (!running) {
      running = this.computeNow(filter, key, true).finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return running;
  }

  private async computeNow(
    filter: ResolvedSessionFilter,
    key: string,
    cancellable: boolean,
  ): Promise<Matching> {
    const checkStale = this.staleCheck(cancellable, key);
    for (let attempt = 0; ; attempt++) {
      const state = await this.orderOf(filter);
      checkStale();
      const rows = state.rows as SessionSummary[];
      const version = state.version;
      const last = this.last;
      if (last?.key === key && last.orderKey === state.key && last.orderVersion === version) return last;
      const needle = filter.search.trim().toLowerCase();
      const base = key.slice(0, key.lastIndexOf('\u0000'));
      const plain = filterless(filter, needle);
      // A plain query (a click, a cleared search) does not wait for a column: it is built after,
      // once the table is quiet; at once for an app (or All apps) shown in its default order with
      // none, where the admin's next step is the search box (bench:ui types 170 ms after opening
      // the app, and that first keystroke waited for the column: 105–170 ms at 100,000 sessions).
      const column = plain ? state.column : await this.columnOf(state, checkStale);
      if (plain) this.refreshSoon(!state.column && filter.sort === null);
      let matched: SessionSummary[];
      let pending = 0;
      if (plain) {
        matched = rows;
        pending = state.pending;
      } else if (column && searchable(needle) && attempt < 3) {
        const found = await this.searchColumn(state, column, filter, needle, checkStale);
        // Changed between two slices: once more, on the rows as they are now.
        if (!found) continue;
        matched = found.rows;
        pending = found.pending;
      } else {
        // A longer search text can only match fewer rows: filter the last result, not everything.
        const from =
          last &&
          last.base === base &&
          last.orderKey === state.key &&
          last.orderVersion === version &&
          needle.includes(last.needle)
            ? last.rows
            : rows;
        matched = [];
        const pause = this.pauser();
        const compiled = needleOf(needle);
        for (let i = 0; i < from.length; i++) {
          const s = from[i] as SessionSummary;
          if (matchesWith(s, filter, compiled)) {
            matched.push(s);
            if (s.status === 'pending') pending++;
          }
          if ((i & 255) === 255) {
            const wait = pause();
            if (wait) {
              await wait;
              checkStale();
            }
          }
        }
      }
      // Changed meanwhile (deltas between two slices): once more, on the rows as they are now.
      if (state.version !== version || this.orders.get(state.key) !== state) {
        if (attempt < 3) continue;
      }
      checkStale();
      const result: Matching = {
        key,
        base,
        needle,
        filter,
        orderKey: state.key,
        orderVersion: state.version,
        rows: matched,
        pending,
      };
      this.last = result;
      return result;
    }
  }

  /**
   * A function that throws `cancelled` once a cancellable query is stale: another filter asked
   * for since (`key` null: any page asked for since). The queries and the warm-up make theirs
   * here, so that the search calls one function for both, and V8 keeps its compiled code.
   */
  private staleCheck(cancellable: boolean, key: string | null): () => void {
    const pages = this.pagesAsked;
    return () => {
      if (cancellable && (key === null ? this.pagesAsked !== pages : this.latest !== key)) throw cancelled();
    };
  }

  /** A new, unbuilt search column for these rows, every order's column dropped: one at a time. */
  private onlyColumn(rows: readonly SessionSummary[]): SearchColumn {
    for (const other of this.orders.values()) other.column = null;
    return new SearchColumn(rows.length);
  }

  /**
   * The search column of the order: made and built now (in slices) when the order has none, the
   * other orders' columns dropped (one column at a time). Null while the order is being sorted again.
   */
  private async columnOf(state: OrderState, checkStale: () => void): Promise<SearchColumn | null> {
    if (state.column) return state.column;
    if (!state.rows || state.stale) return null;
    const column = this.onlyColumn(state.rows);
    state.column = column;
    // Built by the first query of the order that searches or filters, if the table was not quiet
    // long enough for it to be built in the background.
    while (
      state.column === column &&
      state.rows &&
      !state.stale &&
      !column.refresh(state.rows, sliceTimer())
    ) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      checkStale();
    }
    return state.column;
  }

  /**
   * The rows of the order matching the filter, by the search column: its chunks searched one by
   * one, the event loop given a turn between them. Null when changes were applied between two
   * chunks (the rows' positions moved): the caller searches again.
   */
  private async searchColumn(
    state: OrderState,
    column: SearchColumn,
    filter: ResolvedSessionFilter,
    needle: string,
    checkStale: () => void,
  ): Promise<{ rows: SessionSummary[]; pending: number } | null> {
    const rows = state.rows as SessionSummary[];
    const version = state.version;
    // The rows found go to a scratch list kept from one search to the next, then are copied once
    // into a list of the exact size: pushing 100,000 rows into a new list allocates about three
    // times its final size as it grows, and a keystroke's garbage showed in the peak memory.
    const found: Found = {
      rows: this.freeScratch ?? [],
      count: 0,
      pending: 0,
      ...flagsWanted(filter),
      os: filter.os === null ? null : filter.os.toLowerCase(),
    };
    this.freeScratch = null;
    const inIds = mayBeInIds(needle);
    const pause = this.pauser();
    let start = 0;
    try {
      for (let c = 0; c < column.chunkCount; c++) {
        collectChunk(column, c, start, rows, needle, inIds, found);
        const size = column.rowsIn(c);
        start += size;
        const wait = pause(size);
        if (wait) {
          await wait;
          checkStale();
          if (state.version !== version || state.column !== column) return null;
        }
      }
      return { rows: found.rows.slice(0, found.count) as SessionSummary[], pending: found.pending };
    } finally {
      found.rows.fill(undefined, 0, found.count); // the scratch list holds no session between two searches
      this.freeScratch = found.rows;
    }
  }

  /** The sorted rows of the filter's app and column: kept, or sorted now in slices. */
  private async orderOf(filter: Pick<ResolvedSessionFilter, 'folder' | 'sort'>): Promise<OrderState> {
    const key = orderKeyOf(filter);
    for (;;) {
      // Every change already given is in the orders first: a sort started now reads the index
      // as it is, which already holds the changes still queued.
      await this.caughtUp();
      let state = this.orders.get(key);
      if (state?.rows && !state.stale) {
        // Most recently used last: the oldest order goes first when there are too many.
        this.orders.delete(key);
        this.orders.set(key, state);
        return state;
      }
      if (!state || (state.stale && !state.building)) {
        const fresh: OrderState = {
          key,
          folder: filter.folder,
          order: orderFor(filter.sort),
          rows: null,
          building: null,
          stale: false,
          version: 0,
          pending: 0,
          column: null,
        };
        fresh.building = this.sort(fresh);
        this.orders.set(key, fresh);
        while (this.orders.size > MAX_ORDERS) this.orders.delete(this.orders.keys().next().value as string);
        state = fresh;
      }
      const building = state.building;
      if (building) await building.catch(() => {});
      if (state.stale) state.building = null;
    }
  }

  private async sort(state: OrderState): Promise<SessionSummary[]> {
    const rows = this.options.yieldEveryRows
      ? this.sessionsOf(state.folder).slice().sort(state.order.compare)
      : await sortInSlices(this.sessionsOf(state.folder), state.order);
    if (!state.stale) {
      state.rows = rows;
      state.pending = countPending(rows);
      state.version++;
    }
    state.building = null;
    return rows;
  }

  /** A function to call after each change applied: a promise means, await it. */
  private changePauser(): () => Promise<void> | undefined {
    const every = this.options.yieldEveryChanges;
    if (!every) {
      const slicer = new TimeSlicer();
      return () => slicer.pause();
    }
    let count = 0;
    return () => {
      if (++count < every) return undefined;
      count = 0;
      return new Promise<void>((resolve) => setImmediate(resolve));
    };
  }

  /** A function to call now and then in a long loop, with the rows done since: a promise means, await it. */
  private pauser(): (rows?: number) => Promise<void> | undefined {
    const every = this.options.yieldEveryRows;
    if (every) {
      let count = 0;
      return (rows = 256) => {
        count += rows;
        if (count < every) return undefined;
        count = 0;
        return new Promise<void>((resolve) => setImmediate(resolve));
      };
    }
    const slicer = new TimeSlicer();
    return () => slicer.pause();
  }
}

/** What identifies an order: the app and the column it is sorted by. */
const orderKeyOf = (filter: Pick<ResolvedSessionFilter, 'folder' | 'sort'>) =>
  `${filter.folder ?? ''}\u0000${filter.sort ? `${filter.sort.key}:${filter.sort.direction}` : ''}`;

/** What identifies a filter's rows (the window aside). */
function matchingKey(filter: ResolvedSessionFilter): string {
  return `${JSON.stringify({ ...filter, search: '' })}\u0000${filter.search.trim().toLowerCase()}`;
}

/** A function telling when a slice of synchronous work (SLICE_MS) started now is used up. */
function sliceTimer(): () => boolean {
  const end = performance.now() + SLICE_MS;
  return () => performance.now() >= end;
}

/** A search's rows found so far, and what else a row must pass (see `collectChunk`). */
interface Found {
  rows: (SessionSummary | undefined)[];
  count: number;
  pending: number;
  mask: number;
  wanted: number;
  /** The OS asked for, lower-cased; null: any. */
  os: string | null;
}

/**
 * Searches one chunk of the column and adds the rows that pass the other filters to `found`. The
 * work of a search is here and in the column, in functions that do not wait: V8 compiles them
 * once, and the caller that waits between chunks (whose compiled code V8 throws away more often)
 * only counts chunks.
 */
function collectChunk(
  column: SearchColumn,
  chunk: number,
  start: number,
  rows: readonly SessionSummary[],
  needle: string,
  inIds: boolean,
  found: Found,
): void {
  const n = column.searchChunk(chunk, start, rows, needle, inIds);
  const hits = column.hits;
  const flags = column.flagsOf(chunk);
  const { mask, wanted, os } = found;
  for (let h = 0; h < n; h++) {
    const r = hits[h] as number;
    const rowFlags = flags[r] as number;
    if ((rowFlags & mask) !== wanted) continue;
    const row = rows[start + r] as SessionSummary;
    if (os !== null && lowerText(row.device.os) !== os) continue;
    found.rows[found.count++] = row;
    if (rowFlags & ROW_PENDING) found.pending++;
  }
}

/** The filters a row's flags answer: `(flags & mask) === wanted` when the row passes them. */
function flagsWanted(filter: ResolvedSessionFilter): { mask: number; wanted: number } {
  let mask = 0;
  let wanted = 0;
  if (filter.status !== null) {
    mask |= ROW_PENDING | ROW_ACCEPTED;
    wanted |= filter.status === 'pending' ? ROW_PENDING : ROW_ACCEPTED;
  }
  if (filter.simulator !== null) {
    mask |= ROW_SIMULATOR;
    if (filter.simulator) wanted |= ROW_SIMULATOR;
  }
  if (filter.problemsOnly) {
    mask |= ROW_PROBLEMS;
    wanted |= ROW_PROBLEMS;
  }
  if (filter.guest !== null) {
    mask |= ROW_GUEST;
    if (filter.guest) wanted |= ROW_GUEST;
  }
  return { mask, wanted };
}

function countPending(rows: readonly SessionSummary[]): number {
  let pending = 0;
  for (const s of rows) if (s.status === 'pending') pending++;
  return pending;
}

type SessionDelta = Extract<
  WorkspaceDelta,
  { type: 'session-added' | 'session-changed' | 'session-removed' }
>;

/**
 * Quiet time (no change, no query) before the search column of the order shown is built, or its
 * dirty chunks built again: a second, long before an admin who opened an app or clicked a column
 * starts typing, and long enough that orders clicked through and a server writing file after file
 * do not have a column (or its chunks) built for each (each build leaves megabytes of garbage,
 * which showed in the engine's peak memory at 250 ms).
 */
const REFRESH_AFTER_MS = 1000;

/** Above this many changes in one batch, only the order the table shows is kept up to date. */
const ONE_BY_ONE = 32;

/** A batch this large (a scan, a reload) drops the orders: they are sorted again when asked for. */
const SCAN_SIZED = 5000;

/**
 * Applies one session delta to sorted rows (of one app, or of all when `folder` is null), keeping
 * only rows that pass `keep`: a binary search and a splice, never a pass over the rows. Returns
 * how the count of pending rows changed. The order's search column, if any, follows the same
 * removal and insertion.
 */
function applyChange(
  rows: SessionSummary[],
  folder: string | null,
  order: Order,
  delta: SessionDelta,
  keep: (s: SessionSummary) => boolean,
  column: SearchColumn | null = null,
): number {
  if (folder !== null && delta.folder !== folder) return 0;
  let pending = 0;
  const was =
    delta.type === 'session-added'
      ? undefined
      : (replacedSummary(delta) ?? rows.find((s) => s.ref === delta.ref));
  // A row the filter left out is not in the rows: no search for it.
  if (was && keep(was)) {
    const at = removeSortedAt(rows, was, order.compare);
    if (at >= 0) {
      column?.removed(at);
      if (was.status === 'pending') pending--;
    }
  }
  if (delta.type !== 'session-removed' && keep(delta.session)) {
    // Not `column?.inserted(insertSorted(…))`: that would skip the insert itself when there is no column.
    const at = insertSorted(rows, delta.session, order.compare);
    column?.inserted(at);
    if (delta.session.status === 'pending') pending++;
  }
  return pending;
}

const CSV_COLUMNS: [string, (s: SessionSummary) => string][] = [
  ['App folder', (s) => folderOf(s.ref)],
  ['Device', (s) => s.device.description ?? ''],
  ['Status', (s) => s.status ?? ''],
  ['OS', (s) => s.device.os ?? ''],
  ['OS version', (s) => s.device.version ?? ''],
  ['E-mail', (s) => s.email ?? ''],
  ['App version', (s) => s.application.version ?? ''],
  ['Language', (s) => s.language.id ?? ''],
  ['First seen', (s) => s.firstSeen],
  ['Last change', (s) => s.modified],
  ['IP', (s) => s.session.ip ?? ''],
  ['Simulator', (s) => (s.device.simulator ? 'yes' : 'no')],
  ['Session ID', (s) => s.id],
  ['Problems', (s) => s.problems.map((p) => p.code).join(' ')],
];

/**
 * One CSV cell (RFC 4180 quoting). A value starting with = + - @ or a tab is prefixed with `'`
 * so a spreadsheet never runs it as a formula (e-mails and device names come from devices).
 */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The rows as CSV, dates in ISO 8601. `bom`: a UTF-8 byte-order mark first, without which Excel
 * reads the file in the system's ANSI code page and garbles every accented name.
 */
export function sessionsToCsv(rows: SessionSummary[], { bom = false }: { bom?: boolean } = {}): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(row))).join(','));
  return `${bom ? '\uFEFF' : ''}${lines.join('\r\n')}\r\n`;
}
