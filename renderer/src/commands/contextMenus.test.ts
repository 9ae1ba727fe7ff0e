/** The context menus, from the one vocabulary: ids, words, counts, and what may come back. */
import { describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../../shared/contract.js';
import { createTranslator } from '../../../shared/i18n/translator.js';
import { chosenCommand, rowContextMenu, tableContextMenu } from './contextMenus.js';

const en = createTranslator('en');
const row = (fields: Partial<SessionSummary>) =>
  ({ ref: 'A/1', id: '1', status: 'pending', email: 'a@b.c', ...fields }) as SessionSummary;

describe('the context menus', () => {
  it("use the vocabulary's ids and words, counts and platform included", () => {
    const items = rowContextMenu('darwin', row({}), 1, en);
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
    const many = rowContextMenu('linux', row({ status: 'accepted', email: null }), 3, en);
    expect(many.flatMap((i) => (i.type === 'item' && i.enabled ? [i.label] : []))).toEqual([
      'Accept 3 Sessions',
      'Set 3 Sessions Pending',
      'Show in Folder',
      'Copy Session ID',
      'Move 3 Sessions to Trash',
    ]);
    expect(tableContextMenu('win32', en)).toEqual([
      { type: 'item', id: 'refresh', label: 'Refresh', enabled: true },
    ]);
  });

  it('speak the window’s language, counting with its plural rules', () => {
    const fr = createTranslator('fr');
    const labels = (count: number) =>
      rowContextMenu('win32', row({}), count, fr).flatMap((i) => (i.type === 'item' ? [i.label] : []));
    expect(labels(1)).toEqual([
      'Accepter',
      'Mettre en attente',
      'Afficher dans l’Explorateur',
      'Copier l’ID de session',
      'Copier l’e-mail',
      'Placer dans la corbeille',
    ]);
    expect(labels(2)).toContain('Placer 2 sessions dans la corbeille');
  });

  it("take back only one of the menu's own enabled items", () => {
    const items = rowContextMenu('linux', row({}), 1, en);
    expect(chosenCommand(items, 'accept')).toBe('accept');
    expect(chosenCommand(items, 'set-pending')).toBeNull(); // disabled: already pending
    expect(chosenCommand(items, 'refresh')).toBeNull(); // not in this menu
    expect(chosenCommand(items, null)).toBeNull();
  });
});
