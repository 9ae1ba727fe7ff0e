/** The sessions table's logic, apart from React: which blocks to fetch, how a click selects. */
import { BLOCK_SIZE, type Selection } from '../store/storeTypes.js';

/** The blocks holding rows `first`..`last` (the virtualizer's window), and always the first one (the counts). */
export function blocksOnScreen(first: number, last: number): number[] {
  const blocks = new Set<number>([0]);
  for (let b = Math.floor(first / BLOCK_SIZE); b <= Math.floor(Math.max(first, last) / BLOCK_SIZE); b += 1)
    blocks.add(b);
  return [...blocks];
}

/**
 * The blocks to ask for now: those on screen not yet asked for in this generation. `asked` keeps
 * the generation each block was last asked for in, and is updated.
 */
export function blocksToFetch(onScreen: number[], generation: number, asked: Map<number, number>): number[] {
  const fetch = onScreen.filter((block) => asked.get(block) !== generation);
  for (const block of fetch) asked.set(block, generation);
  return fetch;
}

/** The row holding the focus (its status menu, open or not), and the key its row had when the focus came. */
export interface HeldRow {
  ref: string;
  key: string;
}

/**
 * A row's React key. By position: a search's answer fills the rows already on screen with other
 * sessions, where rows keyed by session were all removed and made again (their status menus among
 * them), the costliest part of a keystroke's frame. Two rows keep one session's element wherever
 * it moves: a row flashing as new (its flash goes on), and the row holding the focus (the menu in
 * use is never handed to another session when a change moves the rows). A row whose position is
 * the held row's key takes its session's ref instead.
 */
export function rowKey(ref: string, index: number, isNew: boolean, held: HeldRow | null): string {
  if (isNew) return ref;
  if (held?.ref === ref) return held.key;
  const key = String(index);
  return held?.key === key ? ref : key;
}

/** How a click on a row selects: Shift extends, Ctrl/Cmd toggles, a plain click replaces. */
export function clickMode(event: { shiftKey: boolean; metaKey: boolean; ctrlKey: boolean }) {
  return event.shiftKey ? 'range' : event.metaKey || event.ctrlKey ? 'toggle' : 'replace';
}

/** How many sessions the selection holds. */
export const selectedCount = (selection: Selection, matching: number): number =>
  selection.allMatching ? matching : selection.refs.size;

/**
 * What the bulk buttons offer for the selection: nothing when no row in view is selected; Accept
 * only when a selected session is not accepted yet, Set Pending only when one is not pending (a
 * row not loaded counts as either: the engine says "already so" for it).
 */
export function bulkActions(
  selection: Selection,
  view: { matching: number; matchingPending: number },
  rowByRef: (ref: string) => { status: string | null } | undefined,
): { count: number; accept: boolean; setPending: boolean } {
  const count = view.matching === 0 ? 0 : selectedCount(selection, view.matching);
  if (count === 0) return { count, accept: false, setPending: false };
  if (selection.allMatching) {
    return { count, accept: view.matchingPending > 0, setPending: view.matching > view.matchingPending };
  }
  const statuses = [...selection.refs].map((ref) => rowByRef(ref)?.status);
  return {
    count,
    accept: statuses.some((status) => status !== 'accepted'),
    setPending: statuses.some((status) => status !== 'pending'),
  };
}
