/**
 * The sessions table's window on its rows: which rows exist in the DOM, where each sits, and
 * scrolling a row into view. Every row of the table is ROW_HEIGHT tall, so all of it is
 * arithmetic on the scroll position: nothing is kept per row.
 *
 * Why not @tanstack/react-virtual here (the clean-up list keeps it): it keeps a measurement per
 * row and builds them all again whenever the row count changes, which a search does at every
 * keystroke: 2.7–4.8 ms per keystroke at 100,000 rows (virtual-core 3.19, measured in Node; about
 * 4 ms of the page's answer to a keystroke in Chromium's profile). TanStack/virtual#565 (open)
 * is the same cost at larger counts.
 */
import { useCallback, useLayoutEffect, useState } from 'react';
import { flushSync } from 'react-dom';

/** One row in the window: its place in the list and its top, in pixels. */
export interface WindowRow {
  index: number;
  start: number;
}

/** The rows `first`..`last` to render for this scroll position (empty when there are none). */
export function rowWindow({
  scrollTop,
  viewportHeight,
  count,
  rowHeight,
  overscan,
}: {
  scrollTop: number;
  viewportHeight: number;
  count: number;
  rowHeight: number;
  overscan: number;
}): WindowRow[] {
  if (count <= 0 || viewportHeight <= 0) return [];
  // A scroll position past the end (the count just shrank, the browser has not clamped it yet)
  // shows the last rows, never an empty window.
  const top = Math.max(0, Math.min(scrollTop, count * rowHeight - viewportHeight));
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((top + viewportHeight) / rowHeight) - 1 + overscan);
  const rows: WindowRow[] = [];
  for (let index = first; index <= last; index++) rows.push({ index, start: index * rowHeight });
  return rows;
}

/**
 * The scroll position that shows row `index` whole, moving as little as possible ("nearest"):
 * unchanged when it is already in view.
 */
export function scrollTopShowing({
  index,
  scrollTop,
  viewportHeight,
  rowHeight,
}: {
  index: number;
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
}): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  const bottom = top + rowHeight;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

/** Where the list is scrolled to, as the window needs it: the first row on screen, and the screen's height. */
interface Viewport {
  /** The scroll position, rounded down to a row: a scroll within one row renders nothing again. */
  rowTop: number;
  height: number;
}

/**
 * The window of a list of `count` rows of `rowHeight` pixels, `overscan` rows beyond the screen
 * each way, in the scrolled element given to `scrollRef` (a callback ref: the table's element is
 * made again after a search that matched nothing, and the new one is followed). Renders again only
 * when the window moves by a row or the element is resized, never for a scroll within a row.
 */
export function useFixedRows({
  count,
  rowHeight,
  overscan,
}: {
  count: number;
  rowHeight: number;
  overscan: number;
}): {
  scrollRef: (element: HTMLElement | null) => void;
  rows: WindowRow[];
  totalHeight: number;
  scrollToIndex: (index: number) => void;
} {
  const [element, setElement] = useState<HTMLElement | null>(null);
  const [viewport, setViewport] = useState<Viewport>({ rowTop: 0, height: 0 });

  useLayoutEffect(() => {
    if (!element) return;
    const read = () => {
      const next = {
        rowTop: Math.floor(element.scrollTop / rowHeight) * rowHeight,
        height: element.clientHeight,
      };
      setViewport((now) => (now.rowTop === next.rowTop && now.height === next.height ? now : next));
    };
    read(); // before the first paint: the first frame already has its rows
    // Rendered within the scroll event, which the browser runs before it paints the frame that
    // scrolls: the rows move with the list. Left to React's scheduler, the render came a task
    // later, and the frames of a fast scroll showed an empty screen (bench:ui, scroll).
    const scrolled = () => flushSync(read);
    element.addEventListener('scroll', scrolled, { passive: true });
    const resized = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(read);
    resized?.observe(element);
    return () => {
      element.removeEventListener('scroll', scrolled);
      resized?.disconnect();
    };
  }, [element, rowHeight]);

  const scrollToIndex = useCallback(
    (index: number) => {
      if (!element || index < 0) return;
      const top = scrollTopShowing({
        index,
        scrollTop: element.scrollTop,
        viewportHeight: element.clientHeight,
        rowHeight,
      });
      if (top !== element.scrollTop) element.scrollTop = top;
    },
    [element, rowHeight],
  );

  return {
    scrollRef: setElement,
    // The rounding down to a row may leave the screen's last partial row out: one more row below.
    rows: rowWindow({
      scrollTop: viewport.rowTop,
      viewportHeight: viewport.height + rowHeight,
      count,
      rowHeight,
      overscan,
    }),
    totalHeight: count * rowHeight,
    scrollToIndex,
  };
}
