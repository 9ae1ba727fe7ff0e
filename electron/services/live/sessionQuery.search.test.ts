/**
 * The table's searches through the search column, against a brute force: random sessions, random
 * filters and searches, random changes applied in between; every answer must equal a plain filter
 * of a fresh sort of the index as it is.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { isGuest } from '../../../shared/cleanup.js';
import {
  type ResolvedSessionFilter,
  type SessionPage,
  type SortKey,
  sessionFilterSchema,
} from '../../../shared/contract.js';
import type { SessionSummary } from '../../../shared/session.js';
import { summaryOf } from '../../../test/support/sessionSummaries.js';
import { SearchColumn } from './searchColumn.js';
import { SessionIndex } from './sessionIndex.js';
import { orderFor } from './sessionOrder.js';
import { SessionQuery, type SessionQueryOptions } from './sessionQuery.js';

const pick = <T>(...values: T[]) => fc.constantFrom(...values);

const fields = fc.record({
  status: pick<'accepted' | 'pending' | null>('accepted', 'pending', 'pending', null),
  email: pick<string | null>('Ann.B@Acme.com', 'zoë@exämple.org', 'a1@b.c', 'ΟΔΥΣΣΕΥΣ@x.gr', ' ', '', null),
  device: pick<string | null>('iPhone 13', 'Pixel 8', 'İPAD', 'iPad', null),
  os: pick<string | null>('iOS', 'Android', null),
  ip: pick<string | null>('::1', '10.0.0.7', 'FE80::1', null),
  simulator: fc.boolean(),
  problem: fc.boolean(),
  day: fc.integer({ min: 1, max: 4 }),
});
type Fields = typeof fields extends fc.Arbitrary<infer T> ? T : never;

/** Ids made of hexadecimal digits, and a few that are not. */
const idOf = (n: number) => (n % 5 === 0 ? `g${n}` : `${n.toString(16).toUpperCase()}ab`);

function summary(folder: string, n: number, f: Fields): SessionSummary {
  const id = idOf(n);
  return summaryOf(`${folder}/${id}`, id, {
    ...f,
    osVersion: '1',
    firstSeen: `2026-01-0${f.day}T00:00:00.000Z`,
    modified: '2026-02-01T00:00:00.000Z',
  });
}

/** The app and the column: one or two per run, so most queries search an order kept through changes. */
const views = fc.record({
  folder: pick<string | null>(null, 'A'),
  sort: pick<{ key: SortKey; direction: 'asc' | 'desc' } | null>(
    null,
    { key: 'email', direction: 'asc' },
    { key: 'device', direction: 'desc' },
    { key: 'ip', direction: 'asc' },
  ),
});

const filters = fc.record({
  view: fc.nat(),
  search: pick(
    '',
    'a',
    'A',
    'e',
    '1',
    '.',
    ':',
    'x',
    'g',
    'ab',
    'ANN.B',
    ' 13 ',
    'ë',
    'σ',
    'i',
    'ff',
    'fe80',
  ),
  status: pick<'accepted' | 'pending' | null>(null, null, 'pending', 'accepted'),
  os: pick<string | null>(null, null, 'ios', 'Android'),
  simulator: pick<boolean | null>(null, null, true, false),
  guest: pick<boolean | null>(null, null, true, false),
  problemsOnly: fc.boolean(),
});

/** The filter, written out plainly (the search: one field at a time, case ignored by Unicode case folding). */
function bruteMatches(s: SessionSummary, f: ResolvedSessionFilter): boolean {
  if (f.status !== null && s.status !== f.status) return false;
  if (f.os !== null && (s.device.os ?? '').toLowerCase() !== f.os.toLowerCase()) return false;
  if (f.simulator !== null && s.device.simulator !== f.simulator) return false;
  if (f.problemsOnly && s.problems.length === 0) return false;
  if (f.guest !== null && isGuest(s) !== f.guest) return false;
  const needle = f.search.trim().toLowerCase();
  if (needle === '') return true;
  const inIds = /^[0-9a-f.:]*$/.test(needle);
  const searched = [s.device.description, s.email, ...(inIds ? [s.id, s.session.ip] : [])];
  const literal = new RegExp(needle.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'iu');
  return searched.some((field) => literal.test(field ?? ''));
}

const change = fc.record({
  n: fc.integer({ min: 0, max: 79 }),
  remove: fc.boolean(),
  fields,
});

