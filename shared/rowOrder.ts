/**
 * Whether a change to a session can move its row, or take it in or out of the rows a filter
 * shows. The engine filters and sorts (electron/services/live/sessionQuery.ts); the renderer only
 * needs to know when a changed row can stay where it is, patched in place, and when the rows on
 * screen must be fetched again. Conservative: any field the filter or the order reads counts
 * (electron/services/live/sessionQuery.rowOrder.test.ts checks it against the engine's query).
 */
import type { SessionFilter, SessionSummary, SortKey } from './contract.js';

type Filters = Required<
  Pick<SessionFilter, 'status' | 'os' | 'simulator' | 'guest' | 'problemsOnly' | 'search'>
>;
type Sort = { key: SortKey; direction: 'asc' | 'desc' } | null;

type Field = (s: SessionSummary) => unknown;

/** What each column's order reads. */
const SORT_FIELDS: Record<SortKey, Field[]> = {
  device: [(s) => s.device.description],
  status: [(s) => s.status],
  os: [(s) => s.device.os, (s) => s.device.version],
  email: [(s) => s.email],
  appVersion: [(s) => s.application.version],
  language: [(s) => s.language.id],
  firstSeen: [(s) => s.firstSeen],
  modified: [(s) => s.modified],
  ip: [(s) => s.session.ip],
  simulator: [(s) => s.device.simulator],
  app: [(s) => s.ref],
};

/** The default order: pending first, then newest first (then by ref, which never changes). */
const DEFAULT_ORDER: Field[] = [(s) => s.status, (s) => s.firstSeen];

/** What the search box looks in. */
const SEARCHED: Field[] = [(s) => s.device.description, (s) => s.email, (s) => s.id, (s) => s.session.ip];

function fieldsRead(filters: Filters, sort: Sort): Field[] {
  const fields = [...(sort ? SORT_FIELDS[sort.key] : DEFAULT_ORDER)];
  if (filters.status !== null) fields.push((s) => s.status);
  if (filters.os !== null) fields.push((s) => s.device.os);
  if (filters.simulator !== null) fields.push((s) => s.device.simulator);
  if (filters.guest !== null) fields.push((s) => s.email);
  if (filters.problemsOnly) fields.push((s) => s.problems.length > 0);
  if (filters.search.trim() !== '') fields.push(...SEARCHED);
  return fields;
}

/** True when `after` may sit elsewhere in the order than `before`, or match the filter differently. */
export function rowMayMove(
  filters: Filters,
  sort: Sort,
  before: SessionSummary,
  after: SessionSummary,
): boolean {
  return fieldsRead(filters, sort).some((field) => field(before) !== field(after));
}
