/** The native application menu, as data: labels, platform shortcuts, and what each item asks for. */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { MenuCommand } from '../../shared/ipc.js';
import { buildMenuTemplate, type MenuActions, revealLabel } from './menu.js';

type Item = MenuItemConstructorOptions;

function build(platform: NodeJS.Platform, recent: string[] = []) {
  const actions = { command: vi.fn(), openRecent: vi.fn(), showAbout: vi.fn() } satisfies MenuActions;
  return { template: buildMenuTemplate(platform, recent, actions), actions };
}

const submenuOf = (item: Item | undefined): Item[] =>
  Array.isArray(item?.submenu) ? (item.submenu as Item[]) : [];
const menu = (template: Item[], label: string) => submenuOf(template.find((m) => m.label === label));
const item = (items: Item[], label: string) => items.find((i) => i.label === label);
const click = (entry: Item | undefined) => entry?.click?.({} as never, undefined, {} as never);

/** What each labelled item asks the renderer to do when clicked. */
function commandsOf(items: Item[], actions: { command: ReturnType<typeof vi.fn> }) {
  const out: Record<string, MenuCommand | undefined> = {};
  for (const entry of items.filter((i) => i.label && i.click)) {
    actions.command.mockClear();
    click(entry);
    out[`${entry.label}${entry.visible === false ? ' (hidden)' : ''}`] = actions.command.mock.calls[0]?.[0];
  }
  return out;
}

const PLATFORMS: NodeJS.Platform[] = ['darwin', 'win32', 'linux'];

describe('the application menu', () => {
  it.each(PLATFORMS)('on %s has File, Edit, View, Session and Help', (platform) => {
    const { template } = build(platform);
    const labels = template.map((m) => m.label ?? m.role);
    expect(labels).toEqual([
      ...(platform === 'darwin' ? ['appMenu'] : []),
      'File',
      'Edit',
      'View',
      'Session',
      'help',
    ]);
  });

  it.each(PLATFORMS)(
    'on %s: File opens a MobileApps folder with CmdOrCtrl+O, and lists the recent ones',
    (platform) => {
      const { template, actions } = build(platform, ['/srv/4D/MobileApps', '/Users/a/MobileApps']);
      const file = menu(template, 'File');
      const open = item(file, 'Open MobileApps Folder…');
      expect(open?.accelerator).toBe('CmdOrCtrl+O');
      click(open);
      expect(actions.command).toHaveBeenCalledExactlyOnceWith('open-folder');

      const recent = submenuOf(item(file, 'Open Recent'));
      expect(recent.map((r) => r.label)).toEqual(['/srv/4D/MobileApps', '/Users/a/MobileApps']);
      click(recent[1]);
      expect(actions.openRecent).toHaveBeenCalledExactlyOnceWith('/Users/a/MobileApps');

      click(item(file, 'Close Folder'));
      expect(actions.command).toHaveBeenLastCalledWith('close-folder');
    },
  );

  it('says when there is no recent folder', () => {
    const recent = submenuOf(item(menu(build('linux').template, 'File'), 'Open Recent'));
    expect(recent).toEqual([{ label: 'No Recent Folders', enabled: false }]);
  });

  it.each(PLATFORMS)('on %s: View refreshes with CmdOrCtrl+R and F5, and shows the problems', (platform) => {
    const { template, actions } = build(platform);
    const view = menu(template, 'View');
    const refresh = view.filter((i) => i.label === 'Refresh');
    expect(refresh.map((r) => r.accelerator).sort()).toEqual(['CmdOrCtrl+R', 'F5']);
    const f5 = refresh.find((r) => r.accelerator === 'F5');
    // Hidden, the F5 item must still answer its key.
    if (f5?.visible === false) expect(f5.acceleratorWorksWhenHidden).toBe(true);
    expect(commandsOf(view, actions)).toMatchObject({
      Refresh: 'refresh',
      'Refresh (hidden)': 'refresh',
      Problems: 'show-problems',
    });
  });

  it.each([
    ['darwin', 'Reveal in Finder'],
    ['win32', 'Show in Explorer'],
    ['linux', 'Show in Folder'],
  ] as const)(
    'on %s: Session accepts, sets pending, reveals (“%s”) and moves to the trash',
    (platform, reveal) => {
      expect(revealLabel(platform)).toBe(reveal);
      const { template, actions } = build(platform);
      const session = menu(template, 'Session');
      expect(commandsOf(session, actions)).toEqual({
        Accept: 'accept',
        'Set Pending': 'set-pending',
        [reveal]: 'reveal',
        'Move to Trash': 'move-to-trash',
        'Undo Last Change': 'undo',
      });
      expect(item(session, 'Move to Trash')?.accelerator).toBe(
        platform === 'darwin' ? 'Cmd+Backspace' : 'Delete',
      );
    },
  );

  it.each(PLATFORMS)('on %s: Help opens the Push setup, and About is somewhere', (platform) => {
    const { template, actions } = build(platform);
    const help = submenuOf(template.find((m) => m.role === 'help'));
    click(help.find((i) => i.label?.startsWith('Push Setup')));
    expect(actions.command).toHaveBeenCalledExactlyOnceWith('push-setup');
    const about = [...help, ...submenuOf(template.find((m) => m.role === 'appMenu'))].find(
      (i) => i.label === 'About Mobile Sessions',
    );
    click(about);
    expect(actions.showAbout).toHaveBeenCalledTimes(1);
  });

  it('gives each shortcut to one command only', () => {
    for (const platform of PLATFORMS) {
      const accelerators = build(platform)
        .template.flatMap((m) => submenuOf(m))
        .flatMap((i) => (typeof i.accelerator === 'string' ? [i.accelerator] : []));
      expect(new Set(accelerators).size, platform).toBe(accelerators.length);
    }
  });
});
