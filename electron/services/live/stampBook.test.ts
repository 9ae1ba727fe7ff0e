import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FileStamp } from '../session/sessionReader.js';
import { StampBook } from './stampBook.js';

const stampArb: fc.Arbitrary<FileStamp> = fc.record({
  ino: fc.integer({ min: 0, max: 2 ** 53 - 1 }),
  size: fc.nat(),
  mtimeMs: fc.double({ min: 0, max: 4e12, noNaN: true }),
  ctimeMs: fc.double({ min: 0, max: 4e12, noNaN: true }),
});

type Step = { op: 'set'; name: string; stamp: FileStamp } | { op: 'delete'; name: string };

const names = fc.constantFrom(...Array.from({ length: 40 }, (_, i) => `S${i}`));
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), name: names, stamp: stampArb }),
  fc.record({ op: fc.constant('delete' as const), name: names }),
);

describe('StampBook', () => {
  it('answers as a Map of stamps would, through sets, overwrites, deletes and growth', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 300 }), (steps) => {
        const book = new StampBook();
        const model = new Map<string, FileStamp>();
        for (const step of steps) {
          if (step.op === 'set') {
            book.set(step.name, step.stamp);
            model.set(step.name, step.stamp);
          } else {
            expect(book.delete(step.name)).toBe(model.delete(step.name));
          }
        }
        expect(book.size).toBe(model.size);
        expect(new Map(book)).toEqual(model);
        for (const name of ['S0', 'S7', 'S39', 'absent']) {
          expect(book.has(name)).toBe(model.has(name));
          expect(book.get(name)).toEqual(model.get(name));
          const want = model.get(name);
          if (want) {
            expect(book.matches(name, want.ino, want.size, want.mtimeMs, want.ctimeMs)).toBe(true);
            expect(book.matches(name, want.ino, want.size + 1, want.mtimeMs, want.ctimeMs)).toBe(false);
            expect(book.matches(name, want.ino, want.size, want.mtimeMs, want.ctimeMs + 1)).toBe(false);
          } else {
            expect(book.matches(name, 0, 0, 0, 0)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps a deleted file's slot from answering for the file that reuses it", () => {
    const book = StampBook.from([['A', { ino: 1, size: 2, mtimeMs: 3.5, ctimeMs: 4.25 }]]);
    book.delete('A');
    book.set('B', { ino: 9, size: 8, mtimeMs: 7, ctimeMs: 6 });
    expect(book.get('A')).toBeUndefined();
    expect(book.matches('A', 9, 8, 7, 6)).toBe(false);
    expect(book.get('B')).toEqual({ ino: 9, size: 8, mtimeMs: 7, ctimeMs: 6 });
  });
});
