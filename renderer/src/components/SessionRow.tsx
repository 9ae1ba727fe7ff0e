/**
 * One row of the sessions table. Memoized: a keystroke in the search box, a new selection or a
 * block of rows arriving re-renders the table, and a row whose session and state did not change
 * is left as it is (at 100,000 sessions, rendering every row again on each keystroke was most of
 * the time between a keystroke and its frame).
 */
import { type CSSProperties, memo } from 'react';
import type { SessionSummary, SortKey } from '../../../shared/contract.js';
import { useSessionsStore } from '../store/StoreContext.js';
import { clickMode } from './tableLogic.js';

export const ROW_HEIGHT = 36;

export interface Column {
  key: SortKey;
  /** The header's catalog key: `window:table.columns.<labelKey>`. */
  labelKey: string;
  /** The narrowest the column gets (the sum of all fits a 1,400 px window beside the app list). */
  width: number;
  /** Its share of the room left over (0: never wider); a column the admin resized keeps its width. */
  grow: number;
  render: (s: SessionSummary) => React.ReactNode;
}

/** Where a row sits in the scrolled list, and its columns. */
const rowStyle = (start: number, template: string): CSSProperties => ({
  position: 'absolute',
  top: 0,
  transform: `translateY(${start}px)`,
  height: ROW_HEIGHT,
  gridTemplateColumns: template,
});

export type RowMenuHandler = (event: React.MouseEvent, index: number, s: SessionSummary) => void;

interface SessionRowProps {
  session: SessionSummary;
  index: number;
  /** Its top in the scrolled list, in pixels. */
  start: number;
  columns: Column[];
  template: string;
  selected: boolean;
  focused: boolean;
  /** Highlighted as new (created by another process while the window was open). */
  isNew: boolean;
  /** The same function from render to render, or every row renders again. */
  onMenu: RowMenuHandler;
  /** Told when the focus comes into the row (its session's ref) and leaves it (null); the same function from render to render. */
  onFocusChange: (ref: string | null) => void;
}

export const SessionRow = memo(function SessionRow({
  session: s,
  index,
  start,
  columns,
  template,
  selected,
  focused,
  isNew,
  onMenu,
  onFocusChange,
}: SessionRowProps) {
  const store = useSessionsStore();
  const classes = [
    'tr',
    selected ? 'selected' : '',
    focused ? 'focused' : '',
    isNew ? 'new' : '',
    s.status === 'pending' ? 'pending' : '',
    s.problems.length ? 'has-problems' : '',
  ];
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-ref={s.ref}
      id={`session-row-${index}`}
      style={rowStyle(start, template)}
      onClick={(event) => store.getState().select(index, clickMode(event))}
      onDoubleClick={() => void store.getState().openDetails(s.ref)}
      onContextMenu={(event) => onMenu(event, index, s)}
      onFocus={() => onFocusChange(s.ref)}
      onBlur={() => onFocusChange(null)}
    >
      {columns.map((column) => (
        <div key={column.key} role="gridcell" className={`td col-${column.key}`}>
          {column.render(s)}
        </div>
      ))}
    </div>
  );
});

/** A row not loaded yet. */
export function LoadingRow({ index, start, template }: { index: number; start: number; template: string }) {
  return (
    <div className="tr loading" role="row" aria-rowindex={index + 2} style={rowStyle(start, template)}>
      <div role="gridcell" className="td muted">
        …
      </div>
    </div>
  );
}
