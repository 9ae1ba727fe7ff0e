/** Small pure helpers every side uses to word things the same way. */
import type { AppSummary, SessionSummary } from './session.js';

/** "1 session", "2 sessions"; `many` for irregular plurals. */
export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

/** Android's API levels and code names, as the version numbers people know them by. */
const ANDROID_API_LEVELS: Record<number, string> = {
  21: '5.0',
  22: '5.1',
  23: '6',
  24: '7.0',
  25: '7.1',
  26: '8.0',
  27: '8.1',
  28: '9',
  29: '10',
  30: '11',
  31: '12',
  32: '12L',
  33: '13',
  34: '14',
  35: '15',
  36: '16',
};
const ANDROID_CODE_NAMES: Record<string, string> = {
  LOLLIPOP: '5.0',
  LOLLIPOP_MR1: '5.1',
  M: '6',
  N: '7.0',
  N_MR1: '7.1',
  O: '8.0',
  O_MR1: '8.1',
  P: '9',
  Q: '10',
  R: '11',
  S: '12',
  S_V2: '12L',
  TIRAMISU: '13',
  UPSIDE_DOWN_CAKE: '14',
  VANILLA_ICE_CREAM: '15',
  BAKLAVA: '16',
};

/**
 * An Android version as 4D's Android SDK writes it (`34 (Android UPSIDE_DOWN_CAKE)`: the API level
 * and the build's code name), or a bare API level or code name, as its version number ("14");
 * null when the text is none of these (a version number already, say).
 */
export function androidVersion(text: string): string | null {
  const both = /^(\d+)\s*\(\s*(?:Android\s+)?([A-Z][A-Z0-9_]*)\s*\)$/.exec(text.trim());
  const level = both ? Number(both[1]) : /^\d+$/.test(text.trim()) ? Number(text) : null;
  const name = both ? both[2] : /^(?:Android\s+)?([A-Z][A-Z0-9_]+)$/.exec(text.trim())?.[1];
  // A bare number below 21 is a version number already (Android 14), not an API level.
  if (level !== null && (both || level >= 21)) {
    return ANDROID_API_LEVELS[level] ?? (name ? ANDROID_CODE_NAMES[name] : undefined) ?? `API ${level}`;
  }
  return name ? (ANDROID_CODE_NAMES[name] ?? name) : null;
}

/** The operating system and its version ("iOS 18.1", "Android 14"), or `none` when the file says neither. */
export const osLabel = (session: SessionSummary, none = '—'): string => {
  const { os, version } = session.device;
  const android = version && (os === null || /^android$/i.test(os)) ? androidVersion(version) : null;
  if (android !== null) return `Android ${android}`;
  return [os, version].filter(Boolean).join(' ') || none;
};

/** An app as people tell it apart: its name, and its platform where known ("Field Service · iOS"). */
export const appLabel = (app: Pick<AppSummary, 'name' | 'platform'>): string =>
  app.platform ? `${app.name} · ${app.platform === 'ios' ? 'iOS' : 'Android'}` : app.name;

/** The app folder of a `<app folder>/<file>` reference or problem path ('' for a bare id). */
export const folderOf = (ref: string): string => {
  const slash = ref.indexOf('/');
  return slash < 0 ? '' : ref.slice(0, slash);
};

/** Host names that reach only this machine. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1']);
