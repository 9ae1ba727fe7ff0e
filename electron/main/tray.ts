/**
 * The tray (Windows, Linux) / menu-bar (macOS) icon: the number of devices waiting for approval, and
 * a menu to open the window, refresh, turn "Open at Login" on or off, and quit. With it, a new device
 * is noticed while the window is closed (the app keeps running in the tray on macOS and Windows).
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { Translate } from '../../shared/i18n/translator.js';

export interface TrayActions {
  open: () => void;
  refresh: () => void;
  quit: () => void;
}

/** "Open at Login": Electron's login items exist on macOS and Windows only (null elsewhere). */
export interface LoginItem {
  get: () => boolean;
  set: (openAtLogin: boolean) => void;
}

/** What the tray needs of Electron's Tray. */
export interface TrayIcon {
  setToolTip(toolTip: string): void;
  setTitle(title: string): void;
  setContextMenu(menu: unknown): void;
  on(event: 'click', listener: () => void): unknown;
}

export interface TrayPorts {
  createTray: () => TrayIcon;
  buildMenu: (template: MenuItemConstructorOptions[]) => unknown;
  loginItem: LoginItem | null;
  platform: NodeJS.Platform;
  /** The app's language now (read at each render: `retranslate()` after a change). */
  translate: () => Translate;
}

export const pendingLabel = (count: number, t: Translate): string => t('desktop:tray.pending', { count });

export function trayMenuTemplate(
  count: number,
  openAtLogin: boolean | null,
  actions: TrayActions & { setOpenAtLogin: (on: boolean) => void },
  t: Translate,
): MenuItemConstructorOptions[] {
  return [
    { label: pendingLabel(count, t), enabled: false },
    { type: 'separator' },
    { label: t('desktop:tray.open'), click: actions.open },
    { label: t('commands:refresh'), click: actions.refresh },
    ...(openAtLogin === null
      ? []
      : [
          { type: 'separator' as const },
          {
            label: t('desktop:tray.openAtLogin'),
            type: 'checkbox' as const,
            checked: openAtLogin,
            // Electron flips a checkbox item before its click runs: `checked` is the new state.
            click: (item: { checked: boolean }) => actions.setOpenAtLogin(item.checked),
          },
        ]),
    { type: 'separator' },
    { label: t('desktop:tray.quit'), click: actions.quit },
  ];
}

export class PendingTray {
  private readonly icon: TrayIcon;
  private count = 0;

  constructor(
    private readonly ports: TrayPorts,
    private readonly actions: TrayActions,
  ) {
    this.icon = ports.createTray();
    // Windows: a click on a tray icon opens its app. (macOS opens the menu; Linux's StatusNotifier
    // trays send no click.)
    if (ports.platform === 'win32') this.icon.on('click', actions.open);
    this.render();
  }

  setPendingCount(count: number): void {
    if (count === this.count) return;
    this.count = count;
    this.render();
  }

  /** The words again, in the app's language now. */
  retranslate(): void {
    this.render();
  }

  private render(): void {
    const { loginItem } = this.ports;
    const t = this.ports.translate();
    this.icon.setToolTip(t('desktop:tray.toolTip', { count: this.count }));
    // The number beside the menu-bar icon (setTitle is macOS only).
    if (this.ports.platform === 'darwin') this.icon.setTitle(this.count > 0 ? String(this.count) : '');
    const template = trayMenuTemplate(
      this.count,
      loginItem ? loginItem.get() : null,
      {
        ...this.actions,
        setOpenAtLogin: (on) => {
          loginItem?.set(on);
          this.render();
        },
      },
      t,
    );
    this.icon.setContextMenu(this.ports.buildMenu(template));
  }
}

/**
 * Whether closing the last window leaves the app running in its tray. Not on Linux: whether a
 * tray icon shows there depends on the desktop (GNOME shows none without the AppIndicator
 * extension) and Electron cannot tell, so an app left running could be out of reach: it quits.
 */
export const keepsRunningInTray = (platform: NodeJS.Platform): boolean =>
  platform === 'darwin' || platform === 'win32';
