import { describe, expect, it } from 'vitest';
import { catalogProblems } from './catalogParity.js';
import { CATALOGS, LANGUAGES, REFERENCE_LANGUAGE } from './catalogs.js';
import { createFormats } from './formats.js';
import { languageName, matchLanguage, pickLanguage, readChoice } from './language.js';
import { createTranslator } from './translator.js';

describe('the catalogs', () => {
  it('are found by language, English first, French beside it', () => {
    expect(LANGUAGES[0]).toBe('en');
    expect(LANGUAGES).toContain('fr');
  });

  it('agree: every language has every key of the others, each a valid ICU message with the same arguments', () => {
    expect(catalogProblems(CATALOGS, REFERENCE_LANGUAGE)).toEqual([]);
  });

  it('would report a missing key, an extra key, a lost argument and a broken message', () => {
    const doctored = structuredClone(CATALOGS);
    const fr = doctored.fr?.commands ?? {};
    const en = doctored.en?.commands ?? {};
    delete fr.refresh;
    en.extra = 'Only in English';
    fr['accept-many'] = 'Accepter des sessions';
    fr['move-to-trash-many'] = 'Placer {count, plural, one {# session} other {# sessions} dans';
    const problems = catalogProblems(doctored, 'en');
    expect(problems).toEqual(
      expect.arrayContaining([
        'fr/commands.json lacks "refresh"',
        'fr/commands.json lacks "extra"',
        'fr/commands.json "accept-many" has arguments {}, en has {count}',
        expect.stringMatching(/^fr\/commands\.json "move-to-trash-many" is not valid ICU/),
      ]),
    );
  });
});

describe('picking the language', () => {
  it('follows the first preferred language the app speaks, by region or by base language', () => {
    expect(pickLanguage(['fr-CA', 'en-US'])).toBe('fr');
    expect(pickLanguage(['de-DE', 'fr_FR', 'en'])).toBe('fr');
    expect(pickLanguage(['en-GB', 'fr'])).toBe('en');
    expect(pickLanguage(['de', 'ja'])).toBe('en');
    expect(pickLanguage([])).toBe('en');
  });

  it("puts the admin's choice first, and reads back an unknown stored choice as `system`", () => {
    expect(pickLanguage(['en-US'], 'fr')).toBe('fr');
    expect(pickLanguage(['fr-FR'], 'en')).toBe('en');
    expect(pickLanguage(['fr-FR'], 'klingon')).toBe('fr');
    expect(readChoice('fr')).toBe('fr');
    expect(readChoice('xx')).toBe('system');
    expect(readChoice(42)).toBe('system');
    expect(matchLanguage('  ')).toBeNull();
  });

  it('names each language in that language, from its own catalog', () => {
    expect(languageName('en')).toBe('English');
    expect(languageName('fr')).toBe('Français');
    // A language without a catalog yet: its name from Intl, capitalised.
    expect(languageName('es')).toBe('Español');
  });

  it('is open to a new language: a catalog folder is all it takes', () => {
    expect(pickLanguage(['es-MX'], 'system', ['en', 'fr', 'es'])).toBe('es');
  });
});

describe('translating', () => {
  it('counts with each language’s own plural rules (French: 0 and 1 are singular)', () => {
    const en = createTranslator('en');
    const fr = createTranslator('fr');
    expect(en('commands:accept-many', { count: 1 })).toBe('Accept 1 Session');
    expect(en('commands:accept-many', { count: 2 })).toBe('Accept 2 Sessions');
    expect(en('commands:accept-many', { count: 0 })).toBe('Accept 0 Sessions');
    expect(fr('commands:accept-many', { count: 0 })).toBe('Accepter 0 session');
    expect(fr('commands:accept-many', { count: 2 })).toBe('Accepter 2 sessions');
    expect(fr('commands:accept-many', { count: 12345 })).toBe('Accepter 12\u202f345 sessions');
  });

  it('falls back to English for a language it has no catalog for', () => {
    expect(createTranslator('de')('commands:refresh')).toBe('Refresh');
  });
});

describe('formatting', () => {
  it('writes dates, numbers and lists the way the language does', () => {
    const when = new Date(2026, 10, 30, 22, 41);
    expect(createFormats('fr').dateTime(when)).toBe('30/11/2026 22:41');
    expect(createFormats('en').dateTime(when)).toBe('11/30/26, 10:41 PM');
    expect(createFormats('fr').number(1234.5)).toBe('1\u202f234,5');
    expect(createFormats('fr').list(['iOS', 'Android', 'Web'])).toBe('iOS, Android et Web');
    expect(createFormats('en').list(['iOS', 'Android', 'Web'])).toBe('iOS, Android, and Web');
    expect(createFormats('en').dateTime('not a date')).toBe('');
  });
});
