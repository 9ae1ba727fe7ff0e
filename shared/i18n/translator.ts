/**
 * One translator per language, shared by the renderer (through react-i18next) and the main process
 * (menus, dialogs, notifications). Messages are ICU MessageFormat (i18next-icu over FormatJS's
 * intl-messageformat): plurals, selects and numbers follow the language's own CLDR rules, and no
 * sentence is assembled by concatenation.
 */
import i18next, { type i18n, type TOptions } from 'i18next';
import ICU from 'i18next-icu';
import { CATALOGS, NAMESPACES, REFERENCE_LANGUAGE } from './catalogs.js';

/** Keys without a namespace are the window's. */
const DEFAULT_NAMESPACE = 'window';

/** `t('namespace:key.path', { name: value })` */
export type Translate = (key: string, values?: TOptions) => string;

export function createI18n(language: string): i18n {
  const instance = i18next.createInstance();
  void instance.use(new ICU()).init({
    resources: CATALOGS,
    lng: language,
    fallbackLng: REFERENCE_LANGUAGE,
    ns: [...NAMESPACES],
    defaultNS: DEFAULT_NAMESPACE,
    // React escapes what it renders; native menus and dialogs show plain text.
    interpolation: { escapeValue: false },
    // The catalogs are bundled: ready at once, so the first render is already translated.
    initAsync: false,
    returnNull: false,
  });
  return instance;
}

/** A plain `t` for code outside React. */
export function createTranslator(language: string): Translate {
  const instance = createI18n(language);
  return (key, values) => instance.t(key, values) as string;
}
