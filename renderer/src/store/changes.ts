/**
 * Changes to sessions: accept, set pending, move to the trash, undo. A selection of every matching
 * session goes to the engine as its filter (`setStatusMatching`, `deleteMatching`), so no count is
 * too large; the report is applied at once, and its deltas confirm it.
 */
import { type ChangeReport, MAX_REFS_PER_REQUEST, type SessionFilter } from '../../../shared/contract.js';
import type { Translate } from '../../../shared/i18n/translator.js';
import { ApiError } from '../api/client.js';
import { engineErrorText } from '../engineErrorText.js';
import type { ChangesSlice, StoreContext, Target } from './storeTypes.js';
import { currentFilter } from './table.js';

/**
 * What a change did, as clauses, each a whole translated message: what was done, what was already
 * so, what failed and why. The notice joins them with the catalog's separator (`; `).
 */
function reportClauses(
  report: ChangeReport,
  done: string[],
  t: Translate,
): { clauses: string; failed: number } {
  const failures = report.results.filter((r) => r.outcome === 'failed');
  const unchanged = report.results.filter((r) => r.outcome === 'unchanged').length;
  const parts = [...done];
  if (unchanged) parts.push(t('window:notices.clauses.unchanged', { count: unchanged }));
  if (failures.length) {
    const reason = engineErrorText(failures[0]?.error, t);
    parts.push(t('window:notices.clauses.failed', { count: failures.length, reason }));
  }
  return { clauses: parts.join(t('window:notices.separator')), failed: failures.length };
}

const doneCount = (report: ChangeReport) =>
  report.results.filter((r) => r.outcome !== 'failed' && r.outcome !== 'unchanged').length;

/** An undo says what came back: statuses set back, files put back from the Trash. */
export function undoneWords(report: ChangeReport, t: Translate): string[] {
  const restored = report.results.filter((r) => r.outcome === 'restored');
  const count = (test: (r: (typeof restored)[number]) => boolean) => restored.filter(test).length;
  const fromTrash = count((r) => r.statusBefore === null);
  const toPending = count((r) => r.statusBefore !== null && r.statusAfter === 'pending');
  const toAccepted = count((r) => r.statusBefore !== null && r.statusAfter === 'accepted');
  const words = [
    toPending ? t('window:notices.clauses.backToPending', { count: toPending }) : '',
    toAccepted ? t('window:notices.clauses.acceptedAgain', { count: toAccepted }) : '',
    fromTrash ? t('window:notices.clauses.restored', { count: fromTrash }) : '',
  ].filter(Boolean);
  return words.length ? words : [t('window:notices.clauses.nothingRestored')];
}

/** The sessions a change is for, as the engine takes them: a list, or the filter of "every matching". */
type Resolved = { refs: string[]; count: number } | { filter: SessionFilter; count: number };

/** What a change did: the clause of its done part, by kind. */
type DoneKind = 'accepted' | 'pending' | 'trashed';

export function createChangesSlice({ api, env, t, get, fail, live }: StoreContext): ChangesSlice {
  /** Which sessions: null (with a notice saying why) when there are none or too many. */
  const resolve = (target: Target): Resolved | null => {
    if (target !== 'selection') return { refs: target, count: target.length };
    const { selection, matching } = get();
    if (selection.allMatching) return { filter: currentFilter(get()), count: matching };
    const refs = [...selection.refs];
    if (refs.length === 0) {
      get().notify(t('window:notices.selectFirst'));
      return null;
    }
    if (refs.length > MAX_REFS_PER_REQUEST) {
      get().notify(t('window:notices.tooMany', { count: refs.length, max: MAX_REFS_PER_REQUEST }), {
        kind: 'error',
      });
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

  const reported = (report: ChangeReport | null, kind: DoneKind) => {
    if (!report) return;
    const done = t(`window:notices.clauses.${kind}`, { count: doneCount(report) });
    const summary = reportClauses(report, [done], t);
    get().notify(t('window:notices.sentence', { clauses: summary.clauses }), {
      kind: summary.failed ? 'error' : 'info',
      undoBatch: report.batch,
    });
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
      reported(report, status === 'accepted' ? 'accepted' : 'pending');
    },

    async deleteSessions(target) {
      const which = resolve(target);
      if (!which || which.count === 0) return;
      // A question in the window's language, even when the desktop asks it natively.
      const question = {
        message: t('window:questions.trash.message', { count: which.count }),
        detail: t('window:questions.trash.detail', { count: which.count }),
        confirmLabel: t('commands:move-to-trash'),
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
      reported(report, 'trashed');
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
      const summary = reportClauses(report, undoneWords(report, t), t);
      get().notify(t('window:notices.undone', { clauses: summary.clauses }), {
        kind: summary.failed ? 'error' : 'info',
      });
    },
  };
}
