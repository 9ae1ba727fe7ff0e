import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { createTranslator } from '../../shared/i18n/translator.js';
import { keepsRunningInTray, PendingTray, pendingLabel, type TrayIcon } from './tray.js';

const english = createTranslator('en');
const french = createTranslator('fr');

function recordingIcon() {
  const calls: string[] = [];
  let menu: MenuItemConstructorOptions[] = [];
  const clicks: (() => void)[] = [];
  const icon: TrayIcon = {
    setToolTip: (text) => calls.push(`toolTip ${text}`),
    setTitle: (text) => calls.push(`title ${text}`),
    setContextMenu: (built) => {
      menu = built as MenuItemConstructorOptions[];
    },
    on: (_event, listener) => clicks.push(listener),
  };
  return { icon, calls, menu: () => menu, clicks };
}

const actions = () => ({ open: vi.fn(), refresh: vi.fn(), quit: vi.fn() });
const item = (menu: MenuItemConstructorOptions[], label: string) => {
  const found = menu.find((entry) => entry.label === label);
  if (!found) throw new Error(`no ${label} in ${menu.map((entry) => entry.label).join(', ')}`);
  return found;
};
const click = (entry: MenuItemConstructorOptions, checked = false) =>
  (entry.click as unknown as (item: { checked: boolean }) => void)({ checked });

describe('PendingTray', () => {
  it('shows the pending count in the tool tip, the menu and (macOS) beside the icon', () => {
    const { icon, calls, menu } = recordingIcon();
    const tray = new PendingTray(
      {
        createTray: () => icon,
        buildMenu: (t) => t,
        loginItem: null,
        platform: 'darwin',
        translate: () => english,
      },
      actions(),
    );
    expect(menu()[0]).toMatchObject({ label: 'No device waiting for approval', enabled: false });
    tray.setPendingCount(3);
    expect(calls.slice(-2)).toEqual([
      'toolTip Mobile Sessions: 3 devices are waiting for approval',
      'title 3',
    ]);
    expect(menu()[0]?.label).toBe('3 devices are waiting for approval');
    tray.setPendingCount(0);
    expect(calls.at(-1)).toBe('title ');
  });

  it('opens, refreshes and quits from its menu; no title and no login item on Linux', () => {
    const { icon, calls, menu, clicks } = recordingIcon();
    const ports = actions();
    new PendingTray(
      {
        createTray: () => icon,
        buildMenu: (t) => t,
        loginItem: null,
        platform: 'linux',
        translate: () => english,
      },
      ports,
    );
    click(item(menu(), 'Open Mobile Sessions'));
    click(item(menu(), 'Refresh'));
    click(item(menu(), 'Quit Mobile Sessions'));
    expect([ports.open, ports.refresh, ports.quit].map((spy) => spy.mock.calls.length)).toEqual([1, 1, 1]);
    expect(menu().some((entry) => entry.label === 'Open at Login')).toBe(false);
    expect(calls.some((call) => call.startsWith('title'))).toBe(false);
    expect(clicks).toEqual([]);
  });

  it('turns Open at Login on and off, showing the state it was given', () => {
    const { icon, menu } = recordingIcon();
    let openAtLogin = false;
    const set = vi.fn((on: boolean) => {
      openAtLogin = on;
    });
    new PendingTray(
      {
        createTray: () => icon,
        buildMenu: (t) => t,
        loginItem: { get: () => openAtLogin, set },
        platform: 'win32',
        translate: () => english,
      },
      actions(),
    );
    expect(item(menu(), 'Open at Login')).toMatchObject({ type: 'checkbox', checked: false });
    click(item(menu(), 'Open at Login'), true);
    expect(set).toHaveBeenLastCalledWith(true);
    expect(item(menu(), 'Open at Login').checked).toBe(true);
    click(item(menu(), 'Open at Login'), false);
    expect(set).toHaveBeenLastCalledWith(false);
  });

  it('Windows: a click on the icon opens the window', () => {
    const { icon, clicks } = recordingIcon();
    const ports = actions();
    new PendingTray(
      {
        createTray: () => icon,
        buildMenu: (t) => t,
        loginItem: null,
        platform: 'win32',
        translate: () => english,
      },
      ports,
    );
    for (const listener of clicks) listener();
    expect(ports.open).toHaveBeenCalledTimes(1);
  });

  it('words the count', () => {
    expect([0, 1, 2].map((count) => pendingLabel(count, english))).toEqual([
      'No device waiting for approval',
      'A device is waiting for approval',
      '2 devices are waiting for approval',
    ]);
    expect(['darwin', 'win32', 'linux'].map((p) => keepsRunningInTray(p as NodeJS.Platform))).toEqual([
      true,
      true,
      false,
    ]);
  });

  it('speaks French, plurals included, and again after a change of language', () => {
    const { icon, calls, menu } = recordingIcon();
    let t = english;
    const tray = new PendingTray(
      {
        createTray: () => icon,
        buildMenu: (m) => m,
        loginItem: { get: () => false, set: vi.fn() },
        platform: 'darwin',
        translate: () => t,
      },
      actions(),
    );
    tray.setPendingCount(2);
    expect(menu()[0]?.label).toBe('2 devices are waiting for approval');
    t = french;
    tray.retranslate();
    expect(menu().map((entry) => entry.label ?? entry.type)).toEqual([
      '2 appareils sont en attente d’approbation',
      'separator',
      'Ouvrir Mobile Sessions',
      'Actualiser',
      'separator',
      'Ouvrir à la connexion',
      'separator',
      'Quitter Mobile Sessions',
    ]);
    expect(calls.at(-2)).toBe('toolTip Mobile Sessions\u00a0: 2 appareils sont en attente d’approbation');
    // French `one` covers 0 and 1; the count of none has its own words.
    expect([0, 1, 2].map((count) => pendingLabel(count, french))).toEqual([
      'Aucun appareil en attente d’approbation',
      'Un appareil est en attente d’approbation',
      '2 appareils sont en attente d’approbation',
    ]);
  });
});
