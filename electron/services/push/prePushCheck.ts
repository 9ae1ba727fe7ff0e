/**
 * What a push will do, told before it is done: N changed sessions the server reloads, M files it
 * drops because they fail its checks (every such file in the folder, changed by the app or not:
 * MOBILE APP REFRESH SESSIONS checks them all), K deleted sessions it removes from memory.
 */
import type { DroppedFile, PrePushCheck, UnpushedSummary } from '../../../shared/push.js';
import type { FileProblem } from '../../../shared/session.js';
import { plural } from '../../../shared/text.js';

/** Groups problems by file, in the order found. */
export function droppedFiles(problems: FileProblem[], changedRefs: Set<string>): DroppedFile[] {
  const byPath = new Map<string, DroppedFile>();
  for (const { path, ...problem } of problems) {
    let file = byPath.get(path);
    if (!file) {
      file = { path, problems: [], changedByApp: changedRefs.has(path) };
      byPath.set(path, file);
    }
    file.problems.push(problem);
  }
  return [...byPath.values()];
}

export function describeCheck(check: Pick<PrePushCheck, 'reload' | 'drop' | 'remove'>): string {
  const parts = [
    `${plural(check.reload.length, 'changed session', 'changed sessions')} will be reloaded`,
    `${plural(check.drop.length, 'session', 'sessions')} will be dropped by the server because ${
      check.drop.length === 1 ? 'its file fails' : 'their files fail'
    } its checks`,
    `${plural(check.remove.length, 'deleted session', 'deleted sessions')} will be removed from memory`,
  ];
  return `${parts.join(', ')}.`;
}

/**
 * Builds the check from the unpushed changes and the folder's problems now (a fresh scan, or the
 * workspace's up-to-date index).
 */
export function buildPrePushCheck(unpushed: UnpushedSummary, problems: FileProblem[]): PrePushCheck {
  const changedRefs = new Set(unpushed.changes.map((change) => change.ref));
  const drop = droppedFiles(problems, changedRefs);
  const failing = new Set(drop.map((file) => file.path));
  const reload = unpushed.changes.filter((change) => change.now.present && !failing.has(change.ref));
  const remove = unpushed.changes.filter((change) => !change.now.present);
  return {
    root: unpushed.root,
    unpushed,
    reload,
    drop,
    remove,
    summary: describeCheck({ reload, drop, remove }),
  };
}
