/** The native application menu, built as data so it can be tested without Electron. */
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/ipc.js';
import { revealLabel } from '../../shared/labels.js';

export { revealLabel };

export interface MenuActions {
  command: (command: MenuCommand) => void;
  openRecent: (root: string) => void;
  showAbout: () => void;
}

export function buildMenuTemplate(
  platform: NodeJS.Platform,
  recentRoots: string[],
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const run = (command: MenuCommand) => () => actions.command(command);
  const template: MenuItemConstructorOptions[] = [];
  if (mac) {
    template.push({
      role: 'appMenu',
      submenu: [
        { label: 'About Mobile Sessions', click: actions.showAbout },
        { type: 'separator' },
        { role: 'services' },
        { type: 'separator' },
        { role: 'hide' },
        { role: 'hideOthers' },
        { role: 'unhide' },
        { type: 'separator' },
        { role: 'quit' },
      ],
    });
  }
  template.push(
    {
      label: 'File',
      submenu: [
        { label: 'Open MobileApps Folder…', accelerator: 'CmdOrCtrl+O', click: run('open-folder') },
        {
          label: 'Open Recent',
          submenu: recentRoots.length
            ? recentRoots.map((root) => ({ label: root, click: () => actions.openRecent(root) }))
            : [{ label: 'No Recent Folders', enabled: false }],
        },
        { type: 'separator' },
        { label: 'Close Folder', click: run('close-folder') },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [
        { label: 'Refresh', accelerator: 'CmdOrCtrl+R', click: run('refresh') },
        // F5 too, as admins expect from Windows tools; hidden, it still works.
        {
          label: 'Refresh',
          accelerator: 'F5',
          click: run('refresh'),
          visible: false,
          acceleratorWorksWhenHidden: true,
        },
        { label: 'Problems', accelerator: 'CmdOrCtrl+Shift+P', click: run('show-problems') },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: 'Session',
      submenu: [
        { label: 'Accept', accelerator: 'CmdOrCtrl+Shift+A', click: run('accept') },
        { label: 'Set Pending', accelerator: 'CmdOrCtrl+Shift+E', click: run('set-pending') },
        { type: 'separator' },
        { label: revealLabel(platform), click: run('reveal') },
        {
          label: 'Move to Trash',
          accelerator: mac ? 'Cmd+Backspace' : 'Delete',
          click: run('move-to-trash'),
        },
        { type: 'separator' },
        { label: 'Undo Last Change', accelerator: 'CmdOrCtrl+Alt+Z', click: run('undo') },
      ],
    },
    {
      role: 'help',
      submenu: [
        { label: 'Push Setup…', click: run('push-setup') },
        ...(mac
          ? []
          : [{ type: 'separator' as const }, { label: 'About Mobile Sessions', click: actions.showAbout }]),
      ],
    },
  );
  return template;
}
