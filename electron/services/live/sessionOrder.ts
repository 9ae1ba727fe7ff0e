/**
 * The table's orders: how two sessions compare for a column (or the default order), a sort of
 * 100,000 rows that gives the event loop a turn every few milliseconds, and the binary-search
 * insert and remove that keep a sorted list up to date when one session changes, instead of
 * sorting it all again.
 */
import type { SortKey } from '../../../shared/contract.js';
import type { SessionSummary } from '../../../shared/session.js';
import { TimeSlicer } from './timeSlices.js';

export type Direction = 'asc' | 'desc';

export const lowerText = (value: string | null | undefined) => (value ?? '').toLowerCase();

const sortValue: Record<SortKey, (s: SessionSummary) => string | number> = {
  device: (s) => lowerText(s.device.description),
  status: (s) => s.status ?? '',
  os: (s) => `${lowerText(s.device.os)} ${lowerText(s.device.version)}`,
  email: (s) => lowerText(s.email),
  appVersion: (s) => lowerText(s.application.version),
  language: (s) => lowerText(s.language.id),
  firstSeen: (s) => s.firstSeen,
  modified: (s) => s.modified,
  ip: (s) => lowerText(s.session.ip),
  simulator: (s) => (s.device.simulator ? 1 : 0),
  app: (s) => s.ref,
};

const byRef = (a: SessionSummary, b: SessionSummary) => (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0);

/** The default order: pending first (they need the admin), then newest first. */
export function defaultOrder(a: SessionSummary, b: SessionSummary): number {
  const pa = a.status === 'pending' ? 0 : 1;
  const pb = b.status === 'pending' ? 0 : 1;
  if (pa !== pb) return pa - pb;
  if (a.firstSeen !== b.firstSeen) return a.firstSeen < b.firstSeen ? 1 : -1;
  return byRef(a, b);
}

/**
 * One order of the table. Every comparison ends on the ref, so no two sessions are equal: a
 * session's place is exact, and a binary search finds it. Text is compared in code-point order on
 * lower-cased text, ten times faster than a collator at 100,000 rows.
 */
export interface Order {
  compare(a: SessionSummary, b: SessionSummary): number;
  /** The sort value of each row, computed once per row for a full sort (null: compare rows). */
  valueOf: ((s: SessionSummary) => string | number) | null;
  sign: number;
}

export function orderFor(sort: { key: SortKey; direction: Direction } | null): Order {
  if (!sort) return { compare: defaultOrder, valueOf: null, sign: 1 };
  const value = sortValue[sort.key];
  const sign = sort.direction === 'asc' ? 1 : -1;
  return {
    compare: (a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va !== vb) return (va < vb ? -1 : 1) * sign;
      return byRef(a, b);
    },
    valueOf: value,
    sign,
  };
}

/** Rows per run sorted in one go before the merges: about a millisecond of work. */
const RUN = 1024;

/**
 * Sorts `rows` in `order` into a new list, pausing every few milliseconds (a bottom-up merge sort:
 * runs sorted with a typed array's sort, then merged pass by pass, each pass in slices). Gives
 * exactly what a plain sort with `order.compare` gives. `rows` must not change until it resolves
 * (callers give a list of their own).
 *
 * What is sorted is the rows' positions, in Int32Arrays, with each row's sort value computed once
 * beforehand: an object per row pairing it with its value cost 4 MB of garbage per sort at 100,000
 * rows, and the arrays of positions live outside V8's heap.
 */
export async function sortInSlices(rows: readonly SessionSummary[], order: Order): Promise<SessionSummary[]> {
  const slicer = new TimeSlicer();
  const pause = async () => {
    const wait = slicer.pause();
    if (wait) await wait;
  };
  const n = rows.length;
  const row = (i: number) => rows[i] as SessionSummary;
  let compare: (a: number, b: number) => number;
  const value = order.valueOf;
  if (value) {
    const keys: (string | number)[] = new Array(n);
    for (let i = 0; i < n; i++) {
      keys[i] = value(row(i));
      if ((i & 1023) === 1023) await pause();
    }
    const sign = order.sign;
    compare = (a, b) => {
      const ka = keys[a] as string | number;
      const kb = keys[b] as string | number;
      return ka !== kb ? (ka < kb ? -1 : 1) * sign : byRef(row(a), row(b));
    };
  } else {
    compare = (a, b) => order.compare(row(a), row(b));
  }
  const positions = new Int32Array(n);
  for (let i = 0; i < n; i++) positions[i] = i;
  const sorted = await mergeSortInSlices(positions, compare, pause);
  const out: SessionSummary[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = row(sorted[i] as number);
  return out;
}

async function mergeSortInSlices(
  items: Int32Array,
  compare: (a: number, b: number) => number,
  pause: () => Promise<void>,
): Promise<Int32Array> {
  const n = items.length;
  for (let start = 0; start < n; start += RUN) {
    items.subarray(start, start + RUN).sort(compare);
    await pause();
  }
  let from: Int32Array = items;
  let to: Int32Array = new Int32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    let steps = 0;
    for (let left = 0; left < n; left += 2 * width) {
      const mid = Math.min(left + width, n);
      const right = Math.min(left + 2 * width, n);
      let i = left;
      let j = mid;
      let k = left;
      while (i < mid && j < right) {
        if (compare(from[j] as number, from[i] as number) < 0) to[k++] = from[j++] as number;
        else to[k++] = from[i++] as number;
        if ((++steps & 4095) === 0) await pause();
      }
      while (i < mid) to[k++] = from[i++] as number;
      while (j < right) to[k++] = from[j++] as number;
    }
    [from, to] = [to, from];
    await pause();
  }
  return from;
}

/** The index at which `row` is, or would be inserted, in `rows` sorted by `compare`. */
export function lowerBound(
  rows: readonly SessionSummary[],
  row: SessionSummary,
  compare: Order['compare'],
): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(rows[mid] as SessionSummary, row) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts `row` at its place; returns the index. */
export function insertSorted(rows: SessionSummary[], row: SessionSummary, compare: Order['compare']): number {
  const at = lowerBound(rows, row, compare);
  rows.splice(at, 0, row);
  return at;
}

/**
 * Removes this very object (the summary a change replaced) from `rows`; returns the index it was
 * at (-1: it was not there). Found by binary search; by a scan for the object only if the list
 * was not in order.
 */
export function removeSortedAt(
  rows: SessionSummary[],
  row: SessionSummary,
  compare: Order['compare'],
): number {
  let at = lowerBound(rows, row, compare);
  if (rows[at] !== row) at = rows.indexOf(row);
  if (at < 0) return -1;
  rows.splice(at, 1);
  return at;
}
