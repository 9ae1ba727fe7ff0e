/** How values read in the table: short, locale-aware, never "null". */
import type { SessionSummary } from '../../shared/contract.js';

/** One short, locale-aware date and time for the table, the details and the status bar (the CSV has ISO). */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'short' });

export const formatDate = (iso: string) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dateTime.format(date);
};

import { osLabel } from '../../shared/text.js';

export { osLabel };

/** An IPv4 address as people write it: `::ffff:192.168.5.4` (IPv4 seen through IPv6) reads `192.168.5.4`. */
export const shortIp = (ip: string | null): string =>
  ip === null ? '—' : (/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1] ?? ip);

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
    // The server's side only: what this app does about the file is the problem's own message.
    case 'unreadable':
      return 'If the server cannot read it either (it runs with the same rights), it drops the session.';
    case 'too-large':
      return 'The server reads it like any session file; no real session is this large, so it most likely fails the checks and is dropped.';
    case 'symlink':
      return 'The server follows the link and reads whatever it points to as a session: that file is loaded if it passes the checks.';
    case 'leftover':
      return 'Not a session: the server ignores it.';
    default:
      return '';
  }
}
