/**
 * The window's keys, through the one vocabulary. The cross-check of every native menu accelerator
 * against these keys is in electron/main/menu.test.ts; here, what each key does where.
 */
import { describe, expect, it } from 'vitest';
import { type KeyPlatform, keyPressOf } from './accelerators.js';
import { commandForKey, type KeyContext } from './commandKeys.js';
import type { CommandId } from './commands.js';

const context = (
  platform: KeyPlatform,
  where: KeyContext['where'] = 'table',
  typing = false,
  detailsOpen = false,
): KeyContext => ({
  platform,
  where,
  typing,
  // Close Details runs only with the details open (the store's canRun says so).
  canRun: (command) => command !== 'close-details' || detailsOpen,
});

const commandOf = (accelerator: string, ctx: KeyContext) =>
  commandForKey(keyPressOf(accelerator, ctx.platform), ctx)?.command ?? null;

describe("the window's keys", () => {
  it('leave Cmd/Ctrl+Shift+A to the menu (Session › Accept): only Cmd/Ctrl+A selects all', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      expect(commandOf('CmdOrCtrl+A', context(platform))).toBe('select-all');
      expect(commandOf('CmdOrCtrl+Shift+A', context(platform)), platform).toBeNull();
      expect(commandOf('CmdOrCtrl+Shift+E', context(platform)), platform).toBeNull();
    }
    // No native menu in a browser: the page answers the menu's accelerator itself, with the menu's command.
    expect(commandOf('CmdOrCtrl+Shift+A', context('browser'))).toBe('accept');
  });

  it('move, select and act in the table, and only there', () => {
    const table = context('linux');
    const expected: [string, CommandId][] = [
      ['Down', 'next-row'],
      ['Up', 'previous-row'],
      ['PageDown', 'next-page'],
      ['PageUp', 'previous-page'],
      ['Home', 'first-row'],
      ['End', 'last-row'],
      ['Space', 'toggle-status'],
      ['Enter', 'open-details'],
      ['Escape', 'clear-selection'],
      ['Delete', 'move-to-trash'],
    ];
    for (const [key, command] of expected) {
      expect(commandOf(key, table), key).toBe(command);
      expect(commandOf(key, context('linux', 'page')), key).toBeNull();
    }
    expect(commandForKey(keyPressOf('Shift+End', 'linux'), table)).toEqual({
      command: 'last-row',
      extend: true,
    });
    expect(commandForKey(keyPressOf('End', 'linux'), table)).toEqual({ command: 'last-row', extend: false });
    expect(commandOf('Cmd+Backspace', context('darwin'))).toBe('move-to-trash');
    expect(commandOf('Cmd+Backspace', context('linux'))).toBeNull();
  });

  it('close the details with Escape first, anywhere but a text field; open the row menu from the keyboard', () => {
    expect(commandOf('Escape', context('linux', 'table', false, true))).toBe('close-details');
    expect(commandOf('Escape', context('linux', 'page', false, true))).toBe('close-details');
    expect(commandOf('Escape', context('linux', 'page', true, true))).toBeNull();
    for (const key of ['Shift+F10', 'ContextMenu']) {
      expect(commandOf(key, context('win32')), key).toBe('open-row-menu');
      expect(commandOf(key, context('linux', 'page')), key).toBeNull();
    }
  });

  it('undo the last change with Cmd/Ctrl+Z anywhere but in a text field, which keeps its own undo', () => {
    expect(commandOf('CmdOrCtrl+Z', context('darwin', 'page'))).toBe('undo');
    expect(commandOf('CmdOrCtrl+Z', context('win32', 'table'))).toBe('undo');
    expect(commandOf('CmdOrCtrl+Z', context('darwin', 'page', true))).toBeNull();
    expect(commandOf('Shift+CmdOrCtrl+Z', context('darwin', 'page'))).toBeNull(); // Redo stays the menu's
  });

  it('leave every key to a text field', () => {
    for (const key of ['Space', 'Delete', 'CmdOrCtrl+A', 'End', 'CmdOrCtrl+Shift+A'])
      expect(commandOf(key, context('browser', 'table', true)), key).toBeNull();
  });

  it("answer the menu's accelerators in a browser only, and only for what can run there", () => {
    expect(commandOf('CmdOrCtrl+R', context('browser', 'page'))).toBe('refresh');
    expect(commandOf('F5', context('browser', 'page'))).toBe('refresh');
    expect(commandOf('CmdOrCtrl+R', context('linux', 'page'))).toBeNull();
    const noPicker: KeyContext = { ...context('browser', 'page'), canRun: (c) => c !== 'open-folder' };
    expect(commandOf('CmdOrCtrl+O', noPicker)).toBeNull();
    // Delete stays a table key in a browser too: never a page-wide one.
    expect(commandOf('Delete', context('browser', 'page'))).toBeNull();
  });
});
