/**
 * The app's command vocabulary, declared once: each command's id, its words, and which doors
 * offer it (the native menu with its accelerator, a context menu, the page's own keys). The native
 * menu (electron/main/menu.ts), the context menus and the keyboard handler of the window
 * (renderer/src/commands/) read it from here, and every door ends in one dispatcher
 * (`run(id, args)` of the renderer's store). Plain TypeScript: no DOM, no Node.
 *
 * Who handles a key: in the desktop app the native menu owns its accelerators and the page never
 * takes one of them for another command (`electron/main/menu.test.ts` checks every one, the Edit
 * menu's roles included). Where the page handles a menu's key itself (Delete in the table), the
 * menu shows it without registering it. In the browser mode, which has no native menu, the page
 * handles the menu's accelerators too.
 */
import type { KeyPlatform } from './accelerators.js';
import type { Translate } from './i18n/translator.js';

/** One accelerator everywhere, or one for macOS and one for the others (null: none there). */
export type Keys = string | { mac: string | null; other: string | null };

/** Roles of Electron's Edit menu whose accelerator a page key takes over where that key applies. */
export type EditRole = 'undo' | 'selectAll';

export interface PageKey {
  keys: Keys;
  /** `table`: while the sessions table has the focus; `page`: anywhere outside a text field. */
  where: 'table' | 'page';
  /** With Shift held, a move extends the selection. */
  extend?: true;
  /**
   * The Edit menu's role with the same accelerator, which this key replaces where it applies:
   * Select All in the table selects sessions, not the page's text; Undo outside a text field
   * undoes the last change, not typing. In a text field the role keeps the key.
   */
  takesOverRole?: EditRole;
}

/**
 * A command's words are in the `commands` catalog under its id (shared/i18n/locales/<language>/commands.json);
 * `<id>-many` is the label for several selected sessions, and a per-platform label is an object keyed by
 * platform (`other` for the rest).
 */
export interface CommandSpec {
  /** The label names the platform's file manager: one per platform. */
  perPlatform?: true;
  /** Acting on several selected sessions, the label says how many (`<id>-many`). */
  many?: true;
  /** In the native application menu (its place is menu.ts's), with these accelerators. */
  menu?: {
    keys?: Keys;
    /** More accelerators, each on a hidden item that still answers its key (F5 for Refresh). */
    hiddenKeys?: readonly string[];
  };
  /** Sent by the main process without a menu item: a notification was clicked. */
  notification?: true;
  /** Keys the page handles itself. */
  keys?: readonly PageKey[];
}

export const COMMANDS = {
  'open-folder': { menu: { keys: 'CmdOrCtrl+O' } },
  'close-folder': { menu: {} },
  refresh: { menu: { keys: 'CmdOrCtrl+R', hiddenKeys: ['F5'] } },
  'show-problems': { menu: { keys: 'CmdOrCtrl+Shift+P' } },
  accept: {
    many: true,
    menu: { keys: 'CmdOrCtrl+Shift+A' },
  },
  'set-pending': {
    many: true,
    menu: { keys: 'CmdOrCtrl+Shift+E' },
  },
  reveal: { perPlatform: true, menu: {} },
  'copy-id': {},
  'copy-email': {},
  'move-to-trash': {
    many: true,
    menu: { keys: { mac: 'Cmd+Backspace', other: 'Delete' } },
    keys: [
      { keys: 'Delete', where: 'table' },
      { keys: { mac: 'Cmd+Backspace', other: null }, where: 'table' },
    ],
  },
  undo: {
    menu: { keys: 'CmdOrCtrl+Alt+Z' },
    keys: [{ keys: 'CmdOrCtrl+Z', where: 'page', takesOverRole: 'undo' }],
  },
  'push-setup': { menu: {} },
  'focus-session': { notification: true },
  'export-csv': {},
  /** The Clean-up view: old, duplicate, simulator and guest sessions, previewed before anything moves. */
  'clean-up': {},
  push: {},
  'select-all': {
    keys: [{ keys: 'CmdOrCtrl+A', where: 'table', takesOverRole: 'selectAll' }],
  },
  // Before Clear Selection: with the details open, Escape closes them first (anywhere but a text field).
  'close-details': { keys: [{ keys: 'Escape', where: 'page' }] },
  'clear-selection': { keys: [{ keys: 'Escape', where: 'table' }] },
  'toggle-status': { keys: [{ keys: 'Space', where: 'table' }] },
  'open-details': { keys: [{ keys: 'Enter', where: 'table' }] },
  /** The focused row's context menu from the keyboard, as Windows and Linux offer it. */
  'open-row-menu': {
    keys: [
      { keys: 'Shift+F10', where: 'table' },
      { keys: 'ContextMenu', where: 'table' },
    ],
  },
  'next-row': {
    keys: [
      { keys: 'Down', where: 'table' },
      { keys: 'Shift+Down', where: 'table', extend: true },
    ],
  },
  'previous-row': {
    keys: [
      { keys: 'Up', where: 'table' },
      { keys: 'Shift+Up', where: 'table', extend: true },
    ],
  },
  'next-page': {
    keys: [
      { keys: 'PageDown', where: 'table' },
      { keys: 'Shift+PageDown', where: 'table', extend: true },
    ],
  },
  'previous-page': {
    keys: [
      { keys: 'PageUp', where: 'table' },
      { keys: 'Shift+PageUp', where: 'table', extend: true },
    ],
  },
  'first-row': {
    keys: [
      { keys: 'Home', where: 'table' },
      { keys: 'Shift+Home', where: 'table', extend: true },
    ],
  },
  'last-row': {
    keys: [
      { keys: 'End', where: 'table' },
      { keys: 'Shift+End', where: 'table', extend: true },
    ],
  },
} as const satisfies Record<string, CommandSpec>;

