/**
 * Which language the app speaks: the admin's choice when there is one, else the first of the
 * system's (or the browser's) preferred languages the app has a catalog for, else English.
 */
import { CATALOGS, LANGUAGES, REFERENCE_LANGUAGE } from './catalogs.js';

/** `system`: follow the operating system (the browser in the browser mode); else a language code. */
export type LanguageChoice = 'system' | string;

export interface LanguageSetting {
  /** What the admin chose. */
  choice: LanguageChoice;
  /** The language in use: the choice, or the one picked from the preferred languages. */
  language: string;
}

/** The supported language that best matches a BCP 47 tag (a regional tag falls back to its base language), or null. */
export function matchLanguage(tag: string, supported: readonly string[] = LANGUAGES): string | null {
  const lower = tag.trim().toLowerCase().replace(/_/g, '-');
  if (!lower) return null;
  const exact = supported.find((code) => code.toLowerCase() === lower);
  if (exact) return exact;
  const base = lower.split('-')[0];
  return supported.find((code) => code.toLowerCase() === base) ?? null;
}

export function pickLanguage(
  preferred: readonly string[],
  choice: LanguageChoice = 'system',
  supported: readonly string[] = LANGUAGES,
): string {
  if (choice !== 'system') {
    const chosen = matchLanguage(choice, supported);
    if (chosen) return chosen;
  }
  for (const tag of preferred) {
    const match = matchLanguage(tag, supported);
    if (match) return match;
  }
  return REFERENCE_LANGUAGE;
}

/** A stored choice read back: anything but `system` or a supported language is `system`. */
export function readChoice(value: unknown, supported: readonly string[] = LANGUAGES): LanguageChoice {
  return typeof value === 'string' && value !== 'system' && supported.includes(value) ? value : 'system';
}

/**
 * A language's name written in that language: from its own catalog (`meta.json`) when it has one,
 * else from `Intl`, capitalised as a menu item is.
 */
export function languageName(code: string): string {
  const own = CATALOGS[code]?.meta?.name;
  if (typeof own === 'string') return own;
  let name = code;
  try {
    name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  } catch {
    // An engine without the name (or a code it refuses): the code says it well enough.
  }
  return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
}
