/** Small pure helpers every side uses to word things the same way. */
import type { SessionSummary } from './session.js';

/** "1 session", "2 sessions"; `many` for irregular plurals. */
export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

/** The operating system and its version, or `none` when the file says neither. */
export const osLabel = (session: SessionSummary, none = '—'): string =>
  [session.device.os, session.device.version].filter(Boolean).join(' ') || none;

/** The app folder of a `<app folder>/<file>` reference or problem path ('' for a bare id). */
export const folderOf = (ref: string): string => {
  const slash = ref.indexOf('/');
  return slash < 0 ? '' : ref.slice(0, slash);
};

/** Host names that reach only this machine. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);
