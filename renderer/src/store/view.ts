/** What is shown beside or instead of the table: one session's details, the Problems view; export. */

import type { StoreContext, ViewSlice } from './storeTypes.js';
import { currentFilter } from './table.js';

export function createViewSlice({ api, env, t, set, get, fail }: StoreContext): ViewSlice {
  return {
    view: 'sessions',
    problems: [],
    details: null,

    setView(view) {
      // The details belong to the table: the Problems view takes the whole width.
      set(view === 'problems' ? { view, details: null } : { view });
      if (view === 'problems')
        void api.request('listProblems', {}).then((problems) => set({ problems }), fail);
    },

    async openDetails(ref) {
      if (ref === null) {
        set({ details: null });
        return;
      }
      try {
        set({ details: await api.request('getSession', { ref }) });
      } catch (error) {
        fail(error);
      }
    },

    async reveal(ref) {
      try {
        const result = await api.request('reveal', { ref });
        if (!result.revealed) get().notify(t('window:notices.fileLocation'), { path: result.path });
      } catch (error) {
        fail(error);
      }
    },

    async exportCsv() {
      try {
        // Excel on Windows reads a CSV without a byte-order mark as ANSI ("anaÃ¯s"): mark it there.
        const bom = get().app?.platform === 'win32' || /^Win/.test(globalThis.navigator?.platform ?? '');
        const { fileName, csv } = await api.request('exportCsv', { filter: currentFilter(get()), bom });
        env.download(fileName, csv, 'text/csv;charset=utf-8');
      } catch (error) {
        fail(error);
      }
    },
  };
}
