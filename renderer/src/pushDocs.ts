/**
 * docs/push.md (the 4D code a server needs for Push) and its translations (docs/push.<language>.md,
 * such as push.fr.md), bundled into the window at build time: an installed app has no project
 * folder to point to, and the browser mode's host may have no copy. The page in the window's
 * language is shown, the English one for a language that has none; adding a translation is adding
 * its file. Rendered by marked; the text is ours, built in, never from a device or a server. Web
 * links open outside the window; links to other pages of the project, which the app does not
 * carry, are text.
 */
import { Marked } from 'marked';
import { REFERENCE_LANGUAGE } from '../../shared/i18n/catalogs.js';

const files = import.meta.glob<string>('../../docs/push*.md', {
  eager: true,
  import: 'default',
  query: '?raw',
});

/** language → the page's Markdown: `push.md` is English, `push.fr.md` French. */
export const PUSH_PAGES: Record<string, string> = {};
for (const [file, text] of Object.entries(files)) {
  const match = /\/push(?:\.([a-z]{2,3}(?:-[A-Za-z0-9]+)?))?\.md$/.exec(file);
  if (match) PUSH_PAGES[match[1] ?? REFERENCE_LANGUAGE] = text;
}

const markdown = new Marked({
  gfm: true,
  renderer: {
    link({ href, tokens }) {
      const text = this.parser.parseInline(tokens);
      if (!/^https?:\/\//i.test(href)) return text;
      const safe = href.replace(/"/g, '%22');
      return `<a href="${safe}" target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
  },
});

const html = new Map<string, string>();

/** The page for this language (or English) as HTML, parsed once per language, when first shown. */
export function pushDocsHtml(language: string): { language: string; html: string } {
  const shown = PUSH_PAGES[language] !== undefined ? language : REFERENCE_LANGUAGE;
  let page = html.get(shown);
  if (page === undefined) {
    page = markdown.parse(PUSH_PAGES[shown] ?? '', { async: false });
    html.set(shown, page);
  }
  return { language: shown, html: page };
}
