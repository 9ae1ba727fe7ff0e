/**
 * Native dialogs and context menus for the IPC adapter. The context menu's and the confirmation's
 * words come from the window, already in its language; the rest is in `translate()`'s.
 */
import { type BrowserWindow, dialog, Menu } from 'electron';
import type { Translate } from '../../shared/i18n/translator.js';
import type { ConfirmModel, MenuItemModel } from '../../shared/ipc.js';
import type { DesktopDialogs } from './ipcAdapter.js';

export const nativeDialogs = (translate: () => Translate): DesktopDialogs => ({
  showContextMenu: (window: BrowserWindow, items: MenuItemModel[]) =>
    new Promise((resolve) => {
      let chosen: string | null = null;
      const menu = Menu.buildFromTemplate(
        items.map((item) =>
          item.type === 'separator'
            ? { type: 'separator' }
            : {
                label: item.label,
                enabled: item.enabled ?? true,
                click: () => {
                  chosen = item.id;
                },
              },
        ),
      );
      // `callback` runs when the menu closes, after any click.
      menu.popup({ window, callback: () => resolve(chosen) });
    }),

  pickFolder: async (window: BrowserWindow) => {
    const result = await dialog.showOpenDialog(window, {
      title: translate()('desktop:dialogs.pickFolderTitle'),
      buttonLabel: translate()('desktop:dialogs.pickFolderButton'),
      properties: ['openDirectory'],
    });
    return result.canceled ? null : (result.filePaths[0] ?? null);
  },

  confirm: async (window: BrowserWindow, model: ConfirmModel) => {
    const { response } = await dialog.showMessageBox(window, {
      type: model.destructive ? 'warning' : 'question',
      message: model.message,
      detail: model.detail,
      buttons: [model.confirmLabel, model.cancelLabel ?? translate()('desktop:dialogs.cancel')],
      defaultId: model.destructive ? 1 : 0,
      cancelId: 1,
      noLink: true,
    });
    return response === 0;
  },
});
