/**
 * Electron's accelerator syntax ("CmdOrCtrl+Shift+A"), read one way for the native menu and for
 * the page's keyboard handler, so one string names one key press everywhere. A press matches only
 * with exactly the modifiers the accelerator names: Ctrl+Shift+A is not Ctrl+A.
 * Plain TypeScript: no DOM, no Node.
 */

/** A desktop platform (its native menu's conventions), or the browser mode (no native menu). */
export type KeyPlatform = 'darwin' | 'win32' | 'linux' | 'browser';

/** What a keyboard handler reads of a KeyboardEvent. */
export interface KeyPress {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export interface Chord {
  /** CmdOrCtrl: Cmd on macOS, Ctrl elsewhere (either one in a browser, whose OS the page does not know). */
  cmdOrCtrl: boolean;
  cmd: boolean;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  /** A KeyboardEvent `key` value: 'A', '5', 'F5', 'ArrowDown', ' ', '-'. */
  key: string;
}

const MODIFIERS: Record<string, Exclude<keyof Chord, 'key'>> = {
  command: 'cmd',
  cmd: 'cmd',
  super: 'cmd',
  meta: 'cmd',
  control: 'ctrl',
  ctrl: 'ctrl',
  commandorcontrol: 'cmdOrCtrl',
  cmdorctrl: 'cmdOrCtrl',
  alt: 'alt',
  option: 'alt',
  shift: 'shift',
};

/** Electron's key names that differ from KeyboardEvent's `key`. */
const KEY_NAMES: Record<string, string> = {
  up: 'ArrowUp',
  down: 'ArrowDown',
  left: 'ArrowLeft',
  right: 'ArrowRight',
  space: ' ',
  esc: 'Escape',
  escape: 'Escape',
  return: 'Enter',
  enter: 'Enter',
  delete: 'Delete',
  backspace: 'Backspace',
  tab: 'Tab',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  insert: 'Insert',
  plus: '+',
  // Not an Electron accelerator key: only the page's own keys use it (the menu key opens a row's menu).
  contextmenu: 'ContextMenu',
};

/** Reads an accelerator; throws, naming it, for a modifier or key this reader does not know. */
export function parseAccelerator(accelerator: string): Chord {
  const parts = accelerator.split('+');
  const keyName = parts.pop() ?? '';
  const chord: Chord = { cmdOrCtrl: false, cmd: false, ctrl: false, alt: false, shift: false, key: '' };
  for (const part of parts) {
    const modifier = MODIFIERS[part.toLowerCase()];
    if (!modifier) throw new Error(`Unknown modifier "${part}" in accelerator "${accelerator}".`);
    chord[modifier] = true;
  }
  const named = KEY_NAMES[keyName.toLowerCase()];
  if (named) chord.key = named;
  else if (/^F([1-9]|1\d|2[0-4])$/i.test(keyName)) chord.key = keyName.toUpperCase();
  else if (keyName.length === 1 && keyName !== ' ') chord.key = keyName.toUpperCase();
  else throw new Error(`Unknown key "${keyName}" in accelerator "${accelerator}".`);
  return chord;
}

/** The modifiers a chord needs on a platform: meta and ctrl resolved from CmdOrCtrl. */
function needed(chord: Chord, platform: KeyPlatform): { meta: boolean; ctrl: boolean } {
  if (platform === 'darwin') return { meta: chord.cmd || chord.cmdOrCtrl, ctrl: chord.ctrl };
  return { meta: chord.cmd, ctrl: chord.ctrl || chord.cmdOrCtrl };
}

function sameKey(chord: Chord, press: KeyPress): boolean {
  const { key } = chord;
  // Letters and digits by their physical key too: Option+Z types "Ω" on a Mac, and other layouts type other letters.
  if (/^[A-Z]$/.test(key) && press.code === `Key${key}`) return true;
  if (/^[0-9]$/.test(key) && press.code === `Digit${key}`) return true;
  return key.length === 1 ? press.key.toUpperCase() === key : press.key === key;
}

/** Whether a key press is this accelerator on this platform, with exactly its modifiers. */
export function matchesAccelerator(press: KeyPress, accelerator: string, platform: KeyPlatform): boolean {
  const chord = parseAccelerator(accelerator);
  if (!sameKey(chord, press) || press.altKey !== chord.alt || press.shiftKey !== chord.shift) return false;
  if (platform === 'browser' && chord.cmdOrCtrl && !chord.cmd && !chord.ctrl) {
    return press.metaKey !== press.ctrlKey; // one of the two, whichever this OS uses
  }
  const { meta, ctrl } = needed(chord, platform);
  return press.metaKey === meta && press.ctrlKey === ctrl;
}

/** The key press an accelerator stands for on a platform (the cross-check of menus against keys). */
export function keyPressOf(accelerator: string, platform: KeyPlatform): KeyPress {
  const chord = parseAccelerator(accelerator);
  const { meta, ctrl } = needed(chord, platform);
  const letter = /^[A-Z]$/.test(chord.key);
  return {
    key: letter && !chord.shift ? chord.key.toLowerCase() : chord.key,
    ...(letter
      ? { code: `Key${chord.key}` }
      : /^[0-9]$/.test(chord.key)
        ? { code: `Digit${chord.key}` }
        : {}),
    metaKey: meta,
    ctrlKey: ctrl,
    altKey: chord.alt,
    shiftKey: chord.shift,
  };
}
