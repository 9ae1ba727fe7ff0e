/** The sessions table's logic: which blocks of rows to fetch, and how a click selects. */
import { describe, expect, it } from 'vitest';
import { BLOCK_SIZE } from '../store/storeTypes.js';
import {
  blocksOnScreen,
  blocksToFetch,
  bulkActions,
  clickMode,
  rowKey,
  selectedCount,
} from './tableLogic.js';

describe("the table's logic", () => {
  it('fetches the blocks on screen, the first one always (it carries the counts)', () => {
    expect(blocksOnScreen(0, 30)).toEqual([0]);
    expect(blocksOnScreen(BLOCK_SIZE * 20 - 10, BLOCK_SIZE * 20 + 20)).toEqual([0, 19, 20]);
    expect(blocksOnScreen(250_000, 250_030)).toEqual([0, 2500]);
  });

  it('asks for a block once per generation, and again when the generation moves', () => {
    const asked = new Map<number, number>();
    expect(blocksToFetch([0, 1], 1, asked)).toEqual([0, 1]);
    expect(blocksToFetch([0, 1, 2], 1, asked)).toEqual([2]);
    expect(blocksToFetch([0, 1], 2, asked)).toEqual([0, 1]);
    expect(blocksToFetch([0, 1], 2, asked)).toEqual([]);
  });

  it('selects a range with Shift, toggles with Ctrl or Cmd, replaces otherwise', () => {
    const click = (mods: Partial<{ shiftKey: boolean; metaKey: boolean; ctrlKey: boolean }>) =>
      clickMode({ shiftKey: false, metaKey: false, ctrlKey: false, ...mods });
    expect([
      click({}),
      click({ shiftKey: true }),
      click({ ctrlKey: true }),
      click({ metaKey: true }),
    ]).toEqual(['replace', 'range', 'toggle', 'toggle']);
    expect(click({ shiftKey: true, ctrlKey: true })).toBe('range');
  });

  it('counts every matching session when all are selected', () => {
    expect(selectedCount({ refs: new Set(['A/1']), allMatching: false, anchor: 0 }, 50)).toBe(1);
    expect(selectedCount({ refs: new Set(), allMatching: true, anchor: null }, 50)).toBe(50);
  });

  it('offers a bulk action only for selected rows in view that it would change (issue 18, items 6 and 12)', () => {
    const rows = new Map([
      ['A/1', { status: 'pending' }],
      ['A/2', { status: 'accepted' }],
    ]);
    const byRef = (ref: string) => rows.get(ref);
    const refs = (...list: string[]) => ({ refs: new Set(list), allMatching: false, anchor: 0 });
    const view = { matching: 2, matchingPending: 1 };
    expect(bulkActions(refs('A/1'), view, byRef)).toEqual({ count: 1, accept: true, setPending: false });
    expect(bulkActions(refs('A/2'), view, byRef)).toEqual({ count: 1, accept: false, setPending: true });
    expect(bulkActions(refs('A/1', 'A/2'), view, byRef)).toEqual({
      count: 2,
      accept: true,
      setPending: true,
    });
    expect(bulkActions(refs('A/9'), view, byRef)).toEqual({ count: 1, accept: true, setPending: true });
    // Nothing in view: nothing to act on, whatever is selected.
    expect(bulkActions(refs('A/1'), { matching: 0, matchingPending: 0 }, byRef)).toEqual({
      count: 0,
      accept: false,
      setPending: false,
    });
    const all = { refs: new Set<string>(), allMatching: true, anchor: null };
    expect(bulkActions(all, { matching: 5, matchingPending: 5 }, byRef)).toEqual({
      count: 5,
      accept: true,
      setPending: false,
    });
  });

  it('keys rows by position, but a new row and the row holding the focus by their session, unique on screen', () => {
    const keysOf = (refs: string[], fresh: Set<string>, held: Parameters<typeof rowKey>[3]) =>
      refs.map((ref, index) => rowKey(ref, index, fresh.has(ref), held));
    // A search's answer: other sessions in the same elements.
    expect(keysOf(['a/1', 'a/2'], new Set(), null)).toEqual(['0', '1']);
    expect(keysOf(['a/7', 'a/8'], new Set(), null)).toEqual(['0', '1']);
    // A new row keeps its element as rows move.
    expect(keysOf(['a/9', 'a/1', 'a/2'], new Set(['a/9']), null)).toEqual(['a/9', '1', '2']);
    // The focus came to a/1 on the first row (key "0"); a new session comes first: a/1 keeps
    // "0", and the row now first, a/9, takes its ref rather than a key already in use.
    const held = { ref: 'a/1', key: '0' };
    const moved = keysOf(['a/9', 'a/1', 'a/2'], new Set(), held);
    expect(moved).toEqual(['a/9', '0', '2']);
    expect(new Set(moved).size).toBe(moved.length);
  });
});
