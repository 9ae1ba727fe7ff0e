/**
 * The native application menu, as data: labels, platform shortcuts, and what each item asks for;
 * and every accelerator it has (its roles' included) against the window's own keys.
 */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { keyPressOf, matchesAccelerator } from '../../shared/accelerators.js';
import { commandForKey } from '../../shared/commandKeys.js';
import {
  COMMANDS,
  commandLabel,
  MENU_COMMANDS,
  type MenuCommand,
  menuKeys,
  pageKeys,
} from '../../shared/commands.js';
import { CATALOGS } from '../../shared/i18n/catalogs.js';
import type { LanguageSetting } from '../../shared/i18n/language.js';
import { createTranslator, type Translate } from '../../shared/i18n/translator.js';
import { buildMenuTemplate, type MenuActions } from './menu.js';

type Item = MenuItemConstructorOptions;

const english = createTranslator('en');
const french = createTranslator('fr');
const SYSTEM_ENGLISH: LanguageSetting = { choice: 'system', language: 'en' };

function build(
  platform: NodeJS.Platform,
  recent: string[] = [],
  t: Translate = english,
  setting: LanguageSetting = SYSTEM_ENGLISH,
) {
  const actions = {
    command: vi.fn(),
    openRecent: vi.fn(),
    showAbout: vi.fn(),
    chooseLanguage: vi.fn(),
  } satisfies MenuActions;
  return { template: buildMenuTemplate(platform, recent, actions, { t, setting }), actions };
}

