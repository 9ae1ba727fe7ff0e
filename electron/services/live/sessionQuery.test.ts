import { describe, expect, it } from 'vitest';
import { type ResolvedSessionFilter, sessionFilterSchema } from '../../../shared/contract.js';
import type { SessionSummary } from '../../../shared/session.js';
import { SessionQuery, sessionsToCsv } from './sessionQuery.js';

function session(
  id: string,
  fields: { status?: 'accepted' | 'pending'; email?: string; device?: string; firstSeen?: string },
): SessionSummary {
  return {
    ref: `APP/${id}`,
    id,
    status: fields.status ?? 'accepted',
    email: fields.email ?? '',
    device: {
      id: null,
      description: fields.device ?? 'iPhone 13',
      os: 'iOS',
      version: '17.5',
      simulator: false,
      jailbroken: false,
      pushRegistered: false,
    },
    application: { id: 'com.acme', name: 'Acme', version: '1.0' },
    team: { id: null, name: null },
    language: { id: 'en_US', code: 'en', region: 'US' },
    session: { id, ip: '::1' },
    firstSeen: fields.firstSeen ?? '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    problems: [],
  };
}

const filter = (input: Partial<ResolvedSessionFilter> = {}): ResolvedSessionFilter =>
  sessionFilterSchema.parse(input);

const rows = [
  session('a1', { email: 'Zoe@acme.com', firstSeen: '2026-01-03T00:00:00.000Z' }),
  session('b2', { email: 'adam@acme.com', status: 'pending', firstSeen: '2026-01-01T00:00:00.000Z' }),
  session('c3', { email: 'abby@other.org', status: 'pending', firstSeen: '2026-01-02T00:00:00.000Z' }),
  session('d4', { email: '=HYPERLINK("x")', device: 'Pixel, 8' }),
];

describe('the table query', () => {
  it('orders pending first, newest first, by default; by a column when asked', () => {
    const query = new SessionQuery(() => rows);
    expect(query.page(filter(), 0, 10).rows.map((r) => r.id)).toEqual(['c3', 'b2', 'a1', 'd4']);
    const byEmail = query
      .page(filter({ sort: { key: 'email', direction: 'asc' } }), 0, 10)
      .rows.map((r) => r.email);
    expect(byEmail).toEqual(['=HYPERLINK("x")', 'abby@other.org', 'adam@acme.com', 'Zoe@acme.com']);
    const desc = query
      .page(filter({ sort: { key: 'email', direction: 'desc' } }), 0, 10)
      .rows.map((r) => r.id);
    expect(desc).toEqual(['a1', 'b2', 'c3', 'd4']);
  });

  it('narrows while typing exactly as a fresh search would, and widens again', () => {
    const query = new SessionQuery(() => rows);
    const typed = ['a', 'ac', 'acm', 'ac', 'a', ''].map((search) =>
      query.page(filter({ search }), 0, 10).rows.map((r) => r.id),
    );
    const fresh = ['a', 'ac', 'acm', 'ac', 'a', ''].map((search) =>
      new SessionQuery(() => rows).page(filter({ search }), 0, 10).rows.map((r) => r.id),
    );
    expect(typed).toEqual(fresh);
    expect(fresh[2]).toEqual(['b2', 'a1']);
  });

  it('finds the same rows after warming up its search texts', async () => {
    const cold = new SessionQuery(() => rows).page(filter({ search: 'acme' }), 0, 10).rows.map((r) => r.id);
    const warm = new SessionQuery(() => rows);
    await warm.warmUp();
    expect(warm.page(filter({ search: 'acme' }), 0, 10).rows.map((r) => r.id)).toEqual(cold);
  });

  it('counts matching and pending, windows the rows, and forgets its caches when told', () => {
    let data = rows;
    const query = new SessionQuery(() => data);
    expect(query.page(filter({ status: 'pending' }), 1, 1)).toMatchObject({
      total: 4,
      matching: 2,
      matchingPending: 2,
      offset: 1,
    });
    data = rows.slice(0, 2);
    expect(query.page(filter(), 0, 10).total).toBe(4); // cached until invalidated
    query.invalidate();
    expect(query.page(filter(), 0, 10).total).toBe(2);
  });

  it('exports CSV that a spreadsheet cannot run as a formula', () => {
    const csv = sessionsToCsv([rows[3] as SessionSummary]);
    const [header, line] = csv.trim().split('\r\n');
    expect(header?.startsWith('App folder,Device,Status')).toBe(true);
    expect(line).toContain('"Pixel, 8"');
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
