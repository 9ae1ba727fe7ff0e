/**
 * The Push page in the window's language: the French page is the English one translated, with
 * the very same code to paste into the server (docs/push.md's code is what its tests check); a
 * language without a page gets the English one.
 */
import { describe, expect, it } from 'vitest';
import { PUSH_PAGES, pushDocsHtml } from './pushDocs.js';

/** The fenced code blocks of a page, in order, with their fences. */
const codeBlocks = (page: string): string[] =>
  [...page.matchAll(/^( *)```\w*\n[\s\S]*?^\1```/gm)].map((match) => match[0]);

describe('the Push page', () => {
  it('exists in English and in French, with the same code, block for block', () => {
    const en = PUSH_PAGES.en ?? '';
    const fr = PUSH_PAGES.fr ?? '';
    expect(codeBlocks(en).length).toBeGreaterThan(10);
    expect(codeBlocks(fr)).toEqual(codeBlocks(en));
    expect(fr.match(/^#{1,3} /gm)?.length).toBe(en.match(/^#{1,3} /gm)?.length);
  });

  it('is shown in the window’s language, in English for a language it has no page for', () => {
    const fr = pushDocsHtml('fr');
    expect(fr.language).toBe('fr');
    expect(fr.html).toContain('Route A : gestionnaire de requêtes HTTP');
    expect(pushDocsHtml('en').html).toContain('Route A: HTTP request handler');
    expect(pushDocsHtml('de')).toEqual(pushDocsHtml('en'));
    expect(pushDocsHtml('de').language).toBe('en');
  });
});
