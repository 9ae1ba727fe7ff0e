/**
 * Filtering, sorting and windowing sessions for the table, in the engine process so the renderer
 * only ever holds the rows it shows.
 *
 * - Orders (per app and column) are sorted once, in time slices (sessionOrder.ts), then kept up to
 *   date delta by delta: a changed session is removed and inserted by binary search, never a
 *   re-sort. Only a batch as large as a scan drops them (they are sorted again when asked for).
 * - The rows matching the last filter are kept up to date the same way; typing more narrows them.
 * - A filter pass gives the event loop a turn every few milliseconds, and a query whose filter is
 *   no longer the latest one asked for is cancelled there (`cancelled`): its answer is never
 *   computed to the end, and never replaces the newer one's.
 */
import { isGuest } from '../../../shared/cleanup.js';
import type { ResolvedSessionFilter, SessionPage } from '../../../shared/contract.js';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import { AppError } from '../../../shared/errors.js';
import type { SessionSummary } from '../../../shared/session.js';
import { folderOf } from '../../../shared/text.js';
import { replacedSummary } from './sessionIndex.js';
import {
  insertSorted,
  lowerText,
  mergeChanges,
  type Order,
  orderFor,
  removeSorted,
  sortInSlices,
} from './sessionOrder.js';
import { TimeSlicer } from './timeSlices.js';

/**
 * Device models repeat across thousands of sessions (the index shares one string per model):
 * each is lower-cased once here.
 */
const lowerModels = new Map<string, string>();
function lowerModel(value: string | null): string {
  if (value === null) return '';
  let lower = lowerModels.get(value);
  if (lower === undefined) {
    lower = value.toLowerCase();
    if (lowerModels.size < 10_000) lowerModels.set(value, lower);
  }
  return lower;
}

/**
 * What the search box looks in: device, e-mail, session id and IP, case-insensitively. Nothing is
 * kept per session: a lower-cased copy of each session's text (a WeakMap of 100,000 strings) cost
 * about 20 MB. A session id is hexadecimal and an IP hexadecimal digits, dots and colons: a needle
 * with any other character is not looked for in them.
 */
interface Needle {
  text: string;
  /** Could be part of a session id or an IP address. */
  inIds: boolean;
}

const needleOf = (text: string): Needle => ({ text, inIds: /^[0-9a-f.:]*$/.test(text) });

function searchMatches(s: SessionSummary, needle: Needle): boolean {
  const text = needle.text;
  if (lowerModel(s.device.description).includes(text) || lowerText(s.email).includes(text)) return true;
  if (!needle.inIds) return false;
  return s.id.toLowerCase().includes(text) || lowerText(s.session.ip).includes(text);
}

export function sessionMatches(s: SessionSummary, filter: ResolvedSessionFilter, needle: string): boolean {
  return matchesWith(s, filter, needleOf(needle));
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
}

const cancelled = () => new AppError('cancelled', 'A newer query replaced this one before it was answered.');

export class SessionQuery {
  private readonly orders = new Map<string, OrderState>();
  private last: Matching | null = null;
  /** The filter of the newest page asked for: older ones still running are cancelled. */
  private latest: string | null = null;
  private readonly inflight = new Map<string, Promise<Matching>>();

  /** `sessionsOf(null)` is every session of every app. */
  constructor(
    private readonly sessionsOf: (folder: string | null) => SessionSummary[],
    private readonly options: SessionQueryOptions = {},
  ) {}

  /** Sorts the default order of All apps in slices, so the table's first query does not pay for it. */
  async warmUp(): Promise<void> {
    await this.orderOf({ folder: null, sort: null });
  }

  /** The index changed in ways deltas do not say (another folder, a reload): forget everything. */
  invalidate(): void {
    for (const state of this.orders.values()) state.stale = true;
    this.orders.clear();
    this.last = null;
  }

