/**
 * The window's language: follow the system (the browser), or one of the languages the app has a
 * catalog for. The list is built from the catalogs found (`LANGUAGES`), each language named in its
 * own language, so a new catalog shows up here with no change to this file.
 */
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../../../shared/i18n/catalogs.js';
import { languageName, pickLanguage } from '../../../shared/i18n/language.js';
import { useLanguage } from '../i18n/LanguageProvider.js';

/** The language the system (the browser) asks for, as the app would pick it. */
const systemLanguage = (choice: string, inUse: string): string =>
  choice === 'system' ? inUse : pickLanguage(globalThis.navigator?.languages ?? []);

/**
 * Memoized: it sits in the status bar, which renders again with every answer to a keystroke (the
 * counts), and its catalog messages showed in the keystroke's profile; it changes only with the
 * language.
 */
export const LanguageSelect = memo(function LanguageSelect() {
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
          {t('window:language.system', { name: languageName(systemLanguage(choice, language)) })}
        </option>
        {LANGUAGES.map((code) => (
          <option key={code} value={code} lang={code}>
            {languageName(code)}
          </option>
        ))}
      </select>
    </label>
  );
});
