/** The context menus, from the one vocabulary: ids, words, counts, and what may come back. */
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../../shared/contract.js';
import { chosenCommand, rowContextMenu, tableContextMenu } from './contextMenus.js';

const row = (fields: Partial<SessionSummary>) =>
  ({ ref: 'A/1', id: '1', status: 'pending', email: 'a@b.c', ...fields }) as SessionSummary;

describe('the context menus', () => {
  it("use the vocabulary's ids and words, counts and platform included", () => {
    const items = rowContextMenu('darwin', row({}), 1);
    expect(items.map((i) => (i.type === 'item' ? `${i.id}:${i.label}:${i.enabled}` : '-'))).toEqual([
      'accept:Accept:true',
      'set-pending:Set Pending:false',
      '-',
      'reveal:Reveal in Finder:true',
      'copy-id:Copy Session ID:true',
      'copy-email:Copy E-mail:true',
      '-',
      'move-to-trash:Move to Trash:true',
    ]);
    const many = rowContextMenu('linux', row({ status: 'accepted', email: null }), 3);
    expect(many.flatMap((i) => (i.type === 'item' && i.enabled ? [i.label] : []))).toEqual([
      'Accept 3 Sessions',
      'Set 3 Sessions Pending',
      'Show in Folder',
      'Copy Session ID',
      'Move 3 Sessions to Trash',
    ]);
    expect(tableContextMenu('win32')).toEqual([
      { type: 'item', id: 'refresh', label: 'Refresh', enabled: true },
    ]);
  });

  it("take back only one of the menu's own enabled items", () => {
    const items = rowContextMenu('linux', row({}), 1);
    expect(chosenCommand(items, 'accept')).toBe('accept');
    expect(chosenCommand(items, 'set-pending')).toBeNull(); // disabled: already pending
    expect(chosenCommand(items, 'refresh')).toBeNull(); // not in this menu
    expect(chosenCommand(items, null)).toBeNull();
  });
});
