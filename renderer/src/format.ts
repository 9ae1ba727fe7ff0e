/** How values read in the table: short, locale-aware, never "null". */
import type { SessionSummary } from '../../shared/contract.js';

export { revealLabel } from '../../shared/labels.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export const formatDate = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dateTime.format(date);
};

import { osLabel } from '../../shared/text.js';

export { osLabel };

export function deviceTooltip(s: SessionSummary): string {
  return [
    `Device: ${s.device.description ?? 'unknown'}`,
    `OS: ${osLabel(s)}`,
    s.device.id ? `Device ID: ${s.device.id}` : null,
    s.device.simulator ? 'Simulator' : null,
    s.device.jailbroken ? 'Jailbroken device' : null,
    s.device.pushRegistered ? 'Registered for push notifications' : 'Not registered for push notifications',
    s.session.ip ? `IP: ${s.session.ip}` : null,
    `Session: ${s.id}`,
  ]
    .filter(Boolean)
    .join('\n');
}

/** What the 4D Server will do with a file that has this problem. */
export function serverConsequence(code: string): string {
  switch (code) {
    case 'location':
      return 'The server drops this session: the file is not where its content says it belongs.';
    case 'malformed':
      return 'The server cannot read this file and drops the session.';
    case 'schema':
      return 'The server rejects this session: a required field is missing or has the wrong type.';
    case 'token':
      return 'The server refuses this session: its connection token does not match.';
    case 'unreadable':
      return 'Nobody can read this file with the current permissions, the server included.';
    case 'too-large':
      return 'This file is far too large to be a session; the app does not read it.';
    case 'symlink':
      return 'A link where a session should be: the app never follows or changes links.';
    case 'leftover':
      return 'Not a session: the server ignores it. Mobile Sessions removes it when it can; see the message.';
    default:
      return '';
  }
}
