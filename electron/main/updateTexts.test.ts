/** The updater's words in the language of the translator given: English word for word, and French. */
import { describe, expect, it } from 'vitest';
import { translatorFor } from './language.js';
import { RESTART_NOW, updateTexts } from './updateTexts.js';

describe('updateTexts', () => {
  it('speaks English with the English translator, word for word as before', () => {
    const texts = updateTexts(translatorFor('en'));
    expect([texts.checkForUpdatesLabel, texts.title, texts.ok]).toEqual([
      'Check for Updates…',
      'Software Update',
      'OK',
    ]);
    expect(texts.restartButtons).toEqual(['Restart Now', 'Later']);
    expect(texts.upToDate('1.2.3')).toEqual({
      message: 'Mobile Sessions is up to date.',
      detail: 'Version 1.2.3 is the newest version.',
    });
  });

  it('speaks French with the French translator', () => {
    const texts = updateTexts(translatorFor('fr'));
    expect(texts.checkForUpdatesLabel).toBe('Rechercher les mises à jour…');
    expect(texts.title).toBe('Mise à jour');
    expect(texts.restartButtons).toEqual(['Redémarrer maintenant', 'Plus tard']);
    expect(texts.restartButtons[RESTART_NOW]).toBe('Redémarrer maintenant');
    expect(texts.readyToInstall('10.1.0').message).toBe('La version 10.1.0 est prête à être installée.');
    expect(texts.downloadFailed('sha512 checksum mismatch')).toEqual({
      message: 'La mise à jour n’a pas pu être téléchargée.',
      detail: 'sha512 checksum mismatch',
    });
  });
});