/** Every item of the menu, submenus walked. */
const allItems = (items: Item[]): Item[] =>
  items.flatMap((entry) => [
    entry,
    ...allItems(Array.isArray(entry.submenu) ? (entry.submenu as Item[]) : []),
  ]);

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
  it.each(PLATFORMS)('on %s has File, Edit, View, Session, Help (and Window on macOS)', (platform) => {
    const { template } = build(platform);
    const labels = template.map((m) => m.label ?? m.role);
    expect(labels).toEqual([
      ...(platform === 'darwin' ? ['appMenu'] : []),
      'File',
      'Edit',
      'View',
      'Session',
      // macOS's standard Window menu: Minimize (Cmd+M), Zoom, Bring All to Front.
      ...(platform === 'darwin' ? ['Window'] : []),
      'Help',
    ]);
    expect(template.map((m) => m.role)).toEqual([
      ...(platform === 'darwin' ? ['appMenu'] : []),
      ...[undefined, undefined, undefined, undefined],
      ...(platform === 'darwin' ? ['windowMenu'] : []),
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
      expect(commandLabel('reveal', platform, english)).toBe(reveal);
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

  it.each(PLATFORMS)(
    'on %s: gives every role item its label, which Electron would show in English',
    (platform) => {
      const roles = allItems(build(platform).template).filter(
        (entry) => entry.role && entry.role !== 'appMenu',
      );
      expect(roles.length).toBeGreaterThan(8);
      for (const entry of roles) expect(entry.label, entry.role).toMatch(/\S/);
      const quit = roles.find((entry) => entry.role === 'quit');
      expect(quit?.label).toBe(
        { darwin: 'Quit Mobile Sessions', win32: 'Exit', linux: 'Quit' }[platform as 'linux'],
      );
    },
  );

  it.each(PLATFORMS)(
    'on %s: View › Language follows the system or one language, each in its own words',
    (platform) => {
      const { template, actions } = build(platform, [], english, { choice: 'fr', language: 'fr' });
      const languages = submenuOf(item(menu(template, 'View'), 'Language'));
      expect(languages.map((entry) => [entry.label ?? entry.type, entry.type, entry.checked])).toEqual([
        ['System', 'radio', false],
        ['separator', 'separator', undefined],
        ['English', 'radio', false],
        ['Français', 'radio', true],
      ]);
      click(item(languages, 'English'));
      click(item(languages, 'System'));
      expect(actions.chooseLanguage.mock.calls).toEqual([['en'], ['system']]);
      const system = submenuOf(item(menu(build(platform).template, 'View'), 'Language'));
      expect(item(system, 'System')?.checked).toBe(true);
    },
  );

  it.each(PLATFORMS)(
    'on %s: is all French in French, but for brand names and words French shares',
    (platform) => {
      // The updater's item too: labelled through the menu's translator.
      const template = buildMenuTemplate(
        platform,
        ['/srv/4D/MobileApps'],
        {
          command: vi.fn(),
          openRecent: vi.fn(),
          showAbout: vi.fn(),
          chooseLanguage: vi.fn(),
          checkForUpdates: vi.fn(),
        },
        { t: french, setting: { choice: 'fr', language: 'fr' } },
      );
      /** Every English label the catalogs have for the menu's namespaces. */
      const englishWords = new Set<string>();
      const collect = (value: unknown) => {
        if (typeof value === 'string') englishWords.add(value);
        else if (value && typeof value === 'object')
          for (const nested of Object.values(value)) collect(nested);
      };
      collect(CATALOGS.en?.desktop);
      collect(CATALOGS.en?.commands);
      expect(englishWords.size).toBeGreaterThan(60);
      // The same word in both languages (as on a French Mac), and the language named in its own words.
      const shared = new Set(['Session', 'Services', 'English']);
      const labels = allItems(template)
        .filter((entry) => entry.type !== 'separator' && entry.label !== '/srv/4D/MobileApps')
        .map((entry) => entry.label);
      expect(labels.length).toBeGreaterThan(25);
      const leftInEnglish = labels.filter(
        (label) => label === undefined || (englishWords.has(label) && !shared.has(label)),
      );
      // The app menu's title is the app's name, which macOS sets whatever the label.
      expect(leftInEnglish).toEqual(platform === 'darwin' ? [undefined] : []);
      expect(labels).toEqual(
        expect.arrayContaining([
          'Fichier',
          'Ouvrir un dossier MobileApps…',
          'Langue',
          'Aide',
          'Rechercher les mises à jour…',
        ]),
      );
    },
  );

  it('gives each shortcut to one command only', () => {
    for (const platform of PLATFORMS) {
      const accelerators = build(platform)
        .template.flatMap((m) => submenuOf(m))
        .flatMap((i) => (typeof i.accelerator === 'string' ? [i.accelerator] : []));
      expect(new Set(accelerators).size, platform).toBe(accelerators.length);
    }
  });
});

/**
 * The default accelerators of the roles this menu uses, as Electron 41 gives them
 * (lib/browser/api/menu-item-roles.ts, `roleList`); `unregistered`: the role shows its key but does
 * not register it on Windows and Linux (`registerAccelerator: false`), the page's editing keeps it.
 */
type RoleKeys = { keys: (platform: NodeJS.Platform) => string | null; unregistered?: true };
const ROLE_KEYS: Record<string, RoleKeys> = {
  undo: { keys: () => 'CommandOrControl+Z' },
  redo: { keys: (p) => (p === 'win32' ? 'Control+Y' : 'Shift+CommandOrControl+Z') },
  cut: { keys: () => 'CommandOrControl+X', unregistered: true },
  copy: { keys: () => 'CommandOrControl+C', unregistered: true },
  paste: { keys: () => 'CommandOrControl+V', unregistered: true },
  selectall: { keys: () => 'CommandOrControl+A' },
  resetzoom: { keys: () => 'CommandOrControl+0' },
  zoomin: { keys: () => 'CommandOrControl+Plus' },
  zoomout: { keys: () => 'CommandOrControl+-' },
  togglefullscreen: { keys: (p) => (p === 'darwin' ? 'Control+Command+F' : 'F11') },
  close: { keys: () => 'CommandOrControl+W' },
  quit: { keys: (p) => (p === 'win32' ? null : 'CommandOrControl+Q') },
  hide: { keys: () => 'Command+H' },
  hideothers: { keys: () => 'Command+Alt+H' },
  unhide: { keys: () => null },
  services: { keys: () => null },
  minimize: { keys: () => 'CommandOrControl+M' },
  zoom: { keys: () => null },
  front: { keys: () => null },
  appmenu: { keys: () => null },
  windowmenu: { keys: () => null },
  help: { keys: () => null },
};

/** The roles whose submenu Electron fills in when the template gives none, and the roles in it. */
const ROLE_SUBMENUS: Record<string, (platform: NodeJS.Platform) => string[]> = {
  windowmenu: (p) => (p === 'darwin' ? ['minimize', 'zoom', 'front'] : ['minimize', 'zoom', 'close']),
};

interface Accelerated {
  accelerator: string;
  /** Whether the menu answers the key when the page leaves it alone. */
  registered: boolean;
  role?: string;
  command?: MenuCommand;
}

/** Every accelerator of the menu, its roles' defaults included, and what each stands for. */
function acceleratorsOf(platform: NodeJS.Platform): Accelerated[] {
  const { template, actions } = build(platform);
  const out: Accelerated[] = [];
  const walk = (items: Item[]) => {
    for (const entry of items) {
      walk(submenuOf(entry));
      const filledIn = entry.role && !entry.submenu ? ROLE_SUBMENUS[entry.role.toLowerCase()] : undefined;
      if (filledIn) walk(filledIn(platform).map((role) => ({ role }) as Item));
      if (entry.role) {
        const role = ROLE_KEYS[entry.role.toLowerCase()];
        if (!role) throw new Error(`add the role "${entry.role}" and its accelerator to ROLE_KEYS`);
        const accelerator = entry.accelerator ?? role.keys(platform);
        // macOS answers every key equivalent the page leaves alone; registerAccelerator is Windows' and Linux's.
        const registered = platform === 'darwin' || !role.unregistered;
        if (typeof accelerator === 'string') out.push({ accelerator, registered, role: entry.role });
      } else if (typeof entry.accelerator === 'string') {
        actions.command.mockClear();
        click(entry);
        out.push({
          accelerator: entry.accelerator,
          registered: platform === 'darwin' || entry.registerAccelerator !== false,
          command: actions.command.mock.calls[0]?.[0],
        });
      }
    }
  };
  walk(template);
  return out;
}

/** The desktop platforms, as the vocabulary names them. */
const DESKTOPS = ['darwin', 'win32', 'linux'] as const;

const WHERE: { name: string; where: 'table' | 'page'; typing: boolean }[] = [
  { name: 'in the table', where: 'table', typing: false },
  { name: 'elsewhere in the window', where: 'page', typing: false },
  { name: 'in a text field', where: 'page', typing: true },
];

describe("the menu's accelerators against the window's keys", () => {
  it.each(DESKTOPS)(
    'on %s: no key of the page swallows a menu accelerator for another command',
    (platform) => {
      const conflicts: string[] = [];
      const accelerated = acceleratorsOf(platform);
      expect(accelerated.length).toBeGreaterThan(10);
      for (const { accelerator, registered, role, command } of accelerated) {
        for (const { name, where, typing } of WHERE) {
          const page = commandForKey(keyPressOf(accelerator, platform), {
            platform,
            where,
            typing,
            canRun: () => true,
          });
          if (!page) continue; // the page leaves the key alone: the menu (or the text field) gets it
          if (command && page.command === command) continue; // the page runs the very same command
          const press = keyPressOf(accelerator, platform);
          const binding = pageKeys(page.command, platform).find((k) =>
            matchesAccelerator(press, k.key, platform),
          );
          if (role && binding?.takesOverRole?.toLowerCase() === role.toLowerCase() && !typing) continue;
          conflicts.push(
            `${accelerator} ${name}: the page runs "${page.command}", the menu ${role ? `role "${role}"` : `"${command}"`}${registered ? '' : ' (unregistered)'}`,
          );
        }
      }
      expect(conflicts).toEqual([]);
    },
  );

  it.each(DESKTOPS)(
    'on %s: a menu accelerator it does not register is the page’s, in the table',
    (platform) => {
      for (const { accelerator, registered, command } of acceleratorsOf(platform)) {
        if (registered || !command) continue;
        const page = commandForKey(keyPressOf(accelerator, platform), {
          platform,
          where: 'table',
          typing: false,
          canRun: () => true,
        });
        expect(page?.command, accelerator).toBe(command);
      }
    },
  );

  it.each(DESKTOPS)(
    'on %s: holds the vocabulary’s menu commands, with its words and shortcuts',
    (platform) => {
      const { template, actions } = build(platform);
      const found = new Map<MenuCommand, Item[]>();
      const walk = (items: Item[]) => {
        for (const entry of items) {
          walk(submenuOf(entry));
          if (entry.role || !entry.click || !entry.label) continue;
          actions.command.mockClear();
          click(entry);
          const command = actions.command.mock.calls[0]?.[0] as MenuCommand | undefined;
          if (command) found.set(command, [...(found.get(command) ?? []), entry]);
        }
      };
      walk(template);
      const expected = MENU_COMMANDS.filter((id) => !('notification' in COMMANDS[id]));
      expect([...found.keys()].sort()).toEqual([...expected].sort());
      for (const [command, entries] of found) {
        const [shown, ...hidden] = entries;
        expect(shown?.label).toBe(commandLabel(command, platform, english));
        const { shown: accelerator, answered } = menuKeys(command, platform);
        expect(shown?.accelerator ?? null).toBe(accelerator);
        // Shown but not registered exactly where the page handles the key itself (Delete in the table).
        expect(shown?.registerAccelerator === false, command).toBe(
          accelerator !== null && !answered.includes(accelerator),
        );
        expect(hidden.map((h) => [h.visible, h.accelerator])).toEqual(
          menuKeys(command, platform).hidden.map((k) => [false, k]),
        );
      }
    },
  );
});
