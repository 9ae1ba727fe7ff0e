/**
 * The window's keydown handler: it calls preventDefault only for a key it runs, so Ctrl/Cmd+Shift+A
 * reaches the native menu's Session › Accept (issue 12, item 6), and text fields keep their keys.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { keyPressOf } from '../../../shared/accelerators.js';
import { ApiClientDouble } from '../../../test/support/web/apiClientDouble.js';
import { createSessionsStore } from '../store/sessionsStore.js';
import type { CommandArgs } from '../store/storeTypes.js';
import { type KeyTarget, onWindowKey } from './windowKeys.js';

/** An element as the handler sees it: the table (role grid), a row in it, a search box, a button. */
const element = (tagName: string, options: { role?: string; inRow?: boolean } = {}): KeyTarget => ({
  tagName,
  getAttribute: (name) => (name === 'role' ? (options.role ?? null) : null),
  closest: (selector) => (options.inRow && selector.includes('data-ref') ? {} : null),
});
const GRID = element('DIV', { role: 'grid' });
const ROW = element('DIV', { inRow: true });
const SEARCH = element('INPUT');
const BUTTON = element('BUTTON');

async function desktopStore() {
  const engine = new ApiClientDouble([{ folder: 'A', id: '1', status: 'pending' }]); // platform: linux
  const store = createSessionsStore(engine.client(), {
    confirm: async () => true,
    download: () => {},
    copy: async () => {},
  });
  await store.getState().start();
  await vi.runAllTimersAsync();
  const runs: [string, CommandArgs | undefined][] = [];
  store.setState({
    run: async (command, args) => {
      runs.push([command, args]);
    },
  });
  return { store, runs };
}

function press(accelerator: string, target: KeyTarget) {
  const event = {
    ...keyPressOf(accelerator, 'linux'),
    target,
    defaultPrevented: false,
    isComposing: false,
    preventDefault: vi.fn(),
  };
  return event;
}

describe("the window's keydown handler", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('lets Ctrl+Shift+A through to the menu, and selects all on Ctrl+A', async () => {
    const { store, runs } = await desktopStore();
    for (const target of [GRID, ROW, BUTTON, SEARCH]) {
      const accept = press('CmdOrCtrl+Shift+A', target);
      onWindowKey(accept, store.getState());
      expect(accept.preventDefault).not.toHaveBeenCalled();
    }
    expect(runs).toEqual([]);
    const selectAll = press('CmdOrCtrl+A', GRID);
    onWindowKey(selectAll, store.getState());
    expect(selectAll.preventDefault).toHaveBeenCalledOnce();
    expect(runs).toEqual([['select-all', { extend: false }]]);
  });

  it('runs the table keys on the table and its rows only, and leaves text fields alone', async () => {
    const { store, runs } = await desktopStore();
    const onRow = press('Shift+Down', ROW);
    onWindowKey(onRow, store.getState());
    expect(onRow.preventDefault).toHaveBeenCalledOnce();
    for (const target of [BUTTON, SEARCH]) {
      const space = press('Space', target);
      onWindowKey(space, store.getState());
      expect(space.preventDefault).not.toHaveBeenCalled();
    }
    const typedUndo = press('CmdOrCtrl+Z', SEARCH);
    onWindowKey(typedUndo, store.getState());
    expect(typedUndo.preventDefault).not.toHaveBeenCalled();
    onWindowKey(press('CmdOrCtrl+Z', BUTTON), store.getState());
    expect(runs).toEqual([
      ['next-row', { extend: true }],
      ['undo', { extend: false }],
    ]);
  });

  it('leaves a key that a menu or a field handled already', async () => {
    const { store, runs } = await desktopStore();
    const handled = { ...press('Escape', GRID), defaultPrevented: true };
    onWindowKey(handled, store.getState());
    const composing = { ...press('Enter', GRID), isComposing: true };
    onWindowKey(composing, store.getState());
    expect(runs).toEqual([]);
  });
});
