/**
 * Every problem code the engine reports has its own text in every catalog (title, explanation,
 * the server's consequence): none falls back to English in French. In English, the engine's
 * precise sentence is shown as it is; an unknown code shows it in any language.
 */
import { describe, expect, it } from 'vitest';
import { createTranslator } from '../../shared/i18n/translator.js';
import { PROBLEM_CODES, problemExplanation, problemTitle, serverConsequence } from './problemTexts.js';

const en = createTranslator('en');
const fr = createTranslator('fr');

describe('the words for a problem', () => {
  it('exist in French for every code, and are not the English ones', () => {
    expect(PROBLEM_CODES).toEqual(
      expect.arrayContaining([
        'location',
        'malformed',
        'schema',
        'token',
        'too-large',
        'symlink',
        'leftover',
      ]),
    );
    for (const code of PROBLEM_CODES) {
      const problem = { code, mobi: null, message: 'The engine’s sentence.' };
      for (const [french, english] of [
        [problemTitle(problem, fr), problemTitle(problem, en)],
        [problemExplanation(problem, 'fr', fr), en(`problems:explanation.${code}`)],
        [serverConsequence(code, fr), serverConsequence(code, en)],
      ]) {
        expect(french, code).not.toBe(english);
        expect(french, code).not.toMatch(/^problems:|^$/);
        expect(english, code).not.toMatch(/^problems:|^$/);
      }
    }
  });

  it('give the server’s number with the title, and keep the English the window showed before', () => {
    expect(problemTitle({ code: 'location', mobi: 1 }, en)).toBe('location (mobi 1)');
    expect(problemTitle({ code: 'location', mobi: 1 }, fr)).toBe('emplacement (mobi 1)');
    expect(problemTitle({ code: 'symlink', mobi: null }, fr)).toBe('lien symbolique');
    expect(serverConsequence('malformed')).toBe('The server cannot read this file and drops the session.');
    expect(serverConsequence('malformed', fr)).toBe(
      'Le serveur ne peut pas lire ce fichier et abandonne la session.',
    );
  });

  it('explain with the engine’s own sentence in English, and for a code the window does not know', () => {
    const located = { code: 'location', message: 'The file belongs in folder "A", not "B".' } as const;
    expect(problemExplanation(located, 'en', en)).toBe(located.message);
    expect(problemExplanation(located, 'fr', fr)).toMatch(/^Le fichier n’est pas là où son contenu dit/);
    const unknown = { code: 'from-the-future', message: 'A problem of a newer engine.' };
    expect(problemExplanation(unknown, 'fr', fr)).toBe(unknown.message);
    expect(problemTitle({ code: 'from-the-future', mobi: null }, fr)).toBe('from-the-future');
    expect(serverConsequence('from-the-future', fr)).toBe('');
  });
});
