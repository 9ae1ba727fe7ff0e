/**
 * The renderer patches a changed row in place, without asking the engine for the rows again,
 * when `rowMayMove` (shared/rowOrder.ts) says the change cannot move it nor take it in
 * or out of the filter. This checks that promise against the engine's own query, on generated
 * sessions, filters, orders and changes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SORT_KEYS, sessionFilterSchema } from '../../../shared/contract.js';
import { rowMayMove } from '../../../shared/rowOrder.js';
import type { SessionSummary } from '../../../shared/session.js';
import { summaryOf } from '../../../test/support/sessionSummaries.js';
import { SessionQuery } from './sessionQuery.js';

const pick = <T>(...values: T[]) => fc.constantFrom(...values);

const fields = fc.record({
  status: pick<'accepted' | 'pending' | null>('accepted', 'pending', null),
  email: pick<string | null>('ann@acme.com', 'Bob@acme.com', 'zed@other.org', '', ' ', null),
  description: pick<string | null>('iPhone 13', 'Pixel 8', 'iPad', null),
  os: pick<string | null>('iOS', 'Android', 'iPadOS', null),
  version: pick<string | null>('17.5', '14', null),
  simulator: fc.boolean(),
  ip: pick<string | null>('::1', '10.0.0.7', null),
  firstSeen: pick('2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z'),
  modified: pick('2026-02-01T00:00:00.000Z', '2026-02-02T00:00:00.000Z'),
  appVersion: pick<string | null>('1.0', '2.0', null),
  language: pick<string | null>('en_US', 'fr_FR', null),
  problem: fc.boolean(),
});
type Fields = typeof fields extends fc.Arbitrary<infer T> ? T : never;

const session = (folder: string, id: string, f: Fields): SessionSummary =>
  summaryOf(`${folder}/${id}`, id, {
    ...f,
    device: f.description,
    osVersion: f.version,
    language: { id: f.language, code: null, region: null },
  });

const filters = fc.record({
  folder: pick<string | null>(null, 'A'),
  status: pick<'accepted' | 'pending' | null>(null, 'accepted', 'pending'),
  os: pick<string | null>(null, 'ios', 'Android'),
  simulator: pick<boolean | null>(null, true, false),
  guest: pick<boolean | null>(null, true, false),
  problemsOnly: fc.boolean(),
  search: pick('', 'acme', 'pixel', '10.0', 's1'),
  sort: fc.option(fc.record({ key: fc.constantFrom(...SORT_KEYS), direction: pick('asc', 'desc') }), {
    nil: null,
  }),
});

const rowsOf = async (sessions: SessionSummary[], filter: ReturnType<typeof sessionFilterSchema.parse>) => {
  const query = new SessionQuery((folder) =>
    folder === null ? sessions : sessions.filter((s) => s.ref.startsWith(`${folder}/`)),
  );
  return (await query.matching(filter)).rows.map((s) => s.ref);
};

describe("the renderer's rule for patching a changed row in place", () => {
  it('never keeps a row in place that the engine moves, or takes in or out of the filter', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fields, { minLength: 1, maxLength: 10 }),
        filters,
        fc.nat(),
        fields,
        async (list, input, which, changed) => {
          const before = list.map((f, i) => session(i % 3 ? 'A' : 'B', `s${i}`, f));
          const index = which % before.length;
          const old = before[index] as SessionSummary;
          const next = session(old.ref.split('/')[0] as string, old.id, changed);
          const after = before.map((s, i) => (i === index ? next : s));
          const filter = sessionFilterSchema.parse(input);
          if (rowMayMove(filter, filter.sort, old, next)) return;
          expect(await rowsOf(after, filter)).toEqual(await rowsOf(before, filter));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
