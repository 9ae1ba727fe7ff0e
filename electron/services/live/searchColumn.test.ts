import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../../shared/session.js';
import { summaryOf } from '../../../test/support/sessionSummaries.js';
import {
  asciiVariants,
  fieldMatches,
  mayBeInIds,
  needlePattern,
  ROW_ACCEPTED,
  ROW_GUEST,
  ROW_PENDING,
  ROW_PROBLEMS,
  ROW_SIMULATOR,
  rowFlags,
  SearchColumn,
  searchable,
} from './searchColumn.js';

interface Fields {
  device: string | null;
  email: string | null;
  id: string;
  ip: string | null;
  status: 'accepted' | 'pending' | null;
  simulator: boolean;
  problem: boolean;
}

let serial = 0;
const session = (f: Fields): SessionSummary => summaryOf(`APP/${f.id}-${serial++}`, f.id, f);

const pick = <T>(...values: T[]) => fc.constantFrom(...values);
const fields: fc.Arbitrary<Fields> = fc.record({
  // The Kelvin sign and the long s match k and s when case is ignored.
  device: pick<string | null>(
    'iPhone 13',
    'Pixel 8',
    'İPAD',
    'Σίσυφος',
    'ΣΟΦΙΑΣ',
    '\u212Aey \u017Fet',
    null,
    '',
  ),
  email: pick<string | null>('Ann.B@Acme.com', 'zoë@exämple.org', 'a1@b.c', ' ', '', null, 'ΟΔΥΣΣΕΥΣ@x.gr'),
  id: pick('A1B2', 'ff00', 'DEAD.beef', 'g0', 'x'),
  ip: pick<string | null>('::1', '10.0.0.7', 'FE80::1', null),
  status: pick<'accepted' | 'pending' | null>('accepted', 'pending', null),
  simulator: fc.boolean(),
  problem: fc.boolean(),
});
const needles = pick(
  'a',
  'e',
  '1',
  '.',
  ':',
  'x',
  'g',
  'k',
  'S',
  '@',
  'b@',
  '13a',
  'ann.b',
  'ë',
  'σ',
  'ς',
  'i',
  'ad',
  'ff',
  '',
);

/** What the search box means, written out plainly: one field at a time, case ignored (Unicode case folding). */
function bruteMatches(s: SessionSummary, needle: string): boolean {
  const inIds = /^[0-9a-f.:]*$/.test(needle);
  const fieldsOf = [s.device.description, s.email, ...(inIds ? [s.id, s.session.ip] : [])];
  const literal = new RegExp(needle.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'), 'iu');
  return fieldsOf.some((field) => literal.test(field ?? ''));
}

function search(column: SearchColumn, rows: SessionSummary[], needle: string) {
  const found: { row: SessionSummary; flags: number }[] = [];
  let start = 0;
  for (let c = 0; c < column.chunkCount; c++) {
    const n = column.searchChunk(c, start, rows, needle, mayBeInIds(needle));
    const flags = column.flagsOf(c);
    for (const r of column.hits.subarray(0, n))
      found.push({ row: rows[start + r] as SessionSummary, flags: flags[r] as number });
    start += column.rowsIn(c);
  }
  return found;
}

type Op =
  | { kind: 'insert'; at: number; fields: Fields }
  | { kind: 'remove'; at: number }
  | { kind: 'search' };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), fields }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('search' as const) }),
);

describe('one-character needles', () => {
  it('match exactly the characters their pattern matches, for every ASCII needle and every code point', () => {
    // Every character that matches some ASCII character when case is ignored (31 ms over Unicode).
    // biome-ignore lint/suspicious/noControlCharactersInRegex: every ASCII character, controls included
    const anyAscii = /[\u0000-\u007f]/iu;
    const candidates: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const x = String.fromCodePoint(cp);
      if (anyAscii.test(x)) candidates.push(x);
    }
    expect(candidates.length).toBeGreaterThan(128);
    for (let c = 0; c < 128; c++) {
      const needle = String.fromCharCode(c);
      const pattern = needlePattern(needle);
      expect([...(asciiVariants(needle) ?? [])].sort()).toEqual(
        candidates.filter((x) => fieldMatches(x, pattern)).sort(),
      );
    }
    expect(asciiVariants('k')).toContain('\u212A');
    expect(asciiVariants('é')).toBeNull();
    expect(asciiVariants('ab')).toBeNull();
  });
});

