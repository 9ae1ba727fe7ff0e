/**
 * Short notices after each change, with Undo; errors say what happened. A notice closes by
 * itself after a while, except an error (the admin reads it, then closes it) and a path to copy;
 * only the newest few are shown; each belongs to the folder it is about and goes with it.
 */
import type { Notice, NoticesSlice, StoreContext } from './storeTypes.js';

const NOTICE_MS = 10_000;
/** The newest notices shown at once; an older one makes room. */
export const MAX_NOTICES = 3;

export function createNoticesSlice({ set, get }: Pick<StoreContext, 'set' | 'get'>): NoticesSlice {
  let lastId = 0;
  /** The closing timer of each notice that closes by itself. */
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  const closeLater = (id: number) => {
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(() => get().dismiss(id), NOTICE_MS),
    );
  };
  return {
    notices: [],

    notify(message, options = {}) {
      lastId += 1;
      const notice: Notice = {
        id: lastId,
        message,
        kind: options.kind ?? 'info',
        undoBatch: options.undoBatch ?? null,
        path: options.path,
        root: get().app?.root ?? null,
      };
      set({ notices: [...get().notices.slice(-(MAX_NOTICES - 1)), notice] });
      if (notice.kind !== 'error' && !notice.path) closeLater(notice.id);
    },

    dismiss(id) {
      clearTimeout(timers.get(id));
      timers.delete(id);
      set({ notices: get().notices.filter((n) => n.id !== id) });
    },

    holdNotice(id, held) {
      // Under the pointer or the keyboard's focus, a notice waits for the admin to finish reading it.
      if (!timers.has(id)) return;
      if (held) clearTimeout(timers.get(id));
      else closeLater(id);
    },

    batchUndone(batch) {
      const { notices } = get();
      if (!notices.some((n) => n.undoBatch === batch)) return;
      set({ notices: notices.map((n) => (n.undoBatch === batch ? { ...n, undoBatch: null } : n)) });
    },

    keepNoticesOf(root) {
      const { notices } = get();
      const kept = notices.filter((n) => n.root === root);
      if (kept.length !== notices.length) set({ notices: kept });
    },
  };
}
