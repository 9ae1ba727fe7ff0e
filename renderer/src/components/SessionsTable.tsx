/**
 * The sessions of the selected app, virtualized: only the visible rows exist in the DOM, and
 * only the blocks of rows on screen are fetched from the engine.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { type CSSProperties, useEffect, useMemo, useRef, useState } from 'react';
import type { SessionSummary, SortKey } from '../../../shared/contract.js';
import type { MenuItemModel } from '../../../shared/ipc.js';
import { folderOf } from '../../../shared/text.js';
import { deviceTooltip, formatDate, osLabel, revealLabel } from '../format.js';
import { useSessions, useSessionsStore } from '../store/StoreContext.js';
import { BLOCK_SIZE } from '../store/sessionsStore.js';
import { showContextMenu } from './ContextMenu.js';

const ROW_HEIGHT = 36;

interface Column {
  key: SortKey;
  label: string;
  width: number;
  render: (s: SessionSummary) => React.ReactNode;
}

export function SessionsTable() {
  const store = useSessionsStore();
  const api = useSessions((s) => s.api);
  const platform = useSessions((s) => s.app?.platform ?? 'browser');
  const folder = useSessions((s) => s.folder);
  const matching = useSessions((s) => s.matching);
  const total = useSessions((s) => s.total);
  const generation = useSessions((s) => s.generation);
  const blocks = useSessions((s) => s.blocks);
  const sort = useSessions((s) => s.sort);
  const selection = useSessions((s) => s.selection);
  const focusedIndex = useSessions((s) => s.focusedIndex);
  const highlighted = useSessions((s) => s.highlighted);
  const apps = useSessions((s) => s.apps);
  const scrollRef = useRef<HTMLDivElement>(null);
  const requested = useRef(new Map<number, number>());
  const [widths, setWidths] = useState<Record<string, number>>({});

  const columns = useMemo<Column[]>(() => {
    const list: Column[] = [
      {
        key: 'device',
        label: 'Device',
        width: 220,
        render: (s) => (
          <span className="device" title={deviceTooltip(s)}>
            {s.problems.length > 0 && (
              <span
                className="problem-mark"
                role="img"
                aria-label={`Problems: ${s.problems.map((p) => p.code).join(', ')}`}
                title={s.problems.map((p) => p.message).join('\n')}
              >
                ⚠
              </span>
            )}
            {s.device.description ?? '—'}
            {s.device.simulator && !/simulator/i.test(s.device.description ?? '') && (
              <span className="tag">Simulator</span>
            )}
          </span>
        ),
      },
      { key: 'status', label: 'Status', width: 130, render: (s) => <StatusControl session={s} /> },
      { key: 'os', label: 'OS', width: 170, render: (s) => osLabel(s) },
      {
        key: 'email',
        label: 'E-mail',
        width: 230,
        render: (s) => s.email || <span className="muted">guest</span>,
      },
      { key: 'appVersion', label: 'App version', width: 110, render: (s) => s.application.version ?? '—' },
      { key: 'language', label: 'Language', width: 100, render: (s) => s.language.id ?? '—' },
      { key: 'firstSeen', label: 'First seen', width: 170, render: (s) => formatDate(s.firstSeen) },
      { key: 'modified', label: 'Last change', width: 170, render: (s) => formatDate(s.modified) },
      { key: 'ip', label: 'IP', width: 170, render: (s) => s.session.ip ?? '—' },
    ];
    if (folder === null) {
      const names = new Map(apps.map((a) => [a.folder, a.name]));
      list.splice(1, 0, {
        key: 'app',
        label: 'App',
        width: 150,
        render: (s) => names.get(folderOf(s.ref)) ?? '',
      });
    }
    return list.map((c) => ({ ...c, width: widths[c.key] ?? c.width }));
  }, [folder, apps, widths]);

  const template = columns.map((c) => `${c.width}px`).join(' ');
  const virtualizer = useVirtualizer({
    count: matching,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  // Fetch the blocks on screen that are missing or stale; stale rows stay visible until replaced.
  useEffect(() => {
    const wanted = new Set<number>([0]);
    for (let b = Math.floor(first / BLOCK_SIZE); b <= Math.floor(last / BLOCK_SIZE); b += 1) wanted.add(b);
    for (const block of wanted) {
      if (requested.current.get(block) === generation) continue;
      requested.current.set(block, generation);
      void store.getState().loadBlock(block);
    }
  }, [first, last, generation, store]);

  useEffect(() => {
    virtualizer.scrollToIndex(focusedIndex, { align: 'auto' });
  }, [focusedIndex, virtualizer]);

  const rowAt = (index: number) => blocks.get(Math.floor(index / BLOCK_SIZE))?.[index % BLOCK_SIZE];
  const isSelected = (s: SessionSummary) => selection.allMatching || selection.refs.has(s.ref);

  const onRowContextMenu = async (event: React.MouseEvent, index: number, s: SessionSummary) => {
    event.preventDefault();
    event.stopPropagation();
    if (!isSelected(s)) store.getState().select(index, 'replace');
    const count = store.getState().selection.allMatching ? matching : store.getState().selection.refs.size;
    const items: MenuItemModel[] = [
      {
        type: 'item',
        id: 'accept',
        label: count > 1 ? `Accept ${count} Sessions` : 'Accept',
        enabled: count > 1 || s.status !== 'accepted',
      },
      {
        type: 'item',
        id: 'pending',
        label: count > 1 ? `Set ${count} Sessions Pending` : 'Set Pending',
        enabled: count > 1 || s.status !== 'pending',
      },
      { type: 'separator' },
      { type: 'item', id: 'reveal', label: revealLabel(platform) },
      { type: 'item', id: 'copy-id', label: 'Copy Session ID' },
      { type: 'item', id: 'copy-email', label: 'Copy E-mail', enabled: Boolean(s.email) },
      { type: 'separator' },
      { type: 'item', id: 'trash', label: count > 1 ? `Move ${count} Sessions to Trash` : 'Move to Trash' },
    ];
    const choice = await showContextMenu(api, items, event.clientX, event.clientY);
    const state = store.getState();
    if (choice === 'accept') await state.setStatus('selection', 'accepted');
    else if (choice === 'pending') await state.setStatus('selection', 'pending');
    else if (choice === 'reveal') await state.reveal(s.ref);
    else if (choice === 'copy-id') await copy(s.id, state.notify);
    else if (choice === 'copy-email') await copy(s.email ?? '', state.notify);
    else if (choice === 'trash') await state.deleteSessions('selection');
  };

  const onEmptyContextMenu = async (event: React.MouseEvent) => {
    event.preventDefault();
    const choice = await showContextMenu(
      api,
      [{ type: 'item', id: 'refresh', label: 'Refresh' }],
      event.clientX,
      event.clientY,
    );
    if (choice === 'refresh') await store.getState().refresh();
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    const state = store.getState();
    const mod = event.metaKey || event.ctrlKey;
    const move = (to: number) => {
      const index = Math.max(0, Math.min(matching - 1, to));
      state.select(index, event.shiftKey ? 'range' : 'replace');
    };
    if (event.key === 'ArrowDown') move(focusedIndex + 1);
    else if (event.key === 'ArrowUp') move(focusedIndex - 1);
    else if (event.key === 'PageDown') move(focusedIndex + 15);
    else if (event.key === 'PageUp') move(focusedIndex - 15);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(matching - 1);
    else if (mod && event.key.toLowerCase() === 'a') state.selectAll();
    else if (event.key === ' ') {
      const row = rowAt(focusedIndex);
      if (row && !state.selection.refs.size && !state.selection.allMatching)
        state.select(focusedIndex, 'replace');
      if (row) void state.setStatus('selection', row.status === 'pending' ? 'accepted' : 'pending');
    } else if (event.key === 'Enter') {
      const row = rowAt(focusedIndex);
      if (row) void state.openDetails(row.ref);
    } else if (event.key === 'Delete' || (event.metaKey && event.key === 'Backspace')) {
      void state.deleteSessions('selection');
    } else if (event.key === 'Escape') state.clearSelection();
    else return;
    event.preventDefault();
  };

  const startResize = (event: React.PointerEvent, column: Column) => {
    event.preventDefault();
    event.stopPropagation();
    const startX = event.clientX;
    const startWidth = column.width;
    const onMove = (e: PointerEvent) =>
      setWidths((w) => ({ ...w, [column.key]: Math.max(60, startWidth + e.clientX - startX) }));
    const onUp = () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
  };

  if (total === 0 && matching === 0 && blocks.size > 0) {
    return (
      <div className="empty" role="status">
        <p>This app has no sessions yet. They appear here as devices log in.</p>
      </div>
    );
  }

  return (
    <div
      className="table"
      role="grid"
      aria-label="Sessions"
      aria-rowcount={matching + 1}
      aria-multiselectable="true"
      aria-activedescendant={rowAt(focusedIndex) ? `session-row-${focusedIndex}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="thead" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template }}>
        {columns.map((column) => {
          const direction = sort?.key === column.key ? sort.direction : null;
          return (
            <div
              key={column.key}
              role="columnheader"
              className="th"
              aria-sort={direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none'}
            >
              <button type="button" onClick={() => store.getState().toggleSort(column.key)}>
                {column.label}
                <span aria-hidden="true" className="sort-mark">
                  {direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : ''}
                </span>
              </button>
              <span className="resize" aria-hidden="true" onPointerDown={(e) => startResize(e, column)} />
            </div>
          );
        })}
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: right-click on empty space offers Refresh */}
      <div className="tbody" ref={scrollRef} onContextMenu={onEmptyContextMenu}>
        <div
          style={{
            height: virtualizer.getTotalSize(),
            position: 'relative',
            minWidth: columns.reduce((n, c) => n + c.width, 0),
          }}
        >
          {items.map((item) => {
            const s = rowAt(item.index);
            const style: CSSProperties = {
              position: 'absolute',
              top: 0,
              transform: `translateY(${item.start}px)`,
              height: ROW_HEIGHT,
              gridTemplateColumns: template,
            };
            if (!s) {
              return (
                <div
                  key={`loading-${item.index}`}
                  className="tr loading"
                  role="row"
                  aria-rowindex={item.index + 2}
                  style={style}
                >
                  <div role="gridcell" className="td muted">
                    …
                  </div>
                </div>
              );
            }
            const classes = [
              'tr',
              isSelected(s) ? 'selected' : '',
              item.index === focusedIndex ? 'focused' : '',
              highlighted.has(s.ref) ? 'new' : '',
              s.status === 'pending' ? 'pending' : '',
              s.problems.length ? 'has-problems' : '',
            ];
            return (
              <div
                key={s.ref}
                className={classes.filter(Boolean).join(' ')}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={isSelected(s)}
                data-ref={s.ref}
                id={`session-row-${item.index}`}
                style={style}
                onClick={(event) =>
                  store
                    .getState()
                    .select(
                      item.index,
                      event.shiftKey ? 'range' : event.metaKey || event.ctrlKey ? 'toggle' : 'replace',
                    )
                }
                onDoubleClick={() => void store.getState().openDetails(s.ref)}
                onContextMenu={(event) => void onRowContextMenu(event, item.index, s)}
              >
                {columns.map((column) => (
                  <div key={column.key} role="gridcell" className={`td col-${column.key}`}>
                    {column.render(s)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function StatusControl({ session }: { session: SessionSummary }) {
  const setStatus = useSessions((s) => s.setStatus);
  if (session.status === null) return <span className="muted">invalid</span>;
  return (
    <select
      aria-label="Status"
      className={`status ${session.status}`}
      value={session.status}
      onClick={(event) => event.stopPropagation()}
      onKeyDown={(event) => event.stopPropagation()}
      onChange={(event) => void setStatus([session.ref], event.target.value as 'accepted' | 'pending')}
    >
      <option value="accepted">accepted</option>
      <option value="pending">pending</option>
    </select>
  );
}

async function copy(text: string, notify: (message: string) => void) {
  try {
    await navigator.clipboard.writeText(text);
    notify(`Copied ${text}`);
  } catch {
    notify(`Could not use the clipboard: ${text}`);
  }
}
