/**
 * The desktop app's language: the admin's choice (View › Language, or the window's own setting),
 * kept in the data folder as `language.json`, or else the first of the operating system's preferred
 * languages the app has a catalog for, else English. Main's menus, dialogs, notifications and tray
 * speak it through `t()`; the window asks for it over IPC and is told when it changes.
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { LANGUAGES } from '../../shared/i18n/catalogs.js';
import {
  type LanguageChoice,
  type LanguageSetting,
  pickLanguage,
  readChoice,
} from '../../shared/i18n/language.js';
import { createTranslator, type Translate } from '../../shared/i18n/translator.js';

export const LANGUAGE_FILE = 'language.json';

/** What IPC may ask for: `system` or a language the app has catalogs for; anything else is refused. */
export const isLanguageChoice = (value: unknown): value is LanguageChoice =>
  value === 'system' || (typeof value === 'string' && LANGUAGES.includes(value));

/** What main needs of Electron's `app` to know the system's languages. */
export interface SystemLocale {
  getPreferredSystemLanguages(): string[];
  getLocale(): string;
}

/**
 * The OS's preferred languages, most preferred first. Electron's list can be empty (a Linux session
 * without LANGUAGE or LANG set); then Chromium's own UI locale stands in.
 */
export function systemLanguages(app: SystemLocale): string[] {
  const preferred = app.getPreferredSystemLanguages();
  if (preferred.length > 0) return preferred;
  const locale = app.getLocale();
  return locale ? [locale] : [];
}

/** The stored choice; a missing, unreadable or foreign file (or an unknown language in it) is `system`. */
function loadChoice(file: string): LanguageChoice {
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { choice?: unknown } | null;
    return readChoice(stored?.choice);
  } catch {
    return 'system';
  }
}

const translators = new Map<string, Translate>();

/** One translator per language, made once. */
export function translatorFor(language: string): Translate {
  let t = translators.get(language);
  if (!t) {
    t = createTranslator(language);
    translators.set(language, t);
  }
  return t;
}

export class DesktopLanguage {
  private readonly file: string;
  private choice: LanguageChoice;
  private readonly listeners = new Set<(setting: LanguageSetting) => void>();

  constructor(
    dataDir: string,
    /** Read each time: the system's languages are asked for only after Electron is ready. */
    private readonly preferred: () => readonly string[],
    private readonly log: (message: string, error?: unknown) => void = () => {},
  ) {
    this.file = path.join(dataDir, LANGUAGE_FILE);
    this.choice = loadChoice(this.file);
  }

  setting(): LanguageSetting {
    return { choice: this.choice, language: pickLanguage(this.preferred(), this.choice) };
  }

  /** The translator of the language in use now. */
  t(): Translate {
    return translatorFor(this.setting().language);
  }

  /**
   * Keeps the admin's choice and tells the listeners. The choice applies at once; if it cannot be
   * saved (a read-only data folder), it lasts until the app quits and the failure is logged.
   */
  async choose(choice: LanguageChoice): Promise<LanguageSetting> {
    if (!isLanguageChoice(choice)) {
      throw new Error(
        `"${String(choice)}" is not a language the app speaks (${['system', ...LANGUAGES].join(', ')})`,
      );
    }
    const changed = choice !== this.choice;
    this.choice = choice;
    const setting = this.setting();
    if (changed) {
      try {
        await mkdir(path.dirname(this.file), { recursive: true });
        await writeFileAtomic(this.file, `${JSON.stringify({ choice }, null, 2)}\n`);
      } catch (error) {
        this.log(`could not save the language choice in ${this.file}`, error);
      }
      for (const listener of this.listeners) listener(setting);
    }
    return setting;
  }

  /** Called after each change of the admin's choice; returns the unsubscribe function. */
  onChange(listener: (setting: LanguageSetting) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
