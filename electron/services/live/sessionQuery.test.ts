import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type ResolvedSessionFilter,
  type SessionPage,
  type SortKey,
  sessionFilterSchema,
} from '../../../shared/contract.js';
import type { SessionSummary } from '../../../shared/session.js';
import { SessionIndex } from './sessionIndex.js';
import { orderFor, sortInSlices } from './sessionOrder.js';
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

const ids = (page: Promise<SessionPage>) => page.then((p) => p.rows.map((r) => r.id));

interface Change {
  id: number;
  op: string;
  status: 'accepted' | 'pending';
  email: string;
  device: string;
  day: number;
}

describe('the table query', () => {
  it('orders pending first, newest first, by default; by a column when asked', async () => {
    const query = new SessionQuery(() => rows);
    expect(await ids(query.page(filter(), 0, 10))).toEqual(['c3', 'b2', 'a1', 'd4']);
    const byEmail = (await query.page(filter({ sort: { key: 'email', direction: 'asc' } }), 0, 10)).rows.map(
      (r) => r.email,
    );
    expect(byEmail).toEqual(['=HYPERLINK("x")', 'abby@other.org', 'adam@acme.com', 'Zoe@acme.com']);
    expect(await ids(query.page(filter({ sort: { key: 'email', direction: 'desc' } }), 0, 10))).toEqual([
      'a1',
      'b2',
      'c3',
      'd4',
    ]);
  });

  it('narrows while typing exactly as a fresh search would, and widens again', async () => {
    const query = new SessionQuery(() => rows);
    const searches = ['a', 'ac', 'acm', 'ac', 'a', ''];
    const typed: string[][] = [];
    for (const search of searches) typed.push(await ids(query.page(filter({ search }), 0, 10)));
    const fresh: string[][] = [];
    for (const search of searches)
      fresh.push(await ids(new SessionQuery(() => rows).page(filter({ search }), 0, 10)));
    expect(typed).toEqual(fresh);
    expect(fresh[2]).toEqual(['b2', 'a1']);
  });

  it('finds the same rows after warming up (the default order sorted ahead)', async () => {
    const cold = await ids(new SessionQuery(() => rows).page(filter({ search: 'acme' }), 0, 10));
    const warm = new SessionQuery(() => rows);
    await warm.warmUp();
    expect(await ids(warm.page(filter({ search: 'acme' }), 0, 10))).toEqual(cold);
  });

  it('counts matching and pending, windows the rows, and forgets its caches when told', async () => {
    let data = rows;
    const query = new SessionQuery(() => data);
    expect(await query.page(filter({ status: 'pending' }), 1, 1)).toMatchObject({
      total: 4,
      matching: 2,
      matchingPending: 2,
      offset: 1,
    });
    data = rows.slice(0, 2);
    expect((await query.page(filter(), 0, 10)).total).toBe(4); // cached until invalidated
    query.invalidate();
    expect((await query.page(filter(), 0, 10)).total).toBe(2);
  });

  it('locates a session in the order and among the rows of a filter, at any depth', async () => {
    const many = Array.from({ length: 2500 }, (_, i) =>
      session(`s${String(i).padStart(4, '0')}`, {
        firstSeen: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      }),
    );
    const query = new SessionQuery(() => many);
    // Newest first: the oldest session is the last row, far past any page of rows.
    expect(await query.locate(filter(), 'APP/s0000')).toBe(2499);
    expect(await query.locate(filter(), 'APP/s2499')).toBe(0);
    const byDevice = filter({ sort: { key: 'device', direction: 'asc' } });
    const ref = 'APP/s1234';
    expect((await query.page(byDevice, (await query.locate(byDevice, ref)) ?? -1, 1)).rows[0]?.ref).toBe(ref);
    expect(await query.locate(filter({ status: 'pending' }), ref)).toBeNull();
    expect(await query.locate(filter(), 'APP/none')).toBeNull();
  });

  it('cancels a query a newer filter replaced, and never answers the newer one with its rows', async () => {
    const many = Array.from({ length: 5000 }, (_, i) =>
      session(`s${String(i).padStart(4, '0')}`, { email: i % 2 ? `odd${i}@a.org` : `even${i}@b.org` }),
    );
    // A turn of the event loop every 512 rows: the first query is still running when the second comes.
    const query = new SessionQuery(() => many, { yieldEveryRows: 512 });
    await query.page(filter(), 0, 1); // the order is sorted once; the filter passes below are what run
    const stale = query.page(filter({ search: 'odd' }), 0, 10);
    const newer = query.page(filter({ search: 'even' }), 0, 10);
    await expect(stale).rejects.toMatchObject({ code: 'cancelled' });
    const answer = await newer;
    expect(answer.matching).toBe(2500);
    expect(answer.rows.every((r) => r.email?.startsWith('even'))).toBe(true);
    // The next window of the newer filter comes from its own rows, not from the cancelled query's.
    const next = await query.page(filter({ search: 'even' }), 10, 10);
    expect(next.rows.every((r) => r.email?.startsWith('even'))).toBe(true);
    // Windows of one filter asked for together are all answered (the table loads blocks in parallel).
    const blocks = await Promise.all(
      [0, 100, 200].map((offset) => query.page(filter({ search: 'odd' }), offset, 100)),
    );
    expect(blocks.map((b) => b.rows.length)).toEqual([100, 100, 100]);
  });

  it('keeps every order equal to a fresh sort after random changes, one by one and in batches', async () => {
    const filters = [
      filter(),
      filter({ sort: { key: 'email', direction: 'asc' } }),
      filter({ sort: { key: 'device', direction: 'desc' } }),
      filter({ folder: 'APP', sort: { key: 'firstSeen', direction: 'asc' } }),
      filter({ status: 'pending', sort: { key: 'status', direction: 'asc' } }),
      filter({ search: 'e' }),
    ];
    const change = fc.record({
      id: fc.integer({ min: 0, max: 59 }),
      op: fc.constantFrom('write', 'write', 'remove'),
      status: fc.constantFrom<'accepted' | 'pending'>('accepted', 'pending'),
      email: fc.constantFrom('a@x.org', 'B@y.org', 'e@z.org', 'zed@x.org'),
      device: fc.constantFrom('iPhone 13', 'iPad', 'Pixel 8'),
      day: fc.integer({ min: 1, max: 5 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          // Small batches reach every order, large ones (a burst) only the order shown last.
          fc.oneof(
            fc.array(change, { minLength: 1, maxLength: 10 }),
            fc.array(change, { minLength: 60, maxLength: 120 }),
          ),
          { maxLength: 6 },
        ),
        async (batches) => {
          const index = new SessionIndex('/root');
          index.addApp('APP', null);
          index.addApp('OTHER', null);
          const sessionsOf = (folder: string | null) =>
            [...index.apps.values()].flatMap((app) =>
              folder === null || app.folder === folder ? [...app.sessions.values()] : [],
            );
          const write = (c: Change) => {
            const folder = c.id % 3 === 0 ? 'OTHER' : 'APP';
            const id = `s${c.id}`;
            if (c.op === 'remove') return index.applyRead(folder, id, { kind: 'absent' });
            const summary = {
              ...session(id, { status: c.status, email: c.email, device: c.device }),
              ref: `${folder}/${id}`,
              firstSeen: `2026-01-0${c.day}T00:00:00.000Z`,
            };
            return index.applyRead(folder, id, { kind: 'session', summary, stamp: null as never });
          };
          // Half of the sessions exist before the orders are built.
          for (let id = 0; id < 60; id += 2)
            write({ id, op: 'write', status: 'pending', email: 'e@z.org', device: 'iPad', day: 1 });
          const query = new SessionQuery(sessionsOf);
          for (const f of filters) await query.page(f, 0, 1);
          for (const batch of batches) {
            query.apply(batch.flatMap(write));
            for (const f of filters) {
              const kept = await query.page(f, 0, 1000);
              const fresh = await new SessionQuery(sessionsOf).page(f, 0, 1000);
              expect(kept).toEqual(fresh);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('searches e-mails case-insensitively for the text as typed, pattern characters included', async () => {
    const list = [
      session('a1', { email: 'Ann.B@Acme.com' }),
      session('b2', { email: 'annxb@acme.com' }),
      session('c3', { email: 'bob(work)+1@acme.com' }),
    ];
    const query = new SessionQuery(() => list);
    const found = (search: string) => ids(query.page(filter({ search }), 0, 10)).then((r) => r.sort());
    expect(await found('n.b')).toEqual(['a1']); // a dot is a dot, not any character
    expect(await found('ANN.B@acme')).toEqual(['a1']);
    expect(await found('(work)+')).toEqual(['c3']);
    expect(await found('[')).toEqual([]);
    expect(await found('acme')).toEqual(['a1', 'b2', 'c3']);
  });

  it('applies a burst of changes in slices, the event loop turning between them, and answers with all of them', async () => {
    const index = new SessionIndex('/root');
    index.addApp('APP', null);
    const write = (n: number, status: 'accepted' | 'pending', email: string) => {
      const id = `s${String(n).padStart(4, '0')}`;
      const summary = session(id, { status, email, firstSeen: `2026-01-0${(n % 9) + 1}T00:00:00.000Z` });
      return index.applyRead('APP', id, { kind: 'session', summary, stamp: null as never });
    };
    for (let n = 0; n < 3000; n++) write(n, 'accepted', `user${n}@acme.com`);
    const sessionsOf = () => [...(index.apps.get('APP')?.sessions.values() ?? [])];
    const byEmail = filter({ sort: { key: 'email', direction: 'asc' } });
    const searched = filter({ search: 'user1', sort: { key: 'email', direction: 'asc' } });
    // A turn of the event loop after every 25 changes applied (the app's is every few milliseconds).
    const query = new SessionQuery(sessionsOf, { yieldEveryChanges: 25 });
    await query.page(byEmail, 0, 1);
    await query.page(searched, 0, 1); // the last rows asked for are filtered: they follow too
    // 400 changes in one batch: status toggles, new e-mails (new places in the order), removals.
    const burst = Array.from({ length: 400 }, (_, i) =>
      i % 4 === 3
        ? index.applyRead('APP', `s${String(i * 7).padStart(4, '0')}`, { kind: 'absent' })
        : write(i * 7, i % 2 ? 'pending' : 'accepted', `user${(i * 7919) % 3000}@acme.com`),
    ).flat();
    let turns = 0;
    let probing = true;
    const probe = () => {
      if (!probing) return;
      turns++;
      setImmediate(probe);
    };
    setImmediate(probe);
    query.apply(burst);
    const kept = await query.page(searched, 0, 5000);
    probing = false;
    // The event loop turned between slices (16 of them), and the answer waited for the last one.
    expect(turns).toBeGreaterThanOrEqual(15);
    expect(kept).toEqual(await new SessionQuery(sessionsOf).page(searched, 0, 5000));
    expect(await query.page(byEmail, 0, 5000)).toEqual(
      await new SessionQuery(sessionsOf).page(byEmail, 0, 5000),
    );
  });

  it("keeps the table's order through a burst, though the last rows asked for were another order's", async () => {
    const index = new SessionIndex('/root');
    index.addApp('APP', null);
    const write = (n: number, status: 'accepted' | 'pending') => {
      const id = `s${String(n).padStart(4, '0')}`;
      const summary = session(id, { status, email: `user${n}@acme.com` });
      return index.applyRead('APP', id, { kind: 'session', summary, stamp: null as never });
    };
    for (let n = 0; n < 500; n++) write(n, 'accepted');
    let sorts = 0;
    const sessionsOf = () => {
      sorts++; // every sort of an order starts from the index's list
      return [...(index.apps.get('APP')?.sessions.values() ?? [])];
    };
    const byEmail = filter({ sort: { key: 'email', direction: 'asc' } });
    const byDevice = filter({ sort: { key: 'device', direction: 'desc' } });
    const query = new SessionQuery(sessionsOf, { yieldEveryRows: 1_000_000 });
    await query.page(byEmail, 0, 100); // the table shows the e-mail order
    await query.matching(byDevice); // an action on another order's rows (the last rows now)
    expect(sorts).toBe(2);
    // A burst larger than the few changes applied to every order kept.
    query.apply(Array.from({ length: 100 }, (_, i) => write(i * 3, 'pending')).flat());
    const page = await query.page(byEmail, 0, 500);
    expect(sorts).toBe(2); // the table's order was kept up to date, not sorted again
    expect(page).toEqual(await new SessionQuery(sessionsOf).page(byEmail, 0, 500));
  });

  it('sorts in slices exactly as a plain sort does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ email: fc.string({ maxLength: 3 }), day: fc.integer({ min: 1, max: 9 }) }), {
          maxLength: 3000,
        }),
        fc.constantFrom<SortKey | null>(null, 'email', 'firstSeen', 'status'),
        async (specs, key) => {
          const list = specs.map((x, i) =>
            session(`r${i}`, {
              email: x.email,
              firstSeen: `2026-01-0${x.day}T00:00:00.000Z`,
              status: i % 3 ? 'accepted' : 'pending',
            }),
          );
          const order = orderFor(key ? { key, direction: 'desc' } : null);
          expect(await sortInSlices(list, order)).toEqual(list.slice().sort(order.compare));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('exports CSV that a spreadsheet cannot run as a formula', () => {
    const csv = sessionsToCsv([rows[3] as SessionSummary]);
    const [header, line] = csv.trim().split('\r\n');
    expect(header?.startsWith('App folder,Device,Status')).toBe(true);
    expect(line).toContain('"Pixel, 8"');
    expect(line).toContain(`"'=HYPERLINK(""x"")"`);
  });

  it('exports CSV with a UTF-8 byte-order mark when asked (Excel), dates in ISO 8601', () => {
    const row = rows[3] as SessionSummary;
    const marked = Buffer.from(sessionsToCsv([row], { bom: true }), 'utf8');
    expect([...marked.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const plain = sessionsToCsv([row]);
    expect(plain.charCodeAt(0)).not.toBe(0xfeff);
    expect(marked.toString('utf8')).toBe(`\uFEFF${plain}`);
    expect(plain).toContain(`,${row.firstSeen},${row.modified},`);
    expect(row.firstSeen).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });
});
