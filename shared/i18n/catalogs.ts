/**
 * The message catalogs: one JSON file per language and namespace, `locales/<language>/<namespace>.json`.
 * They are found by a glob at build time, so adding a language is adding its folder of catalogs:
 * nothing here or anywhere else names the languages. English is the reference and the fallback.
 */
export type Catalog = { [key: string]: string | Catalog };

const files = import.meta.glob<Catalog>('./locales/*/*.json', { eager: true, import: 'default' });

/** language → namespace → catalog */
export const CATALOGS: Record<string, Record<string, Catalog>> = {};
for (const [file, catalog] of Object.entries(files)) {
  const [, language, namespace] = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(file) ?? [];
  if (!language || !namespace) continue;
  CATALOGS[language] ??= {};
  CATALOGS[language][namespace] = catalog;
}

export const REFERENCE_LANGUAGE = 'en';

/** The languages the app speaks, English first, then by code. */
export const LANGUAGES: readonly string[] = Object.keys(CATALOGS).sort((a, b) =>
  a === REFERENCE_LANGUAGE ? -1 : b === REFERENCE_LANGUAGE ? 1 : a.localeCompare(b),
);

export const NAMESPACES: readonly string[] = Object.keys(CATALOGS[REFERENCE_LANGUAGE] ?? {});
