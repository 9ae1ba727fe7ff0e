/**
 * The context menus, from the one vocabulary: the same ids, words and order on every door (a
 * native menu in Electron, the DOM menu in a browser). The chosen id goes to the store's `run`.
 */
import type { KeyPlatform } from '../../../shared/accelerators.js';
import {
  type CommandId,
  commandLabel,
  ROW_CONTEXT_MENU,
  TABLE_CONTEXT_MENU,
} from '../../../shared/commands.js';
import type { SessionSummary } from '../../../shared/contract.js';
import type { Translate } from '../../../shared/i18n/translator.js';
import type { MenuItemModel } from '../../../shared/ipc.js';

function model(
  layout: readonly (CommandId | null)[],
  platform: KeyPlatform,
  count: number,
  enabled: (id: CommandId) => boolean,
  t: Translate,
): MenuItemModel[] {
  return layout.map((id) =>
    id === null
      ? { type: 'separator' }
      : { type: 'item', id, label: commandLabel(id, platform, t, count), enabled: enabled(id) },
  );
}

/** A row's menu; `count` sessions are selected (the row among them); its words in `t`'s language. */
export function rowContextMenu(
  platform: KeyPlatform,
  row: SessionSummary,
  count: number,
  t: Translate,
): MenuItemModel[] {
  const enabled = (id: CommandId) => {
    if (id === 'accept') return count > 1 || row.status !== 'accepted';
    if (id === 'set-pending') return count > 1 || row.status !== 'pending';
    if (id === 'copy-email') return Boolean(row.email);
    return true;
  };
  return model(ROW_CONTEXT_MENU, platform, count, enabled, t);
}

/** The menu of the table's empty space. */
export function tableContextMenu(platform: KeyPlatform, t: Translate): MenuItemModel[] {
  return model(TABLE_CONTEXT_MENU, platform, 1, () => true, t);
}

/** The command a menu answered, if it is one of the menu's own items (an answer crossed IPC). */
export function chosenCommand(items: MenuItemModel[], choice: string | null): CommandId | null {
  const item = items.find((i) => i.type === 'item' && i.id === choice);
  return item && item.type === 'item' && item.enabled !== false ? (item.id as CommandId) : null;
}
