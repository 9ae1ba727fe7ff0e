/**
 * Changes to sessions: accept, set pending, move to the trash, undo. A selection of every matching
 * session goes to the engine as its filter (`setStatusMatching`, `deleteMatching`), so no count is
 * too large; the report is applied at once, and its deltas confirm it.
 */
import { type ChangeReport, MAX_REFS_PER_REQUEST, type SessionFilter } from '../../../shared/contract.js';
import { plural } from '../../../shared/text.js';
import { ApiError } from '../api/client.js';
import type { ChangesSlice, StoreContext, Target } from './storeTypes.js';
import { currentFilter } from './table.js';

/** What a change did, in words: what was done, what was already so, what failed and why. */
function describeReport(report: ChangeReport, done: string[]): { message: string; failed: number } {
  const failures = report.results.filter((r) => r.outcome === 'failed');
  const unchanged = report.results.filter((r) => r.outcome === 'unchanged').length;
  const parts = [...done];
  if (unchanged) parts.push(`${unchanged} already so`);
  if (failures.length) parts.push(`${failures.length} not changed: ${failures[0]?.error?.message ?? ''}`);
  return { message: `${parts.join('; ')}.`, failed: failures.length };
}

const doneCount = (report: ChangeReport) =>
  report.results.filter((r) => r.outcome !== 'failed' && r.outcome !== 'unchanged').length;

/** An undo says what came back: statuses set back, files put back from the Trash. */
export function undoneWords(report: ChangeReport): string[] {
  const restored = report.results.filter((r) => r.outcome === 'restored');
  const count = (test: (r: (typeof restored)[number]) => boolean) => restored.filter(test).length;
  const fromTrash = count((r) => r.statusBefore === null);
  const toPending = count((r) => r.statusBefore !== null && r.statusAfter === 'pending');
  const toAccepted = count((r) => r.statusBefore !== null && r.statusAfter === 'accepted');
  const words = [
    toPending ? `${plural(toPending, 'session')} set back to pending` : '',
    toAccepted ? `${plural(toAccepted, 'session')} accepted again` : '',
    fromTrash ? `${plural(fromTrash, 'session')} restored from the Trash` : '',
  ].filter(Boolean);
  return words.length ? words : ['nothing restored'];
}

/** The sessions a change is for, as the engine takes them: a list, or the filter of "every matching". */
type Resolved = { refs: string[]; count: number } | { filter: SessionFilter; count: number };

export function createChangesSlice({ api, env, get, fail, live }: StoreContext): ChangesSlice {
  /** Which sessions: null (with a notice saying why) when there are none or too many. */
  const resolve = (target: Target): Resolved | null => {
    if (target !== 'selection') return { refs: target, count: target.length };
    const { selection, matching } = get();
    if (selection.allMatching) return { filter: currentFilter(get()), count: matching };
    const refs = [...selection.refs];
    if (refs.length === 0) {
      get().notify('Select one or more sessions first.');
      return null;
    }
    if (refs.length > MAX_REFS_PER_REQUEST) {
      get().notify(
        `${refs.length} sessions are selected; one change takes at most ${MAX_REFS_PER_REQUEST}. ` +
          'To change every session the filter shows, use Select All (Ctrl/Cmd+A).',
        { kind: 'error' },
      );
      return null;
    }
    return { refs, count: refs.length };
  };

  /** Asks for a change; its report applied, or the failure said. */
  const change = async (request: () => Promise<ChangeReport>): Promise<ChangeReport | null> => {
    const mark = live.changeStarted();
    try {
      const report = await request();
      live.applyReport(report, mark);
      return report;
    } catch (error) {
      live.changeFailed(mark);
      fail(error);
      return null;
    }
  };

  const reported = (report: ChangeReport | null, verb: string) => {
    if (!report) return;
    const summary = describeReport(report, [`${plural(doneCount(report), 'session')} ${verb}`]);
    get().notify(summary.message, { kind: summary.failed ? 'error' : 'info', undoBatch: report.batch });
  };

  return {
    async setStatus(target, status) {
      const which = resolve(target);
      if (!which) return;
      const report = await change(() =>
        'filter' in which
          ? api.request('setStatusMatching', { filter: which.filter, status })
          : api.request('setStatus', { refs: which.refs, status }),
      );
      // "Every matching" under a filter the change contradicts (Pending, then Accept) now matches other rows.
      if (report && 'filter' in which) get().clearSelection();
      reported(report, status === 'accepted' ? 'accepted' : 'set to pending');
    },

    async deleteSessions(target) {
      const which = resolve(target);
      if (!which || which.count === 0) return;
      const question = {
        message:
          which.count === 1
            ? 'Move this session to the Trash?'
            : `Move ${which.count} sessions to the Trash?`,
        detail:
          which.count === 1
            ? 'The device will have to log in again. Undo puts the file back exactly as it was.'
            : 'The devices will have to log in again. Undo puts the files back exactly as they were.',
        confirmLabel: 'Move to Trash',
        destructive: true,
      };
      try {
        if (!(api.confirm ? await api.confirm(question) : await env.confirm(question))) return;
      } catch (error) {
        fail(error);
        return;
      }
      const report = await change(() =>
        'filter' in which
          ? api.request('deleteMatching', { filter: which.filter })
          : api.request('deleteSessions', { refs: which.refs }),
      );
      if (report && target === 'selection') get().clearSelection();
      reported(report, 'moved to the Trash');
    },

    async undo(batch = null) {
      const mark = live.changeStarted();
      let report: ChangeReport;
      try {
        report = await api.request('undo', batch ? { batch } : {});
        live.applyReport(report, mark);
      } catch (error) {
        live.changeFailed(mark);
        // Undone already (here by Ctrl/Cmd+Z, in another window, by the CLI): its notice has nothing left.
        if (batch && error instanceof ApiError && error.code === 'already-undone') get().batchUndone(batch);
        fail(error);
        return;
      }
      if (report.undid) get().batchUndone(report.undid);
      const summary = describeReport(report, undoneWords(report));
      get().notify(`Undone: ${summary.message}`, { kind: summary.failed ? 'error' : 'info' });
    },
  };
}