describe('the search column', () => {
  it('finds what a field-by-field search finds, through inserts, removals, splits and emptied chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fields, { maxLength: 40 }),
        fc.array(op, { maxLength: 120 }),
        fc.integer({ min: 1, max: 8 }),
        needles,
        (initial, ops, chunkRows, needle) => {
          const rows = initial.map(session);
          const column = new SearchColumn(rows.length, chunkRows);
          const check = () => {
            expect(column.length).toBe(rows.length);
            const found = search(column, rows, needle);
            expect(found.map((f) => f.row)).toEqual(
              rows.filter((s) => needle === '' || bruteMatches(s, needle)),
            );
            for (const f of found) expect(f.flags).toBe(rowFlags(f.row));
          };
          check();
          for (const o of ops) {
            if (o.kind === 'insert') {
              const at = o.at % (rows.length + 1);
              rows.splice(at, 0, session(o.fields));
              column.inserted(at);
            } else if (o.kind === 'remove' && rows.length > 0) {
              const at = o.at % rows.length;
              rows.splice(at, 1);
              column.removed(at);
            } else check(); // builds the chunks searched: later changes must mark them dirty
          }
          check();
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never matches across two fields, and looks in ids and IPs only for what can be part of one', () => {
    const rows = [
      session({
        device: 'iPhone 13',
        email: 'ann@acme.com',
        id: 'ABC123',
        ip: '10.0.0.7',
        status: null,
        simulator: false,
        problem: false,
      }),
      session({
        device: null,
        email: null,
        id: 'gg42',
        ip: null,
        status: null,
        simulator: false,
        problem: false,
      }),
    ];
    const column = new SearchColumn(rows.length);
    const ids = (needle: string) => search(column, rows, needle).map((f) => f.row.id);
    expect(ids('13ann')).toEqual([]); // device + e-mail
    expect(ids('comabc')).toEqual([]); // e-mail + id
    expect(ids('abc1')).toEqual(['ABC123']); // the id, case-insensitively
    expect(ids('0.7')).toEqual(['ABC123']); // the IP
    expect(ids('gg')).toEqual([]); // not hexadecimal: not looked for in ids
    expect(ids('42')).toEqual(['gg42']);
    expect(ids('ann')).toEqual(['ABC123']);
    expect(searchable('a\u0000b')).toBe(false);
  });

  it('ignores case by Unicode case folding, non-ASCII included', () => {
    const rows = [
      session({
        device: 'İPAD',
        email: 'ZOË@X.ORG',
        id: '1',
        ip: null,
        status: null,
        simulator: false,
        problem: false,
      }),
      session({
        device: 'Σίσυφος',
        email: null,
        id: '2',
        ip: null,
        status: null,
        simulator: false,
        problem: false,
      }),
    ];
    const column = new SearchColumn(rows.length);
    const count = (needle: string) => search(column, rows, needle).length;
    expect(count('ς')).toBe(1); // Σ, σ and ς fold to one letter
    expect(count('ΣΊΣ')).toBe(1);
    expect(count('zoë')).toBe(1);
    expect(count('ZoË@x')).toBe(1);
    expect(count('pad')).toBe(1);
    expect(count('zoe')).toBe(0);
  });

  it('keeps a byte of flags per row for the filters other than the search', () => {
    const base = { device: 'd', id: '1', ip: null, problem: false, simulator: false };
    expect(rowFlags(session({ ...base, email: 'a@b.c', status: 'pending' }))).toBe(ROW_PENDING);
    expect(rowFlags(session({ ...base, email: ' ', status: 'accepted' }))).toBe(ROW_ACCEPTED | ROW_GUEST);
    expect(rowFlags(session({ ...base, email: 'a', status: null, simulator: true, problem: true }))).toBe(
      ROW_SIMULATOR | ROW_PROBLEMS,
    );
  });

  it('builds in slices as long as asked, counts its bytes, and refuses rows that are not its order', () => {
    const rows = Array.from({ length: 50 }, (_, i) =>
      session({
        device: 'Pixel',
        email: `u${i}@x.org`,
        id: `${i}`,
        ip: null,
        status: null,
        simulator: false,
        problem: false,
      }),
    );
    const column = new SearchColumn(rows.length, 10);
    expect(column.dirty).toBe(true);
    expect(column.bytes()).toBe(0);
    let calls = 0;
    expect(column.refresh(rows, () => ++calls >= 2)).toBe(false); // two chunks, then the slice is used up
    expect(column.refresh(rows, () => false)).toBe(true);
    expect(column.dirty).toBe(false);
    const text = rows.map((s) => `pixel\u0000${s.email}\u0000${s.id}\u0000\u0000`).join('');
    // One byte a character (Latin-1 text), plus two Int32 offsets and a byte of flags per row, and an end per chunk.
    expect(column.bytes()).toBe(text.length + rows.length * 9 + 5 * 4);
    column.inserted(50);
    expect(column.dirty).toBe(true);
    expect(() => column.refresh(rows, () => false)).toThrow(/51 rows, its order 50/);
    expect(() => column.removed(51)).toThrow(RangeError);
    expect(() => column.inserted(53)).toThrow(RangeError);
  });
});