  /** Keeps the orders and the last matching rows equal to the index after these deltas. */
  apply(deltas: readonly WorkspaceDelta[]): void {
    const changes: SessionDelta[] = [];
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
        changes.push(delta);
    }
    if (changes.length === 0) return;
    const last = this.last;
    const lastState = last ? this.orders.get(last.orderKey) : undefined;
    const lastInStep = last !== null && lastState?.rows != null && last.orderVersion === lastState.version;
    for (const state of this.orders.values()) {
      // A large batch is merged into the order the table shows; the others are sorted again
      // when asked for (merging all of them would hold the event loop).
      if (!state.rows || (changes.length > ONE_BY_ONE && state !== lastState)) {
        state.stale = true;
        continue;
      }
      const before = state.rows;
      state.rows = applyChanges(before, state.folder, state.order, changes, () => true);
      state.version++;
      if (last && last.rows === before) last.rows = state.rows;
    }
    if (!last) return;
    if (!lastInStep || !lastState?.rows) {
      this.last = null;
      return;
    }
    last.orderVersion = lastState.version;
    if (last.rows !== lastState.rows) {
      last.rows = applyChanges(last.rows, lastState.folder, lastState.order, changes, (s) =>
        sessionMatches(s, last.filter, last.needle),
      );
    }
    last.pending = countPending(last.rows);
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
    this.latest = matchingKey(filter);
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
    const checkStale = () => {
      if (cancellable && this.latest !== key) throw cancelled();
    };
    for (let attempt = 0; ; attempt++) {
      const state = await this.orderOf(filter);
      checkStale();
      const rows = state.rows as SessionSummary[];
      const version = state.version;
      const last = this.last;
      if (last?.key === key && last.orderKey === state.key && last.orderVersion === version) return last;
      const needle = filter.search.trim().toLowerCase();
      const base = key.slice(0, key.lastIndexOf('\u0000'));
      let matched: SessionSummary[];
      let pending = 0;
      if (filterless(filter, needle)) {
        matched = rows;
        pending = countPending(rows);
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

  /** The sorted rows of the filter's app and column: kept, or sorted now in slices. */
  private async orderOf(filter: Pick<ResolvedSessionFilter, 'folder' | 'sort'>): Promise<OrderState> {
    const key = `${filter.folder ?? ''}\u0000${filter.sort ? `${filter.sort.key}:${filter.sort.direction}` : ''}`;
    for (;;) {
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
      state.version++;
    }
    state.building = null;
    return rows;
  }

  /** A function to call now and then in a long loop: a promise means, await it. */
  private pauser(): () => Promise<void> | undefined {
    const every = this.options.yieldEveryRows;
    if (every) {
      let count = 0;
      return () => {
        count += 256;
        if (count < every) return undefined;
        count = 0;
        return new Promise<void>((resolve) => setImmediate(resolve));
      };
    }
    const slicer = new TimeSlicer();
    return () => slicer.pause();
  }
}

/** What identifies a filter's rows (the window aside). */
function matchingKey(filter: ResolvedSessionFilter): string {
  return `${JSON.stringify({ ...filter, search: '' })}\u0000${filter.search.trim().toLowerCase()}`;
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

/** Changes applied one by one below this many, merged in one pass above. */
const ONE_BY_ONE = 32;

/**
 * Applies session deltas to sorted rows (of one app, or of all when `folder` is null), keeping
 * only rows that pass `keep`; may change `rows` in place, returns the rows.
 */
function applyChanges(
  rows: SessionSummary[],
  folder: string | null,
  order: Order,
  deltas: readonly SessionDelta[],
  keep: (s: SessionSummary) => boolean,
): SessionSummary[] {
  const mine = folder === null ? deltas : deltas.filter((d) => d.folder === folder);
  if (mine.length === 0) return rows;
  const old = (delta: SessionDelta) =>
    delta.type === 'session-added'
      ? undefined
      : (replacedSummary(delta) ?? rows.find((s) => s.ref === delta.ref));
  if (mine.length <= ONE_BY_ONE) {
    for (const delta of mine) {
      const was = old(delta);
      if (was) removeSorted(rows, was, order.compare);
      if (delta.type !== 'session-removed' && keep(delta.session))
        insertSorted(rows, delta.session, order.compare);
    }
    return rows;
  }
  const removed = new Set<SessionSummary>();
  const added: SessionSummary[] = [];
  for (const delta of mine) {
    const was = old(delta);
    if (was) removed.add(was);
    if (delta.type !== 'session-removed' && keep(delta.session)) added.push(delta.session);
  }
  // A session changed twice in the batch: its middle version is both added and replaced.
  return mergeChanges(
    rows,
    removed,
    added.filter((s) => !removed.has(s)),
    order.compare,
  );
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
