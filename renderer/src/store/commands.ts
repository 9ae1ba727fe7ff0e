/**
 * The one command dispatcher: the native menu, the context menus, the keyboard and the buttons all
 * end here, by the command ids of the one vocabulary (shared/commands.ts). A command without its
 * own sessions (`refs`, `ref`) acts on the selection, or on the focused row where it needs one.
 */
import type { CommandId } from '../../../shared/commands.js';
import type { CommandArgs, CommandsSlice, StoreContext } from './storeTypes.js';

/** Rows that Page Up and Page Down move by. */
const PAGE_ROWS = 15;

type Handler = (args: CommandArgs) => Promise<void> | void;

export function createCommandsSlice({ api, env, t, get, fail }: StoreContext): CommandsSlice {
  const focused = () => get().rowAt(get().focusedIndex);
  const target = (args: CommandArgs) => args.refs ?? 'selection';
  const rowFor = (args: CommandArgs) => (args.ref ? get().rowByRef(args.ref) : focused());
  const move = (to: (index: number) => number): Handler => {
    return ({ extend }) => get().moveFocus(to(get().focusedIndex), extend === true);
  };
  const copy = async (text: string) => {
    try {
      await env.copy(text);
      get().notify(t('window:notices.copied', { text }));
    } catch {
      get().notify(t('window:notices.noClipboard', { text }));
    }
  };

  const handlers: Record<CommandId, Handler> = {
    'open-folder': async () => {
      const picked = await api.pickFolder?.();
      if (picked) await get().openRoot(picked);
    },
    'close-folder': () => get().closeRoot(),
    refresh: () => get().refresh(),
    'show-problems': () => get().setView('problems'),
    accept: (args) => get().setStatus(target(args), 'accepted'),
    'set-pending': (args) => get().setStatus(target(args), 'pending'),
    reveal: (args) => {
      const ref = args.ref ?? focused()?.ref;
      if (ref) return get().reveal(ref);
    },
    'copy-id': (args) => {
      const row = rowFor(args);
      if (row) return copy(row.id);
    },
    'copy-email': (args) => {
      const row = rowFor(args);
      if (row?.email) return copy(row.email);
    },
    'move-to-trash': (args) => get().deleteSessions(target(args)),
    undo: (args) => get().undo(args.batch ?? null),
    'push-setup': () => get().openPushSetup(),
    'focus-session': (args) => {
      if (args.ref) return get().focusRef(args.ref);
    },
    'export-csv': () => get().exportCsv(),
    'clean-up': () => get().openCleanup(),
    push: () => get().startPush(),
    'select-all': () => get().selectAll(),
    'clear-selection': () => get().clearSelection(),
    'toggle-status': () => {
      const row = focused();
      if (!row) return;
      const { selection, focusedIndex } = get();
      if (!selection.refs.size && !selection.allMatching) get().select(focusedIndex, 'replace');
      return get().setStatus('selection', row.status === 'pending' ? 'accepted' : 'pending');
    },
    'close-details': () => get().openDetails(null),
    'open-row-menu': () => get().askRowMenu(),
    'open-details': () => {
      const row = focused();
      if (row) return get().openDetails(row.ref);
    },
    'next-row': move((i) => i + 1),
    'previous-row': move((i) => i - 1),
    'next-page': move((i) => i + PAGE_ROWS),
    'previous-page': move((i) => i - PAGE_ROWS),
    'first-row': move(() => 0),
    'last-row': move(() => get().matching - 1),
  };

  return {
    async run(command, args = {}) {
      if (!get().canRun(command)) return;
      try {
        await handlers[command](args);
      } catch (error) {
        fail(error);
      }
    },

    canRun(command) {
      if (command === 'open-folder') return api.pickFolder !== null;
      // Escape closes the details only when they are open and no dialog has the key.
      if (command === 'close-details') return get().details !== null && get().pushDialog === null;
      return true;
    },
  };
}
