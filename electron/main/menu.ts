/**
 * The native application menu, built as data so it can be tested without Electron. Its command
 * items (words, accelerators, the command each sends) come from the one vocabulary in
 * shared/commands.ts; this module only places them.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { KeyPlatform } from '../../shared/accelerators.js';
import { commandLabel, type MenuCommand, menuKeys } from '../../shared/commands.js';
import { revealLabel } from '../../shared/labels.js';

export { revealLabel };

export interface MenuActions {
  command: (command: MenuCommand) => void;
  openRecent: (root: string) => void;
  showAbout: () => void;
}

const keyPlatform = (platform: NodeJS.Platform): KeyPlatform =>
  platform === 'darwin' || platform === 'win32' ? platform : 'linux';

/**
 * A command's menu item, plus one hidden item per extra accelerator (F5 for Refresh). An
 * accelerator the page handles itself for the same command (Delete in the table) is shown but
 * not registered, so it keeps working in text fields (`registerAccelerator` is ignored on macOS,
 * where the page's own handler runs first).
 */
function commandItems(
  id: MenuCommand,
  platform: NodeJS.Platform,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const keys = keyPlatform(platform);
  const { shown, hidden, answered } = menuKeys(id, keys);
  const label = commandLabel(id, keys);
  const click = () => actions.command(id);
  const pageHandles = shown !== null && !answered.includes(shown);
  return [
    {
      label,
      ...(shown ? { accelerator: shown } : {}),
      ...(pageHandles ? { registerAccelerator: false } : {}),
      click,
    },
    ...hidden.map((accelerator) => ({
      label,
      accelerator,
      click,
      visible: false,
      acceleratorWorksWhenHidden: true,
    })),
  ];
}

export function buildMenuTemplate(
  platform: NodeJS.Platform,
  recentRoots: string[],
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const command = (id: MenuCommand) => commandItems(id, platform, actions);
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
        ...command('open-folder'),
        {
          label: 'Open Recent',
          submenu: recentRoots.length
            ? recentRoots.map((root) => ({ label: root, click: () => actions.openRecent(root) }))
            : [{ label: 'No Recent Folders', enabled: false }],
        },
        { type: 'separator' },
        ...command('close-folder'),
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
        // F5 too, as admins expect from Windows tools: a hidden item that still answers its key.
        ...command('refresh'),
        ...command('show-problems'),
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
        ...command('accept'),
        ...command('set-pending'),
        { type: 'separator' },
        ...command('reveal'),
        ...command('move-to-trash'),
        { type: 'separator' },
        ...command('undo'),
      ],
    },
    // macOS: the standard Window menu (Minimize Cmd+M, Zoom, Bring All to Front).
    ...(mac ? [{ role: 'windowMenu' as const }] : []),
    {
      role: 'help',
      submenu: [
        ...command('push-setup'),
        ...(mac
          ? []
          : [{ type: 'separator' as const }, { label: 'About Mobile Sessions', click: actions.showAbout }]),
      ],
    },
  );
  return template;
}
