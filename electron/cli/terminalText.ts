/**
 * Text the CLI prints to a terminal carries no terminal control: a session's description or
 * e-mail is written by whoever runs the mobile app, and an escape sequence in it could retitle the
 * window (OSC), clear the screen (`ESC[2J`), rewrite a line (`\r ESC[K` faking "accepted"), or
 * reverse what follows (U+202E). Every such character becomes a visible `\u{…}` escape, so nothing
 * is lost and nothing acts. JSON output is not passed through here: it stays exact.
 */

/**
 * C0 (U+0000–U+001F), DEL, C1 (U+0080–U+009F), the bidirectional embeddings and overrides
 * (U+202A–U+202E), the isolates (U+2066–U+2069), the directional marks (U+200E, U+200F, U+061C),
 * and the line separators U+2028/U+2029, which some terminals break on.
 */
export function isTerminalControl(code: number): boolean {
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x061c ||
    code === 0x200e ||
    code === 0x200f ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

const visible = (code: number) => `\\u{${code.toString(16).padStart(2, '0')}}`;

function replaceControls(text: string, keep: (code: number) => boolean): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    out += isTerminalControl(code) && !keep(code) ? visible(code) : char;
  }
  return out;
}

const NEWLINE = 0x0a;
const TAB = 0x09;

/** One value inside a line (a description, an e-mail, a file name): every control made visible. */
export const terminalField = (text: string): string => replaceControls(text, () => false);

/** Whole output text: controls made visible, the CLI's own newlines and tabs kept. */
export const terminalText = (text: string): string =>
  replaceControls(text, (code) => code === NEWLINE || code === TAB);
