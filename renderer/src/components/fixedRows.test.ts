import { describe, expect, it } from 'vitest';
import { rowWindow, scrollTopShowing } from './fixedRows.js';

const indexes = (rows: { index: number }[]) => rows.map((r) => r.index);

describe('rowWindow', () => {
  const list = { rowHeight: 36, overscan: 4 };

  it('at the top: the rows on screen and the overscan below, each at its pixel', () => {
    const rows = rowWindow({ ...list, scrollTop: 0, viewportHeight: 360, count: 100_000 });
    expect(indexes(rows)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(rows[3]).toEqual({ index: 3, start: 108 });
  });

  it('scrolled into the middle: the overscan on both sides, a partly shown row included', () => {
    // 36,018 px: row 1,000 is shown from its 18th pixel; rows 1,000..1,010 are on screen.
    const rows = rowWindow({ ...list, scrollTop: 36_018, viewportHeight: 360, count: 100_000 });
    expect(rows[0]?.index).toBe(996);
    expect(rows.at(-1)?.index).toBe(1014);
  });

  it('at the end: stops at the last row', () => {
    const rows = rowWindow({ ...list, scrollTop: 99_990 * 36, viewportHeight: 360, count: 100_000 });
    expect(rows.at(-1)?.index).toBe(99_999);
    expect(rows[0]?.index).toBe(99_986);
  });

  it('a scroll position left past the end by a shrunk count shows the last rows, not nothing', () => {
    const rows = rowWindow({ ...list, scrollTop: 50_000 * 36, viewportHeight: 360, count: 25 });
    expect(indexes(rows)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
  });

  it('fewer rows than the screen holds: all of them', () => {
    expect(indexes(rowWindow({ ...list, scrollTop: 0, viewportHeight: 360, count: 3 }))).toEqual([0, 1, 2]);
  });

  it('no rows, or a screen not laid out yet: an empty window', () => {
    expect(rowWindow({ ...list, scrollTop: 0, viewportHeight: 360, count: 0 })).toEqual([]);
    expect(rowWindow({ ...list, scrollTop: 0, viewportHeight: 0, count: 100 })).toEqual([]);
  });
});

describe('scrollTopShowing', () => {
  const screen = { viewportHeight: 360, rowHeight: 36 };

  it('a row in view: the list does not move', () => {
    expect(scrollTopShowing({ ...screen, index: 12, scrollTop: 360 })).toBe(360);
  });

  it('a row above the screen: brought to its top', () => {
    expect(scrollTopShowing({ ...screen, index: 5, scrollTop: 360 })).toBe(180);
  });

  it('a row partly shown at the top: scrolled just enough to show it whole', () => {
    // Row 10 spans 360..396 px; the screen starts at 378.
    expect(scrollTopShowing({ ...screen, index: 10, scrollTop: 378 })).toBe(360);
  });

  it('a row below the screen: brought to its bottom, whole', () => {
    // Row 30 spans 1,080..1,116 px: the screen ends at its bottom.
    expect(scrollTopShowing({ ...screen, index: 30, scrollTop: 0 })).toBe(756);
  });

  it('a row partly shown at the bottom: scrolled just enough to show it whole', () => {
    expect(scrollTopShowing({ ...screen, index: 10, scrollTop: 18 })).toBe(36);
  });
});
