/**
 * Filtering, sorting and windowing sessions for the table, in the engine process so the renderer
 * only ever holds the rows it shows. Sorted lists are cached per app and order, and dropped when
 * the index changes, so scrolling and typing in the search box cost a filter pass at most.
 */
import type { ResolvedSessionFilter, SessionPage, SortKey } from '../../shared/contract.js';
import type { SessionSummary } from '../../shared/session.js';

type Direction = 'asc' | 'desc';

const text = (value: string | null | undefined) => (value ?? '').toLowerCase();

const sortValue: Record<SortKey, (s: SessionSummary) => string | number> = {
  device: (s) => text(s.device.description),
  status: (s) => s.status ?? '',
  os: (s) => `${text(s.device.os)} ${text(s.device.version)}`,
  email: (s) => text(s.email),
  appVersion: (s) => text(s.application.version),
  language: (s) => text(s.language.id),
  firstSeen: (s) => s.firstSeen,
  modified: (s) => s.modified,
  ip: (s) => text(s.session.ip),
  simulator: (s) => (s.device.simulator ? 1 : 0),
  app: (s) => s.ref,
};

/** Code-point order on lower-cased text: ten times faster than a collator at 100,000 rows, and predictable. */
function compareBy(key: SortKey, direction: Direction) {
  const value = sortValue[key];
  const sign = direction === 'asc' ? 1 : -1;
  return (a: SessionSummary, b: SessionSummary) => {
    const x = value(a);
    const y = value(b);
    if (x !== y) return (x < y ? -1 : 1) * sign;
    return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
  };
}

/** The default order: pending first (they need the admin), then newest first. */
function defaultOrder(a: SessionSummary, b: SessionSummary): number {
  const pa = a.status === 'pending' ? 0 : 1;
  const pb = b.status === 'pending' ? 0 : 1;
  if (pa !== pb) return pa - pb;
  if (a.firstSeen !== b.firstSeen) return a.firstSeen < b.firstSeen ? 1 : -1;
  return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
}

export function sessionMatches(s: SessionSummary, filter: ResolvedSessionFilter, needle: string): boolean {
  if (filter.status !== null && s.status !== filter.status) return false;
  if (filter.os !== null && text(s.device.os) !== filter.os.toLowerCase()) return false;
  if (filter.simulator !== null && s.device.simulator !== filter.simulator) return false;
  if (filter.problemsOnly && s.problems.length === 0) return false;
  if (needle === '') return true;
  return (
    text(s.device.description).includes(needle) ||
    text(s.email).includes(needle) ||
    s.id.toLowerCase().includes(needle) ||
    text(s.session.ip).includes(needle)
  );
}

export class SessionQuery {
  private version = 0;
  private readonly sorted = new Map<string, SessionSummary[]>();
  private lastFilter: { key: string; rows: SessionSummary[]; pending: number } | null = null;

  /** `sessionsOf(null)` is every session of every app. */
  constructor(private readonly sessionsOf: (folder: string | null) => SessionSummary[]) {}

  /** The index changed: cached orders are stale. */
  invalidate(): void {
    this.version += 1;
    this.sorted.clear();
    this.lastFilter = null;
  }

  private sortedSessions(filter: ResolvedSessionFilter): SessionSummary[] {
    const key = `${filter.folder ?? ''}\u0000${filter.sort ? `${filter.sort.key}:${filter.sort.direction}` : ''}`;
    let rows = this.sorted.get(key);
    if (!rows) {
      rows = [...this.sessionsOf(filter.folder)];
      rows.sort(filter.sort ? compareBy(filter.sort.key, filter.sort.direction) : defaultOrder);
      this.sorted.set(key, rows);
    }
    return rows;
  }

  /** Every session matching the filter, in the table's order. */
  matching(filter: ResolvedSessionFilter): { rows: SessionSummary[]; pending: number; total: number } {
    const all = this.sortedSessions(filter);
    const key = `${this.version}\u0000${JSON.stringify(filter)}`;
    if (this.lastFilter?.key !== key) {
      const needle = filter.search.trim().toLowerCase();
      const rows = all.filter((s) => sessionMatches(s, filter, needle));
      this.lastFilter = { key, rows, pending: rows.filter((s) => s.status === 'pending').length };
    }
    return { rows: this.lastFilter.rows, pending: this.lastFilter.pending, total: all.length };
  }

  page(filter: ResolvedSessionFilter, offset: number, limit: number): SessionPage {
    const { rows, pending, total } = this.matching(filter);
    return {
      total,
      matching: rows.length,
      matchingPending: pending,
      offset,
      rows: rows.slice(offset, offset + limit),
    };
  }
}

const CSV_COLUMNS: [string, (s: SessionSummary) => string][] = [
  ['App folder', (s) => s.ref.split('/')[0] ?? ''],
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

export function sessionsToCsv(rows: SessionSummary[]): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const row of rows) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
