/**
 * The table: which rows (app folder, filters, order), the blocks of rows loaded, the focus and
 * the selection. The engine filters and sorts; the store holds only the blocks on screen.
 */
import { MAX_ROWS_PER_QUERY, type SessionFilter } from '../../../shared/contract.js';
import { folderOf } from '../../../shared/text.js';
import { ApiError } from '../api/client.js';
import {
  BLOCK_SIZE,
  NO_FILTERS,
  NO_SELECTION,
  type SessionsState,
  type StoreContext,
  type TableSlice,
} from './storeTypes.js';

/** The filter the engine applies for the table as it is now. */
export const currentFilter = (s: Pick<SessionsState, 'folder' | 'filters' | 'sort'>): SessionFilter => ({
  folder: s.folder,
  ...s.filters,
  search: s.filters.search.trim(),
  sort: s.sort,
});

export function createTableSlice({ api, t, set, get, fail, live }: StoreContext): TableSlice {
  // A folder gone is shown by its state; a query a newer one replaced is answered by the newer one.
  const failUnlessMissing = (error: unknown) => {
    if (!(error instanceof ApiError && (error.code === 'root-missing' || error.code === 'cancelled')))
      fail(error);
  };

  /** The refs of rows `from`..`to` (inclusive), loaded or not, in pages the contract allows. */
  const refsBetween = async (from: number, to: number): Promise<string[]> => {
    const refs: string[] = [];
    for (let offset = from; offset <= to; offset += MAX_ROWS_PER_QUERY) {
      const page = await api.request('querySessions', {
        filter: currentFilter(get()),
        offset,
        limit: Math.min(MAX_ROWS_PER_QUERY, to - offset + 1),
      });
      refs.push(...page.rows.map((r) => r.ref));
    }
    return refs;
  };

  /** A range reaching rows not loaded: completed from the engine, unless the table moved on meanwhile. */
  const completeRange = async (from: number, to: number) => {
    const { generation, selection } = get();
    try {
      const refs = await refsBetween(from, to);
      const now = get();
      if (now.generation !== generation || now.selection !== selection) return;
      set({ selection: { ...selection, refs: new Set(refs) } });
    } catch (error) {
      failUnlessMissing(error);
    }
  };

  return {
    folder: null,
    filters: NO_FILTERS,
    sort: null,
    generation: 0,
    total: 0,
    matching: 0,
    matchingPending: 0,
    blocks: new Map(),
    focusedIndex: 0,
    selection: NO_SELECTION,
    highlighted: new Set(),
    rowMenuAsked: 0,

    askRowMenu() {
      if (get().rowAt(get().focusedIndex)) set({ rowMenuAsked: get().rowMenuAsked + 1 });
    },

    selectFolder(folder) {
      set({
        folder,
        generation: get().generation + 1,
        blocks: new Map(),
        focusedIndex: 0,
        selection: NO_SELECTION,
        view: 'sessions',
      });
    },

    setFilters(filters) {
      // Other rows are shown: what was selected is out of view, and nothing acts on it any more.
      set({
        filters: { ...get().filters, ...filters },
        generation: get().generation + 1,
        focusedIndex: 0,
        selection: NO_SELECTION,
      });
    },

    toggleSort(key) {
      const sort = get().sort;
      const next =
        sort?.key !== key
          ? { key, direction: 'asc' as const }
          : sort.direction === 'asc'
            ? { key, direction: 'desc' as const }
            : null; // a third click returns to the default order
      set({ sort: next, generation: get().generation + 1 });
    },

    async loadBlock(block) {
      const generation = get().generation;
      const ask = live.askRows();
      try {
        const page = await api.request('querySessions', {
          filter: currentFilter(get()),
          offset: block * BLOCK_SIZE,
          limit: BLOCK_SIZE,
        });
        const { rows, stale } = ask.done(page.rows);
        if (get().generation !== generation) return;
        const blocks = new Map(get().blocks);
        blocks.set(block, rows);
        set({ blocks, total: page.total, matching: page.matching, matchingPending: page.matchingPending });
        // Answered before a change this window already shows: its counts are older, ask again.
        if (stale) live.refetch({ rows: true });
      } catch (error) {
        ask.failed();
        failUnlessMissing(error);
      }
    },

    rowAt(index) {
      return get().blocks.get(Math.floor(index / BLOCK_SIZE))?.[index % BLOCK_SIZE];
    },

    rowByRef(ref) {
      for (const rows of get().blocks.values()) {
        const row = rows.find((r) => r.ref === ref);
        if (row) return row;
      }
      return undefined;
    },

    select(index, mode) {
      const row = get().rowAt(index);
      if (!row) return;
      const { selection } = get();
      let refs: Set<string>;
      let missing = false;
      if (mode === 'toggle') {
        refs = new Set(selection.allMatching ? [] : selection.refs);
        if (refs.has(row.ref)) refs.delete(row.ref);
        else refs.add(row.ref);
      } else if (mode === 'range' && selection.anchor !== null) {
        refs = new Set();
        const [from, to] = [Math.min(selection.anchor, index), Math.max(selection.anchor, index)];
        for (let i = from; i <= to; i += 1) {
          const r = get().rowAt(i);
          if (r) refs.add(r.ref);
          else missing = true;
        }
        if (missing) {
          const anchor = selection.anchor;
          set({ selection: { refs, allMatching: false, anchor }, focusedIndex: index });
          void completeRange(from, to);
          return;
        }
      } else refs = new Set([row.ref]);
      set({
        selection: {
          refs,
          allMatching: false,
          anchor: mode === 'range' && selection.anchor !== null ? selection.anchor : index,
        },
        focusedIndex: index,
      });
      if (refs.size === 1 && get().details) void get().openDetails(row.ref);
    },

    moveFocus(to, extend) {
      const { matching } = get();
      if (matching === 0) return;
      const index = Math.max(0, Math.min(matching - 1, to));
      const mode = extend ? 'range' : 'replace';
      if (get().rowAt(index)) {
        get().select(index, mode);
        return;
      }
      // A row not loaded yet (End in a long list): focus it now, select it when its block is in.
      set({ focusedIndex: index });
      void get()
        .loadBlock(Math.floor(index / BLOCK_SIZE))
        .then(() => {
          if (get().focusedIndex === index) get().select(index, mode);
        });
    },

    selectAll() {
      set({ selection: { refs: new Set(), allMatching: true, anchor: null } });
    },

    clearSelection() {
      set({ selection: NO_SELECTION });
    },

    async focusRef(ref) {
      set({ filters: NO_FILTERS, sort: null, view: 'sessions' });
      get().selectFolder(folderOf(ref) || null);
      try {
        const { index } = await api.request('locateSession', { filter: currentFilter(get()), ref });
        if (index === null) {
          get().notify(t('window:notices.sessionGone', { ref }));
          return;
        }
        await get().loadBlock(Math.floor(index / BLOCK_SIZE));
        get().select(index, 'replace');
        await get().openDetails(ref);
      } catch (error) {
        failUnlessMissing(error);
      }
    },
  };
}
