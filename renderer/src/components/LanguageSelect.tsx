/**
 * The window's language: follow the system (the browser), or one of the languages the app has a
 * catalog for. The list is built from the catalogs found (`LANGUAGES`), each language named in its
 * own language, so a new catalog shows up here with no change to this file.
 */
import { useTranslation } from 'react-i18next';
import { CATALOGS, LANGUAGES } from '../../../shared/i18n/catalogs.js';
import { pickLanguage } from '../../../shared/i18n/language.js';
import { useLanguage } from '../i18n/LanguageProvider.js';

/**
 * A language's own name for itself (French says it in French), from its `meta` catalog when it has one,
 * else from Intl, capitalised as a menu item is.
 */
export function nativeName(code: string): string {
  const own = CATALOGS[code]?.meta?.name;
  if (typeof own === 'string') return own;
  let name = code;
  try {
    name = new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code;
  } catch {
    // An engine without the name: the code says it well enough.
  }
  return name.charAt(0).toLocaleUpperCase(code) + name.slice(1);
}

/** The language the system (the browser) asks for, as the app would pick it. */
const systemLanguage = (choice: string, inUse: string): string =>
  choice === 'system' ? inUse : pickLanguage(globalThis.navigator?.languages ?? []);

export function LanguageSelect() {
  const { t } = useTranslation();
  const { choice, language, choose } = useLanguage();
  return (
    <label className="language">
      <span className="visually-hidden">{t('window:language.label')}</span>
      <select
        className="language-choice"
        aria-label={t('window:language.label')}
        value={choice}
        onChange={(event) => void choose(event.target.value)}
      >
        <option value="system">
          {t('window:language.system', { name: nativeName(systemLanguage(choice, language)) })}
        </option>
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {nativeName(code)}
          </option>
        ))}
      </select>
    </label>
  );
}
