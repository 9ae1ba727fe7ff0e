/** Electron's accelerators, read as the page's keyboard sees them: exact modifiers, per platform. */
import { describe, expect, it } from 'vitest';
import { type KeyPress, keyPressOf, matchesAccelerator, parseAccelerator } from './accelerators.js';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('accelerators', () => {
  it('read modifiers and keys in any spelling Electron accepts', () => {
    expect(parseAccelerator('CommandOrControl+Shift+a')).toEqual({
      cmdOrCtrl: true,
      cmd: false,
      ctrl: false,
      alt: false,
      shift: true,
      key: 'A',
    });
    expect(parseAccelerator('Cmd+Option+Backspace')).toMatchObject({
      cmd: true,
      alt: true,
      key: 'Backspace',
    });
    expect(parseAccelerator('Control+Command+F').key).toBe('F');
    expect(parseAccelerator('F5').key).toBe('F5');
    expect(parseAccelerator('Space').key).toBe(' ');
    expect(parseAccelerator('Down').key).toBe('ArrowDown');
    expect(parseAccelerator('CmdOrCtrl+Plus').key).toBe('+');
    expect(parseAccelerator('CommandOrControl+-').key).toBe('-');
  });

  it('refuse what they do not know, naming it', () => {
    expect(() => parseAccelerator('Hyper+A')).toThrow('Unknown modifier "Hyper" in accelerator "Hyper+A"');
    expect(() => parseAccelerator('CmdOrCtrl+Frobnicate')).toThrow('Unknown key "Frobnicate"');
    expect(() => parseAccelerator('F25')).toThrow('Unknown key "F25"');
  });

  it('match only with exactly their modifiers: Ctrl+Shift+A is not Ctrl+A', () => {
    expect(matchesAccelerator(press('a', { ctrlKey: true }), 'CmdOrCtrl+A', 'linux')).toBe(true);
    expect(matchesAccelerator(press('A', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+A', 'linux')).toBe(
      false,
    );
    expect(
      matchesAccelerator(press('A', { ctrlKey: true, shiftKey: true }), 'CmdOrCtrl+Shift+A', 'win32'),
    ).toBe(true);
    expect(matchesAccelerator(press('z', { ctrlKey: true, altKey: true }), 'CmdOrCtrl+Z', 'linux')).toBe(
      false,
    );
    expect(matchesAccelerator(press('Delete', { metaKey: true }), 'Delete', 'linux')).toBe(false);
  });

  it('take CmdOrCtrl as Cmd on macOS, Ctrl elsewhere, and either one in a browser', () => {
    const cmdA = press('a', { metaKey: true });
    const ctrlA = press('a', { ctrlKey: true });
    expect([cmdA, ctrlA].map((p) => matchesAccelerator(p, 'CmdOrCtrl+A', 'darwin'))).toEqual([true, false]);
    expect([cmdA, ctrlA].map((p) => matchesAccelerator(p, 'CmdOrCtrl+A', 'win32'))).toEqual([false, true]);
    expect([cmdA, ctrlA].map((p) => matchesAccelerator(p, 'CmdOrCtrl+A', 'browser'))).toEqual([true, true]);
    const both = press('a', { metaKey: true, ctrlKey: true });
    expect(matchesAccelerator(both, 'CmdOrCtrl+A', 'browser')).toBe(false);
    expect(matchesAccelerator(both, 'Control+Command+A', 'darwin')).toBe(true);
  });

  it('know a letter by its physical key when Option or a layout types another character', () => {
    const optionZ = press('Ω', { code: 'KeyZ', metaKey: true, altKey: true });
    expect(matchesAccelerator(optionZ, 'CmdOrCtrl+Alt+Z', 'darwin')).toBe(true);
    expect(matchesAccelerator(press('я', { code: 'KeyZ', ctrlKey: true }), 'CmdOrCtrl+Z', 'linux')).toBe(
      true,
    );
  });

  it('stand for the key press they name, on each platform', () => {
    for (const platform of ['darwin', 'win32', 'linux', 'browser'] as const) {
      for (const accelerator of [
        'CmdOrCtrl+Shift+A',
        'Cmd+Backspace',
        'F5',
        'Shift+Down',
        'CmdOrCtrl+Alt+Z',
      ]) {
        expect(
          matchesAccelerator(keyPressOf(accelerator, platform), accelerator, platform),
          accelerator,
        ).toBe(true);
      }
    }
    expect(keyPressOf('CmdOrCtrl+Shift+A', 'darwin')).toEqual({
      key: 'A',
      code: 'KeyA',
      metaKey: true,
      ctrlKey: false,
      altKey: false,
      shiftKey: true,
    });
  });
});
