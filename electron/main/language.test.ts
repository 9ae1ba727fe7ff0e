/**
 * The desktop app's language: the system's languages as Electron gives them, and an admin's choice
 * that applies even where the data folder cannot keep it. (The IPC side, the settings file and a
 * restart: ipcAdapter.test.ts; the built main in French: the boot test.)
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { app } from '../../test/support/electronDouble.js';
import { DesktopLanguage, isLanguageChoice, systemLanguages } from './language.js';

const made: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ms-language-'));
  made.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the system’s languages', () => {
  it('are Electron’s preferred languages, else Chromium’s locale', () => {
    app.systemLanguages = ['fr-CH', 'de-CH'];
    expect(systemLanguages(app)).toEqual(['fr-CH', 'de-CH']);
    app.systemLanguages = [];
    app.locale = 'fr-FR';
    expect(systemLanguages(app)).toEqual(['fr-FR']);
    app.locale = '';
    expect(systemLanguages(app)).toEqual([]);
    app.systemLanguages = ['en-US'];
    app.locale = 'en-US';
  });
});

describe('DesktopLanguage', () => {
  it('accepts only system and the languages it has catalogs for', () => {
    expect(['system', 'en', 'fr'].every(isLanguageChoice)).toBe(true);
    expect([null, 'de', 'fr-FR', 'EN', '', 3].some(isLanguageChoice)).toBe(false);
  });

  it('refuses a foreign choice with a clear error, and keeps its own', async () => {
    const language = new DesktopLanguage(tempDir(), () => ['fr-FR']);
    await expect(language.choose('de')).rejects.toThrow(
      /"de" is not a language the app speaks \(system, en, fr\)/,
    );
    expect(language.setting()).toEqual({ choice: 'system', language: 'fr' });
  });

  it('applies a choice the data folder cannot keep (a file where the folder should be)', async () => {
    const parent = tempDir();
    const dataDir = path.join(parent, 'data');
    // A plain file in the data folder's place: nothing can be written there, not even by root.
    writeFileSync(dataDir, 'not a folder');
    const log = vi.fn();
    const language = new DesktopLanguage(dataDir, () => ['en-US'], log);
    expect(await language.choose('fr')).toEqual({ choice: 'fr', language: 'fr' });
    expect(language.t()('desktop:menu.help')).toBe('Aide');
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/could not save the language choice/),
      expect.anything(),
    );
  });
});
