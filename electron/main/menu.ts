/**
 * The native application menu, built as data so it can be tested without Electron. Its command
 * items (words, accelerators, the command each sends) come from the one vocabulary in
 * shared/commands.ts; this module only places them. Every word is in the app's language
 * (`desktop` and `commands` catalogs), Electron's role items included: Electron's own role labels
 * are English on Windows and Linux.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { KeyPlatform } from '../../shared/accelerators.js';
import { commandLabel, type MenuCommand, menuKeys } from '../../shared/commands.js';
import { LANGUAGES } from '../../shared/i18n/catalogs.js';
import { type LanguageChoice, type LanguageSetting, languageName } from '../../shared/i18n/language.js';
import type { Translate } from '../../shared/i18n/translator.js';

export interface MenuActions {
  command: (command: MenuCommand) => void;
  openRecent: (root: string) => void;
  showAbout: () => void;
  /** View › Language: the admin's choice (language.ts keeps it; the menu is then built again). */
  chooseLanguage: (choice: LanguageChoice) => void;
  /** Check for Updates… (updates.ts): the app menu on macOS, the Help menu elsewhere. */
  checkForUpdates?: () => void;
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
  t: Translate,
): MenuItemConstructorOptions[] {
  const keys = keyPlatform(platform);
  const { shown, hidden, answered } = menuKeys(id, keys);
  const label = commandLabel(id, keys, t);
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

/** The language the menu speaks, and the admin's choice it shows in View › Language. */
export interface MenuLanguage {
  t: Translate;
  setting: LanguageSetting;
}

type Role = NonNullable<MenuItemConstructorOptions['role']>;

/** View › Language: follow the system, or one language, each named in its own language. */
function languageItems(
  { t, setting }: MenuLanguage,
  choose: (choice: LanguageChoice) => void,
): MenuItemConstructorOptions[] {
  const radio = (choice: LanguageChoice, label: string): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: setting.choice === choice,
    click: () => choose(choice),
  });
  return [
    radio('system', t('desktop:menu.languageSystem')),
    { type: 'separator' },
    ...LANGUAGES.map((code) => radio(code, languageName(code))),
  ];
}

export function buildMenuTemplate(
  platform: NodeJS.Platform,
  recentRoots: string[],
  actions: MenuActions,
  language: MenuLanguage,
): MenuItemConstructorOptions[] {
  const { t } = language;
  const mac = platform === 'darwin';
  const command = (id: MenuCommand) => commandItems(id, platform, actions, t);
  /** A role item with our label: Electron keeps the role's behaviour and accelerator. */
  const role = (name: Role, label = t(`desktop:menu.roles.${name}`)): MenuItemConstructorOptions => ({
    role: name,
    label,
  });
  const quit = role('quit', t(`desktop:menu.roles.quit.${mac || platform === 'win32' ? platform : 'other'}`));
  const about = { label: t('desktop:menu.about'), click: actions.showAbout };
  const template: MenuItemConstructorOptions[] = [];
  const checkForUpdates = actions.checkForUpdates
    ? [{ label: t('desktop:updates.checkForUpdates'), click: actions.checkForUpdates }]
    : [];
  if (mac) {
    // Its title is the app's name, which macOS shows whatever the label.
    template.push({
      role: 'appMenu',
      submenu: [
        about,
        ...checkForUpdates,
        { type: 'separator' },
        role('services'),
        { type: 'separator' },
        role('hide'),
        role('hideOthers'),
        role('unhide'),
        { type: 'separator' },
        quit,
      ],
    });
  }
  template.push(
    {
      label: t('desktop:menu.file'),
      submenu: [
        ...command('open-folder'),
        {
          label: t('desktop:menu.openRecent'),
          submenu: recentRoots.length
            ? recentRoots.map((root) => ({ label: root, click: () => actions.openRecent(root) }))
            : [{ label: t('desktop:menu.noRecentFolders'), enabled: false }],
        },
        { type: 'separator' },
        ...command('close-folder'),
        mac ? role('close') : quit,
      ],
    },
    {
      label: t('desktop:menu.edit'),
      submenu: [
        role('undo'),
        role('redo'),
        { type: 'separator' },
        role('cut'),
        role('copy'),
        role('paste'),
        role('selectAll'),
      ],
    },
    {
      label: t('desktop:menu.view'),
      submenu: [
        // F5 too, as admins expect from Windows tools: a hidden item that still answers its key.
        ...command('refresh'),
        ...command('show-problems'),
        { type: 'separator' },
        role('resetZoom'),
        role('zoomIn'),
        role('zoomOut'),
        { type: 'separator' },
        role('togglefullscreen'),
        { type: 'separator' },
        { label: t('desktop:menu.language'), submenu: languageItems(language, actions.chooseLanguage) },
      ],
    },
    {
      label: t('desktop:menu.session'),
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
    // macOS: the standard Window menu (Minimize Cmd+M, Zoom, Bring All to Front), its items
    // given here only for their words; macOS still adds the window list.
    ...(mac
      ? [
          {
            role: 'windowMenu' as const,
            label: t('desktop:menu.window'),
            submenu: [role('minimize'), role('zoom'), { type: 'separator' as const }, role('front')],
          },
        ]
      : []),
    {
      role: 'help',
      label: t('desktop:menu.help'),
      submenu: [
        ...command('push-setup'),
        ...(mac ? [] : [{ type: 'separator' as const }, ...checkForUpdates, about]),
      ],
    },
  );
  return template;
}
