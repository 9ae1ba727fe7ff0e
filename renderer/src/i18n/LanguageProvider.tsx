/**
 * The window's language: react-i18next's provider over one i18next instance, switched when the
 * admin chooses another language or the system's (the browser's) changes; `<html lang>` follows,
 * so screen readers read French as French. The Intl formats of the active language go with it.
 */
import type { i18n } from 'i18next';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { I18nextProvider } from 'react-i18next';
import { createFormats, type Formats } from '../../../shared/i18n/formats.js';
import type { LanguageChoice, LanguageSetting } from '../../../shared/i18n/language.js';
import type { LanguageDoor } from '../api/client.js';

interface LanguageContextValue {
  setting: LanguageSetting;
  formats: Formats;
  choose(choice: LanguageChoice): Promise<void>;
}

const LanguageContext = createContext<LanguageContextValue | null>(null);

export function LanguageProvider({
  i18n,
  door,
  initial,
  children,
}: {
  i18n: i18n;
  door: LanguageDoor;
  initial: LanguageSetting;
  children: ReactNode;
}) {
  const [setting, setSetting] = useState(initial);

  useEffect(() => door.onChange(setSetting), [door]);

  useEffect(() => {
    if (i18n.language !== setting.language) void i18n.changeLanguage(setting.language);
    document.documentElement.lang = setting.language;
  }, [i18n, setting.language]);

  const value = useMemo<LanguageContextValue>(
    () => ({
      setting,
      formats: createFormats(setting.language),
      choose: async (choice) => setSetting(await door.choose(choice)),
    }),
    [setting, door],
  );

  return (
    <I18nextProvider i18n={i18n}>
      <LanguageContext.Provider value={value}>{children}</LanguageContext.Provider>
    </I18nextProvider>
  );
}

function useLanguageContext(): LanguageContextValue {
  const value = useContext(LanguageContext);
  if (!value) throw new Error('LanguageProvider is missing above this component.');
  return value;
}

/** Dates, numbers and lists in the window's language. */
export const useFormats = (): Formats => useLanguageContext().formats;

/** The admin's choice, the language in use, and a way to choose. */
export const useLanguage = () => {
  const { setting, choose } = useLanguageContext();
  return { ...setting, choose };
};
