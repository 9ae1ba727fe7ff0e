/** The window words a failed push's fix as the field of Push Setup to change, never as a command. */
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../shared/i18n/translator.js';
import type { PushFix } from '../../shared/push.js';
import { settingsAdvice } from './pushAdvice.js';

const FIXES: PushFix[] = [
  { setting: 'url', suggested: 'https://srv.example/mobile-sessions/refresh' },
  { setting: 'url', suggested: null },
  { setting: 'timeout', currentMs: 5000 },
  { setting: 'trust-certificate', fingerprint256: 'AB:CD' },
  { setting: 'trust-certificate', fingerprint256: null },
  { setting: 'secret' },
];
const en = createTranslator('en');
const fr = createTranslator('fr');

describe("the window's advice after a failed push", () => {
  it('names the field of Push Setup, and no command', () => {
    for (const fix of FIXES)
      expect(settingsAdvice(fix, en)).not.toMatch(/--|mobile-sessions |MOBILE_SESSIONS_/);
    expect(settingsAdvice({ setting: 'trust-certificate', fingerprint256: 'AB:CD' }, en)).toContain(
      "Trust this server's own (self-signed) certificate",
    );
    expect(settingsAdvice({ setting: 'url', suggested: null }, en)).toContain('"Server URL"');
    expect(settingsAdvice({ setting: 'timeout', currentMs: 5000 }, en)).toContain('5000 ms');
  });

  it('says it in French with the fields of the French Push Setup, and the fix’s values', () => {
    expect(FIXES.map((fix) => settingsAdvice(fix, fr))).toEqual([
      'Dans les Réglages du Push, mettez «\u00a0URL du serveur\u00a0» à https://srv.example/mobile-sessions/refresh.',
      'Dans les Réglages du Push, remplissez «\u00a0URL du serveur\u00a0» avec l’adresse du point d’accès Push.',
      'Le serveur n’a pas répondu dans les 5000 ms\u00a0: réessayez quand il sera moins occupé.',
      'Dans les Réglages du Push, cochez «\u00a0Faire confiance au certificat propre (auto-signé) de ce serveur\u00a0» une fois son empreinte (SHA-256 AB:CD) vérifiée sur le serveur.',
      'Dans les Réglages du Push, cochez «\u00a0Faire confiance au certificat propre (auto-signé) de ce serveur\u00a0» une fois son empreinte vérifiée sur le serveur.',
      'Dans les Réglages du Push, saisissez le secret (ou le mot de passe) qu’attend le serveur.',
    ]);
  });
});