export type CommandId = keyof typeof COMMANDS;

/** The commands the main process may send: the menu's, and a notification's click. */
export type MenuCommand = {
  [K in CommandId]: (typeof COMMANDS)[K] extends { menu: object } | { notification: true } ? K : never;
}[CommandId];

export const COMMAND_IDS = Object.keys(COMMANDS) as CommandId[];

const spec = (id: CommandId): CommandSpec => COMMANDS[id];

export const MENU_COMMANDS = COMMAND_IDS.filter(
  (id) => spec(id).menu || spec(id).notification,
) as MenuCommand[];

/** Whether a message's command is one the main process may send (the renderer checks what arrives). */
export const isMenuCommand = (value: unknown): value is MenuCommand =>
  typeof value === 'string' && (MENU_COMMANDS as string[]).includes(value);

/** A row's context menu, top to bottom (null: a separator). */
export const ROW_CONTEXT_MENU: readonly (CommandId | null)[] = [
  'accept',
  'set-pending',
  null,
  'reveal',
  'copy-id',
  'copy-email',
  null,
  'move-to-trash',
];

/** The context menu of the table's empty space. */
export const TABLE_CONTEXT_MENU: readonly (CommandId | null)[] = ['refresh'];

/** A command's label in the translator's language: per platform, or counting several sessions. */
export function commandLabel(id: CommandId, platform: KeyPlatform, t: Translate, count = 1): string {
  const { perPlatform, many } = spec(id);
  if (perPlatform)
    return t(`commands:${id}.${platform === 'darwin' || platform === 'win32' ? platform : 'other'}`);
  if (count > 1 && many) return t(`commands:${id}-many`, { count });
  return t(`commands:${id}`);
}

/** The accelerators of `keys` on a platform; a browser gets both variants (the page cannot tell a Mac). */
export function keysFor(keys: Keys, platform: KeyPlatform): string[] {
  if (typeof keys === 'string') return [keys];
  const list =
    platform === 'darwin' ? [keys.mac] : platform === 'browser' ? [keys.mac, keys.other] : [keys.other];
  return list.filter((key): key is string => key !== null);
}

/**
 * A command's native-menu accelerators on a platform: the one its item shows, those of its hidden
 * items, and the ones the menu answers: all of them but those the page handles itself.
 */
export function menuKeys(
  id: CommandId,
  platform: KeyPlatform,
): { shown: string | null; hidden: string[]; answered: string[] } {
  const menu = spec(id).menu;
  const all = menu?.keys ? keysFor(menu.keys, platform) : [];
  const hidden = [...(menu?.hiddenKeys ?? [])];
  const page = new Set(pageKeys(id, platform).map((k) => k.key));
  return { shown: all[0] ?? null, hidden, answered: [...all, ...hidden].filter((key) => !page.has(key)) };
}

/** The keys the page handles for a command on a platform, with where. */
export function pageKeys(id: CommandId, platform: KeyPlatform): (Omit<PageKey, 'keys'> & { key: string })[] {
  return (spec(id).keys ?? []).flatMap(({ keys, ...rest }) =>
    keysFor(keys, platform).map((key) => ({ ...rest, key })),
  );
}
