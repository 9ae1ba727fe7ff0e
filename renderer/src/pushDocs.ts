/**
 * docs/push.md (the 4D code a server needs for Push), bundled into the window at build time: an
 * installed app has no project folder to point to, and the browser mode's host may have no copy.
 * Rendered by marked; the text is ours, built in, never from a device or a server. Web links open
 * outside the window; links to other pages of the project, which the app does not carry, are text.
 */
import { Marked } from 'marked';
import pushMarkdown from '../../docs/push.md?raw';

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

let html: string | null = null;

/** The page as HTML, parsed once, when first shown. */
export function pushDocsHtml(): string {
  html ??= markdown.parse(pushMarkdown, { async: false });
  return html;
}