describe('the table search (search column)', () => {
  it('answers every filter and search as a brute-force filter of a fresh sort, through random changes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fields, { minLength: 0, maxLength: 60 }),
        fc.array(views, { minLength: 1, maxLength: 2 }),
        fc.array(
          fc.record({
            // Small batches reach every order, large ones (a burst) only the order shown last.
            changes: fc.oneof(
              fc.array(change, { maxLength: 8 }),
              fc.array(change, { minLength: 33, maxLength: 80 }),
            ),
            queries: fc.array(filters, { minLength: 1, maxLength: 4 }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        async (initial, viewList, steps) => {
          const index = new SessionIndex('/root');
          index.addApp('A', null);
          index.addApp('B', null);
          const folderOf = (n: number) => (n % 3 === 0 ? 'B' : 'A');
          const write = (n: number, f: Fields | null) =>
            f === null
              ? index.applyRead(folderOf(n), idOf(n), { kind: 'absent' })
              : index.applyRead(folderOf(n), idOf(n), {
                  kind: 'session',
                  summary: summary(folderOf(n), n, f),
                  stamp: null as never,
                });
          for (const [n, f] of initial.entries()) write(n, f);
          const sessionsOf = (folder: string | null) =>
            [...index.apps.values()].flatMap((app) =>
              folder === null || app.folder === folder ? [...app.sessions.values()] : [],
            );
          // Small chunks of rows per turn of the event loop: changes land between a search's slices.
          const query = new SessionQuery(sessionsOf, { yieldEveryRows: 16, yieldEveryChanges: 5 });
          for (const step of steps) {
            const deltas = step.changes.flatMap((c) => write(c.n, c.remove ? null : c.fields));
            query.apply(deltas);
            // Each view plain too (no search, no filter): its count of pending rows is kept, not counted.
            const plain = viewList.map((view) => ({ view: 0, ...view }));
            for (const { view, ...input } of [...step.queries, ...plain]) {
              const filter = sessionFilterSchema.parse({ ...viewList[view % viewList.length], ...input });
              const expected = sessionsOf(filter.folder)
                .sort(orderFor(filter.sort).compare)
                .filter((s) => bruteMatches(s, filter));
              const page = await query.page(filter, 0, 1000);
              expect(page.rows.map((s) => s.ref)).toEqual(expected.map((s) => s.ref));
              expect(page.matching).toBe(expected.length);
              expect(page.matchingPending).toBe(expected.filter((s) => s.status === 'pending').length);
              expect(page.total).toBe(sessionsOf(filter.folder).length);
              const all = await query.matching(filter);
              expect(all.rows.map((s) => s.ref)).toEqual(expected.map((s) => s.ref));
              expect(all.pending).toBe(page.matchingPending);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** An index of one app, A, with `count` sessions of these fields, and the table's queries over it. */
function oneApp(count: number, fields: Fields, options: SessionQueryOptions = {}) {
  const index = new SessionIndex('/root');
  index.addApp('A', null);
  const write = (n: number, f: Fields = fields) =>
    index.applyRead('A', idOf(n), { kind: 'session', summary: summary('A', n, f), stamp: null as never });
  for (let n = 0; n < count; n++) write(n);
  const query = new SessionQuery(() => [...(index.apps.get('A')?.sessions.values() ?? [])], options);
  return { write, query };
}

const IPAD: Fields = {
  status: 'pending',
  email: 'someone@acme.com',
  device: 'iPad',
  os: 'iOS',
  ip: null,
  simulator: false,
  problem: false,
  day: 1,
};

describe('the search column of the order shown', () => {
  it('is made for the order shown once the table is quiet, or by a search, one at a time, and its changed chunks built again', async () => {
    const some: Fields = {
      status: 'pending',
      email: 'Someone@Acme.com',
      device: 'iPad',
      os: 'iOS',
      ip: '::1',
      simulator: false,
      problem: false,
      day: 1,
    };
    const { write, query } = oneApp(3000, some);
    const byEmail = sessionFilterSchema.parse({ sort: { key: 'email', direction: 'asc' } });
    const byDevice = sessionFilterSchema.parse({ sort: { key: 'device', direction: 'desc' } });
    // Every chunk built: each row's text (at least its id, 32 bits of offsets twice, a byte of flags).
    const fullyBuilt = 3000 * 9;

    // A plain query (a click on a column) makes none at once: clicks in a row build nothing.
    await query.page(byDevice, 0, 10);
    await query.page(byEmail, 0, 10);
    expect(query.searchColumns().filter((c) => c.order === '\u0000email:asc')).toEqual([]);
    // Once the table is quiet, the order shown gets its column, whole: the only one.
    await vi.waitFor(
      () =>
        expect(query.searchColumns()).toMatchObject([{ order: '\u0000email:asc', rows: 3000, dirty: false }]),
      { timeout: 20_000, interval: 50 },
    );
    expect(query.searchColumns()[0]?.bytes).toBeGreaterThan(fullyBuilt);
    expect((await query.page({ ...byEmail, search: 'someone' }, 0, 10)).matching).toBe(3000);

    // Changes leave the chunks they touched to be built again, which happens once it is quiet.
    query.apply(
      Array.from({ length: 40 }, (_, i) => write(i * 70, { ...some, email: `x${i}@acme.com` })).flat(),
    );
    expect((await query.page(byEmail, 0, 10)).total).toBe(3000);
    expect(query.searchColumns()[0]?.dirty).toBe(true);
    await vi.waitFor(() => expect(query.searchColumns()[0]).toMatchObject({ dirty: false, rows: 3000 }), {
      timeout: 20_000,
      interval: 50,
    });
    expect(query.searchColumns()[0]?.bytes).toBeGreaterThan(fullyBuilt);

    // Another order's search takes the column over: one at a time.
    expect((await query.page({ ...byDevice, search: 'X1' }, 0, 10)).matching).toBe(11);
    expect(query.searchColumns()).toMatchObject([{ order: '\u0000device:desc', rows: 3000 }]);
  });

  it('is made at once for an app shown in its default order, changes coming or not', async () => {
    // Timers stopped (the event loop's other turns run): what is built at once is built before
    // any time passes, what waits for a quiet second is not.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const { write, query } = oneApp(500, IPAD);
      const byEmail = sessionFilterSchema.parse({ folder: 'A', sort: { key: 'email', direction: 'asc' } });
      const app = sessionFilterSchema.parse({ folder: 'A' });

      // Sorted by a column: no column until the table has been quiet for a second.
      await query.page(byEmail, 0, 10);
      await vi.advanceTimersByTimeAsync(10);
      expect(query.searchColumns()).toEqual([]);

      // The app in its default order: at once, even with a server writing meanwhile (the change
      // queued and applied in slices, whose end asks for the column again).
      await query.page(app, 0, 10);
      query.apply(write(1000));
      await query.page(app, 100, 10); // the table's next block
      await vi.advanceTimersByTimeAsync(10);
      expect(query.searchColumns().map((c) => c.order)).toEqual(['A\u0000']);
      await vi.waitFor(() =>
        expect(query.searchColumns()).toMatchObject([{ order: 'A\u0000', dirty: false }]),
      );
      expect(query.searchColumns()[0]?.rows).toBe(501);

      // The folder settles after that (the engine's warm-up sorts All apps): the app keeps its column.
      await query.warmUp();
      expect(query.searchColumns()).toMatchObject([{ order: 'A\u0000', dirty: false }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is searched once per process when first built, its rows thrown away, and a page asked for stops that', async () => {
    // What the table's searches look for in the column, in order (the warm-up's among them).
    const searched: string[] = [];
    // Called (once) as a chunk is searched for "e": what the admin does at that very moment.
    let duringWarmUp: (() => void) | null = null;
    const searchChunk = SearchColumn.prototype.searchChunk;
    const spy = vi.spyOn(SearchColumn.prototype, 'searchChunk').mockImplementation(function (
      this: SearchColumn,
      ...args
    ) {
      searched.push(args[3]);
      const act = args[3] === 'e' ? duringWarmUp : null;
      duringWarmUp = null;
      act?.();
      return searchChunk.apply(this, args);
    });
    try {
      const app = sessionFilterSchema.parse({ folder: 'A' });
      const warmth = { warm: false };
      // 2,000 rows in chunks of 256, a turn of the event loop after each: the warm-up takes 8 turns a search.
      const { query } = oneApp(2000, IPAD, { searchWarmth: warmth, yieldEveryRows: 256 });
      await query.page(app, 0, 10);
      // The column is built at once (the app is shown in its default order), then searched for a
      // common letter and the first two of a device (both ways a search runs), nothing kept.
      await vi.waitFor(() => expect(new Set(searched)).toEqual(new Set(['e', 'ip'])), { interval: 5 });
      await vi.waitFor(() => expect(searched.filter((n) => n === 'ip')).toHaveLength(8), { interval: 5 });
      expect(searched.filter((n) => n === 'e')).toHaveLength(8);
      expect(warmth.warm).toBe(true);
      expect(await query.page({ ...app, search: 'ip' }, 0, 10)).toMatchObject({ matching: 2000 });
      expect((await query.page(app, 0, 3000)).rows).toHaveLength(2000);

      // Once per process (V8 keeps what it compiled): another query of this process does not.
      searched.length = 0;
      const again = oneApp(2000, IPAD, { searchWarmth: warmth, yieldEveryRows: 256 }).query;
      await again.page(app, 0, 10);
      await vi.waitFor(() => expect(again.searchColumns()).toMatchObject([{ dirty: false }]));
      expect(searched).toEqual([]);

      // A page asked for while it runs goes first: the warm-up stops at its next turn.
      const cold = oneApp(2000, IPAD, { searchWarmth: { warm: false }, yieldEveryRows: 256 }).query;
      let asked: Promise<SessionPage> | null = null;
      duringWarmUp = () => {
        asked = cold.page({ ...app, search: 'someone' }, 0, 10);
      };
      await cold.page(app, 0, 10);
      await vi.waitFor(() => expect(asked).not.toBeNull());
      expect((await (asked as unknown as Promise<SessionPage>)).matching).toBe(2000);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(searched.filter((n) => n === 'e')).toHaveLength(1);
      expect(searched).not.toContain('ip');
    } finally {
      spy.mockRestore();
    }
  });
});
