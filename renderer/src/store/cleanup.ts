/**
 * The Clean-up view's state: the rules the admin picks, the engine's preview of what they would
 * remove, the rows unticked, and the clean-up itself (docs/cleanup.md). Nothing is removed but
 * what a preview showed: the clean-up sends the preview's token, and the engine refuses it as a
 * conflict when the candidates changed since. The removal is one batch, with one Undo notice.
 */
import type { CleanupPreview, CleanupRules } from '../../../shared/cleanup.js';
import { MAX_REFS_PER_REQUEST } from '../../../shared/contract.js';
import { ApiError } from '../api/client.js';
import { engineErrorText } from '../engineErrorText.js';
import type { CleanupChoices, CleanupSlice, CleanupState, StoreContext } from './storeTypes.js';

/** Superseded sessions are offered first: a newer session of the same device exists. */
export const DEFAULT_CHOICES: CleanupChoices = {
  folder: null,
  superseded: true,
  sameEmail: false,
  stale: false,
  staleDays: null,
  simulators: false,
  guests: false,
  includePending: false,
};

const CLOSED: CleanupState = {
  choices: DEFAULT_CHOICES,
  preview: null,
  previewRules: null,
  unticked: new Set(),
  previewing: false,
  removing: false,
  error: null,
  done: null,
};

/** The contract's rules for what the form holds; the stale threshold falls back to the suggested one. */
export function rulesOf(choices: CleanupChoices, suggestedStaleDays: number | null): CleanupRules {
  const staleDays = choices.stale ? (choices.staleDays ?? suggestedStaleDays) : null;
  return {
    superseded: choices.superseded,
    sameEmail: choices.superseded && choices.sameEmail,
    staleDays,
    simulators: choices.simulators,
    guests: choices.guests,
    includePending: choices.includePending,
  };
}

/** Whether any rule is picked (a stale rule needs its threshold). */
export const anyRule = (rules: CleanupRules): boolean =>
  rules.superseded === true || rules.staleDays != null || rules.simulators === true || rules.guests === true;

/** The refs a clean-up would remove: the preview's candidates but the unticked ones. */
export function tickedRefs(preview: CleanupPreview | null, unticked: ReadonlySet<string>): string[] {
  return (preview?.candidates ?? []).map((c) => c.ref).filter((ref) => !unticked.has(ref));
}

export function createCleanupSlice({ api, set, get, fail, live, t }: StoreContext): CleanupSlice {
  /** Only the newest preview asked for is shown; an older answer arriving late is dropped. */
  let asked = 0;
  const update = (patch: Partial<CleanupState>) => set({ cleanup: { ...get().cleanup, ...patch } });

  const preview = async (): Promise<void> => {
    const ask = ++asked;
    const { choices } = get().cleanup;
    const rules = rulesOf(choices, get().cleanup.preview?.suggestedStaleDays ?? null);
    update({ previewing: true, error: null, done: null });
    try {
      const answer = await api.request('previewCleanup', { folder: choices.folder, rules });
      if (ask !== asked) return;
      const { unticked, choices: now } = get().cleanup;
      // A row unticked before stays unticked while it is still proposed.
      const still = new Set(answer.candidates.map((c) => c.ref));
      update({
        preview: answer,
        previewRules: rules,
        unticked: new Set([...unticked].filter((ref) => still.has(ref))),
        previewing: false,
        // The stale threshold's default comes from the data, the first time the engine says it.
        choices: now.staleDays === null ? { ...now, staleDays: answer.suggestedStaleDays } : now,
      });
    } catch (error) {
      if (ask !== asked) return;
      update({
        previewing: false,
        preview: null,
        previewRules: null,
        error: t('cleanup:notice.previewFailed', { reason: reasonOf(error, t) }),
      });
    }
  };

  return {
    cleanup: CLOSED,

    async openCleanup() {
      const { folder, cleanup } = get();
      get().setView('cleanup');
      update({ ...CLOSED, choices: { ...cleanup.choices, folder } });
      await preview();
    },

    async chooseCleanup(patch) {
      update({ choices: { ...get().cleanup.choices, ...patch } });
      await preview();
    },

    previewCleanup: preview,

    toggleCleanupRow(ref) {
      const unticked = new Set(get().cleanup.unticked);
      if (!unticked.delete(ref)) unticked.add(ref);
      update({ unticked });
    },

    tickAllCleanupRows(ticked) {
      const all = get().cleanup.preview?.candidates.map((c) => c.ref) ?? [];
      update({ unticked: ticked ? new Set() : new Set(all) });
    },

    async runCleanup() {
      const { preview: shown, previewRules, unticked, choices, removing } = get().cleanup;
      if (!shown || !previewRules || removing) return;
      const refs = tickedRefs(shown, unticked);
      if (refs.length === 0) {
        get().notify(t('cleanup:notice.nothingTicked'));
        return;
      }
      const except = shown.candidates.map((c) => c.ref).filter((ref) => unticked.has(ref));
      if (except.length > MAX_REFS_PER_REQUEST) {
        update({
          error: t('cleanup:notice.tooManyUnticked', { count: except.length, max: MAX_REFS_PER_REQUEST }),
        });
        return;
      }
      update({ removing: true, error: null });
      const mark = live.changeStarted();
      try {
        const report = await api.request('cleanup', {
          folder: choices.folder,
          rules: previewRules,
          token: shown.token,
          except,
        });
        live.applyReport(report, mark);
        const removed = report.results.filter((r) => r.outcome === 'deleted').length;
        const failures = report.results.filter((r) => r.outcome === 'failed');
        update({ removing: false, done: { batch: report.batch, removed, failed: failures.length } });
        // The first failure's reason, worded by its code.
        const message = t('cleanup:notice.removed', {
          removed,
          failed: failures.length,
          reason: engineErrorText(failures[0]?.error, t),
        });
        get().notify(message, { kind: failures.length ? 'error' : 'info', undoBatch: report.batch });
      } catch (error) {
        live.changeFailed(mark);
        update({ removing: false });
        if (error instanceof ApiError && error.code === 'conflict') {
          // The folder changed since the preview: show the new one, say why nothing moved (in the
          // window's words for this code: the only conflict a clean-up request is refused with).
          await preview();
          update({ error: t('cleanup:notice.changedSincePreview') });
        } else {
          update({
            error: t('cleanup:notice.cleanupFailed', { reason: reasonOf(error, t) }),
          });
          fail(error);
        }
      }
    },
  };
}

/** Why a request failed, in the window's words (by the engine's code; its message for a code it does not know). */
const reasonOf = (error: unknown, t: StoreContext['t']): string =>
  engineErrorText(error instanceof Error ? error : { message: String(error) }, t);
