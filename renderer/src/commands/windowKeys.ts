/**
 * The window's one keydown handler: the key, where it was pressed, through the vocabulary
 * (shared/commandKeys.ts) to the store's dispatcher. It calls preventDefault only for a key it
 * runs, so every other key reaches the native menu's accelerators and the text fields.
 */
import type { KeyPress } from '../../../shared/accelerators.js';
import { commandForKey } from '../../../shared/commandKeys.js';
import type { SessionsState } from '../store/storeTypes.js';

/** What the handler reads of an event's target (an Element in the page). */
export interface KeyTarget {
  tagName: string;
  isContentEditable?: boolean;
  getAttribute(name: string): string | null;
  closest(selector: string): unknown;
}

export interface WindowKeyEvent extends KeyPress {
  target: unknown;
  defaultPrevented: boolean;
  isComposing: boolean;
  preventDefault(): void;
}

const asTarget = (target: unknown): KeyTarget | null =>
  typeof target === 'object' && target !== null && 'tagName' in target && 'closest' in target
    ? (target as KeyTarget)
    : null;

/** A text field (or a select): its keys are its own. */
const isTyping = (target: KeyTarget | null) =>
  target !== null &&
  (target.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** The table's keys apply on the table itself and its rows, not on its column headers' buttons. */
const inTable = (target: KeyTarget | null) =>
  target !== null &&
  (target.getAttribute('role') === 'grid' || target.closest('[role="row"][data-ref]') != null);

export function onWindowKey(event: WindowKeyEvent, state: SessionsState): void {
  if (event.defaultPrevented || event.isComposing) return; // a menu or a field handled it already
  const platform = state.app?.platform;
  if (!platform) return;
  const target = asTarget(event.target);
  if (target?.closest('dialog') != null) return; // a dialog's keys are its own (Escape closes it)
  const key = commandForKey(event, {
    platform,
    where: inTable(target) ? 'table' : 'page',
    typing: isTyping(target),
    canRun: state.canRun,
  });
  if (!key) return;
  event.preventDefault();
  void state.run(key.command, { extend: key.extend });
}
