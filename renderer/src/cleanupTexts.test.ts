/**
 * The Clean-up view's words: counts with each language's plurals (French: 0 and 1 are singular),
 * reasons in English word for word as the command line prints them, and in French.
 */
import { describe, expect, it } from 'vitest';
import {
  CLEANUP_RULES,
  type CleanupReason,
  RULE_LABELS,
  reasonText,
  STALE_AGE_BASIS,
} from '../../shared/cleanup.js';
import { createTranslator } from '../../shared/i18n/translator.js';
import { reasonWord, reasonWords, statusWord } from './cleanupTexts.js';

const en = createTranslator('en');
const fr = createTranslator('fr');

const REASONS: CleanupReason[] = [
  { rule: 'superseded', newer: 'A/0123456789abcdef' },
  { rule: 'stale', ageDays: 1 },
  { rule: 'stale', ageDays: 400 },
  { rule: 'simulator' },
  { rule: 'guest' },
];

describe('the Clean-up counts', () => {
  it('follow each language’s plural rules', () => {
    const proposed = (t: typeof en) =>
      [0, 1, 2, 1500].map((count) => t('cleanup:counts.proposed', { count }));
    expect(proposed(en)).toEqual([
      '0 sessions proposed',
      '1 session proposed',
      '2 sessions proposed',
      '1,500 sessions proposed',
    ]);
    expect(proposed(fr)).toEqual([
      '0 session proposée',
      '1 session proposée',
      '2 sessions proposées',
      '1\u202f500 sessions proposées',
    ]);
    expect(fr('cleanup:counts.pendingLeftOut', { count: 1 })).toBe(
      '1 session en attente laissée de côté (cochez «\u00a0Inclure les sessions en attente\u00a0» pour la proposer)',
    );
    expect(en('cleanup:counts.pendingLeftOut', { count: 2 })).toBe(
      '2 pending sessions left out (tick "Include pending" to propose them)',
    );
    expect(fr('cleanup:move', { count: 0 })).toBe('Placer 0 session dans la corbeille');
    expect(en('cleanup:move', { count: 3 })).toBe('Move 3 Sessions to the Trash');
    expect(fr('cleanup:done.moved', { removed: 2, failed: 1 })).toBe(
      '2 sessions placées dans la corbeille en une seule modification\u00a0; 1 n’a pas pu être supprimée. L’annulation de la notification (ou Ctrl/Cmd+Z) les rétablit.',
    );
    expect(en('cleanup:done.moved', { removed: 1, failed: 0 })).toBe(
      "1 session moved to the Trash in one change. The notice's Undo (or Ctrl/Cmd+Z) puts them back.",
    );
  });
});

describe('a candidate’s reasons and status', () => {
  it('are in English what the command line prints', () => {
    for (const reason of REASONS) expect(reasonWord(reason, en)).toBe(reasonText(reason));
    for (const rule of CLEANUP_RULES) expect(en(`cleanup:ruleLabel.${rule}`)).toBe(RULE_LABELS[rule]);
    expect(en('cleanup:rules.ageBasis')).toBe(STALE_AGE_BASIS);
  });

  it('are in French', () => {
    expect(reasonWords(REASONS, fr)).toBe(
      'session plus ancienne de cet appareil (plus récente\u00a0: 01234567…); fichier inchangé depuis 1 jour; ' +
        'fichier inchangé depuis 400 jours; simulateur; invité (sans e-mail)',
    );
    expect([statusWord('accepted', fr), statusWord('pending', fr), statusWord(null, fr)]).toEqual([
      'acceptée',
      'en attente',
      'invalide',
    ]);
    expect(statusWord('pending', en)).toBe('pending');
  });
});
