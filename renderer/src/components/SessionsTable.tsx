/**
 * The sessions of the selected app, virtualized: only the visible rows exist in the DOM, and
 * only the blocks of rows on screen are fetched from the engine.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionSummary } from '../../../shared/contract.js';
import { appLabel, folderOf } from '../../../shared/text.js';
import { chosenCommand, rowContextMenu, tableContextMenu } from '../commands/contextMenus.js';
import { deviceTooltip, osLabel, shortIp, statusLabel } from '../format.js';
import { useFormats, useLanguage } from '../i18n/LanguageProvider.js';
import { problemExplanation, problemTitle } from '../problemTexts.js';
import { useSessions, useSessionsStore } from '../store/StoreContext.js';
import { BLOCK_SIZE } from '../store/sessionsStore.js';
import { NO_FILTERS } from '../store/storeTypes.js';
import { showContextMenu } from './ContextMenu.js';
import { useFixedRows } from './fixedRows.js';
import { type Column, LoadingRow, ROW_HEIGHT, type RowMenuHandler, SessionRow } from './SessionRow.js';
import { blocksOnScreen, blocksToFetch, type HeldRow, rowKey, selectedCount } from './tableLogic.js';

/** The id the skip link and the keyboard's Escape bring the focus back to. */
export const SESSIONS_GRID_ID = 'sessions-grid';

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
  const requested = useRef(new Map<number, number>());
  const [widths, setWidths] = useState<Record<string, number>>({});
  const { t } = useTranslation();
  const formats = useFormats();
  const { language } = useLanguage();

  const columns = useMemo<Column[]>(() => {
    // The words every row shows, asked of the catalog once per language, not once per row.
    const words: StatusWords = {
      accepted: statusLabel('accepted', t),
      pending: statusLabel('pending', t),
      invalid: statusLabel(null, t),
      control: t('window:table.statusControl'),
    };
    const guest = t('window:session.guest');
    const simulator = t('window:session.simulator');
    const list: Column[] = [
      {
        key: 'device',
        labelKey: 'device',
        width: 116,
        grow: 1.6,
        render: (s) => (
          <span
            // Its own element per session: the tooltip written on hover is never another's.
            key={s.ref}
            className="device"
            // The tooltip is written when the pointer comes: eight catalog messages per row, for
            // every row of every answer, cost more than the rest of the row.
            onPointerEnter={(event) => {
              event.currentTarget.title = deviceTooltip(s, t);
            }}
          >
            {s.problems.length > 0 && (
              <span
                className="problem-mark"
                role="img"
                aria-label={t('window:table.problems', {
                  codes: formats.list(s.problems.map((p) => problemTitle(p, t))),
                })}
                title={s.problems.map((p) => problemExplanation(p, language, t)).join('\n')}
              >
                ⚠
              </span>
            )}
            {s.device.description ?? '—'}
            {s.device.simulator && !/simulator/i.test(s.device.description ?? '') && (
              <span className="tag">{simulator}</span>
            )}
          </span>
        ),
      },
      {
        key: 'status',
        labelKey: 'status',
        // Room for the longest status word with its arrow (French « en attente »).
        width: 132,
        grow: 0,
        render: (s) => <StatusControl session={s} words={words} />,
      },
      { key: 'os', labelKey: 'os', width: 96, grow: 0.6, render: (s) => osLabel(s) },
      {
        key: 'email',
        labelKey: 'email',
        width: 135,
        grow: 1.8,
        render: (s) => s.email || <span className="muted">{guest}</span>,
      },
      {
        key: 'appVersion',
        labelKey: 'appVersion',
        width: 78,
        grow: 0.2,
        render: (s) => s.application.version ?? '—',
      },
      { key: 'language', labelKey: 'language', width: 84, grow: 0.2, render: (s) => s.language.id ?? '—' },
      {
        key: 'firstSeen',
        labelKey: 'firstSeen',
        width: 150,
        grow: 0,
        render: (s) => formats.dateTime(s.firstSeen),
      },
      {
        key: 'modified',
        labelKey: 'modified',
        width: 150,
        grow: 0,
        render: (s) => formats.dateTime(s.modified),
      },
      {
        key: 'ip',
        labelKey: 'ip',
        width: 105,
        grow: 1,
        render: (s) => <span title={s.session.ip ?? undefined}>{shortIp(s.session.ip)}</span>,
      },
    ];
    if (folder === null) {
      // The iOS and the Android build of an app share a name: the platform tells them apart.
      const names = new Map(apps.map((a) => [a.folder, appLabel(a)]));
      list.splice(1, 0, {
        key: 'app',
        labelKey: 'app',
        width: 115,
        grow: 1.2,
        render: (s) => <span title={names.get(folderOf(s.ref))}>{names.get(folderOf(s.ref)) ?? ''}</span>,
      });
    }
    return list.map((c) => (widths[c.key] ? { ...c, width: widths[c.key] as number, grow: 0 } : c));
  }, [folder, apps, widths, t, formats, language]);

  // Each column its least width and a share of the rest: the table fills the window and fits it.
  const template = columns
    .map((c) => (c.grow > 0 ? `minmax(${c.width}px, ${c.grow}fr)` : `${c.width}px`))
    .join(' ');
  const minWidth = columns.reduce((n, c) => n + c.width, 0);
  const {
    scrollRef,
    rows: items,
    totalHeight,
    scrollToIndex,
  } = useFixedRows({
    count: matching,
    rowHeight: ROW_HEIGHT,
    // Four rows beyond the screen each way, not twelve: every row rendered for an answer is paid
    // by the keystroke that asked for it (bench/README.md).
    overscan: 4,
  });
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? 0;

  // Fetch the blocks on screen that are missing or stale; stale rows stay visible until replaced.
  useEffect(() => {
    for (const block of blocksToFetch(blocksOnScreen(first, last), generation, requested.current))
      void store.getState().loadBlock(block);
  }, [first, last, generation, store]);

  useEffect(() => {
    scrollToIndex(focusedIndex);
  }, [focusedIndex, scrollToIndex]);

  const rowAt = (index: number) => blocks.get(Math.floor(index / BLOCK_SIZE))?.[index % BLOCK_SIZE];
  const isSelected = (s: SessionSummary) => selection.allMatching || selection.refs.has(s.ref);

  const openRowMenu = async (x: number, y: number, index: number, s: SessionSummary) => {
    if (!isSelected(s)) store.getState().select(index, 'replace');
    const items = rowContextMenu(platform, s, selectedCount(store.getState().selection, matching), t);
    const command = chosenCommand(items, await showContextMenu(api, items, x, y));
    if (command) await store.getState().run(command, { ref: s.ref });
  };

  const onRowContextMenu = async (event: React.MouseEvent, index: number, s: SessionSummary) => {
    event.preventDefault();
    event.stopPropagation();
    await openRowMenu(event.clientX, event.clientY, index, s);
  };
  // One function for every render, so that memoized rows stay as they are; it calls the latest.
  const latestRowMenu = useRef(onRowContextMenu);
  latestRowMenu.current = onRowContextMenu;
  const onRowMenu = useCallback<RowMenuHandler>((event, index, s) => {
    void latestRowMenu.current(event, index, s);
  }, []);
  // The row holding the focus keeps the key it had when the focus came (`rowKey`); no render
  // is needed for that, so both live in refs. The keys of this render, by session:
  const heldRow = useRef<HeldRow | null>(null);
  const renderedKeys = useRef(new Map<string, string>());
  renderedKeys.current = new Map();
  const onRowFocus = useCallback((ref: string | null) => {
    heldRow.current = ref === null ? null : { ref, key: renderedKeys.current.get(ref) ?? ref };
  }, []);

  // Shift+F10 or the menu key (the store's `open-row-menu`): the focused row's menu, under the row.
  const rowMenuAsked = useSessions((s) => s.rowMenuAsked);
  const menuAnswered = useRef(rowMenuAsked);
  useEffect(() => {
    if (rowMenuAsked === menuAnswered.current) return;
    menuAnswered.current = rowMenuAsked;
    const { focusedIndex: index, rowAt: loadedRow } = store.getState();
    const s = loadedRow(index);
    const box = document.getElementById(`session-row-${index}`)?.getBoundingClientRect();
    if (!s || !box) return;
    void openRowMenu(box.left + 24, box.bottom, index, s).then(() =>
      document.getElementById(SESSIONS_GRID_ID)?.focus(),
    );
  });

  const onEmptyContextMenu = async (event: React.MouseEvent) => {
    event.preventDefault();
    const items = tableContextMenu(platform, t);
    const command = chosenCommand(items, await showContextMenu(api, items, event.clientX, event.clientY));
    if (command) await store.getState().run(command);
  };

  const startResize = (event: React.PointerEvent, column: Column) => {
    event.preventDefault();
    event.stopPropagation();
    const startX = event.clientX;
    // Its width on screen, which a growing column sets beyond its least width.
    const header = (event.currentTarget as HTMLElement).parentElement;
    const startWidth = header ? header.getBoundingClientRect().width : column.width;
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
        <p>{t('window:table.noSessions')}</p>
      </div>
    );
  }

  if (matching === 0 && total > 0 && blocks.size > 0) {
    return (
      <div className="empty" role="status">
        <p>{t('window:table.noMatch', { total })}</p>
        <button type="button" onClick={() => store.getState().setFilters(NO_FILTERS)}>
          {t('window:table.clearFilters')}
        </button>
      </div>
    );
  }

  return (
    <div
      className="table"
      role="grid"
      aria-label={t('window:table.label')}
      aria-rowcount={matching + 1}
      aria-multiselectable="true"
      aria-activedescendant={rowAt(focusedIndex) ? `session-row-${focusedIndex}` : undefined}
      tabIndex={0}
      id={SESSIONS_GRID_ID}
    >
      <div className="thead" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, minWidth }}>
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
                {t(`window:table.columns.${column.labelKey}`)}
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
      <div className="tbody" ref={scrollRef} onContextMenu={onEmptyContextMenu} style={{ minWidth }}>
        <div style={{ height: totalHeight, position: 'relative' }}>
          {items.map((item) => {
            const s = rowAt(item.index);
            if (!s)
              return (
                <LoadingRow
                  key={`loading-${item.index}`}
                  index={item.index}
                  start={item.start}
                  template={template}
                />
              );
            const key = rowKey(s.ref, item.index, highlighted.has(s.ref), heldRow.current);
            renderedKeys.current.set(s.ref, key);
            return (
              <SessionRow
                key={key}
                session={s}
                index={item.index}
                start={item.start}
                columns={columns}
                template={template}
                selected={isSelected(s)}
                focused={item.index === focusedIndex}
                isNew={highlighted.has(s.ref)}
                onMenu={onRowMenu}
                onFocusChange={onRowFocus}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

/** The status words, asked of the catalog once per language. */
interface StatusWords {
  accepted: string;
  pending: string;
  invalid: string;
  /** The control's accessible name. */
  control: string;
}

function StatusControl({ session, words }: { session: SessionSummary; words: StatusWords }) {
  const store = useSessionsStore();
  if (session.status === null) return <span className="muted">{words.invalid}</span>;
  // The options show the status in the window's words; their values are what the engine takes.
  return (
    <select
      aria-label={words.control}
      className={`status ${session.status}`}
      value={session.status}
      onClick={(event) => event.stopPropagation()}
      onChange={(event) =>
        void store
          .getState()
          .run(event.target.value === 'accepted' ? 'accept' : 'set-pending', { refs: [session.ref] })
      }
    >
      <option value="accepted">{words.accepted}</option>
      <option value="pending">{words.pending}</option>
    </select>
  );
}
