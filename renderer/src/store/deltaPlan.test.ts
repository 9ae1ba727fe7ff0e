/** What deltas and reports change on screen by themselves, and what they leave to a new request. */
import { describe, expect, it } from 'vitest';
import type { AppSummary, SessionSummary } from '../../../shared/contract.js';
import { summaryOf } from '../../../test/support/web/apiClientDouble.js';
import { planDeltas, planReport, type ScreenView } from './deltaPlan.js';
import { NO_FILTERS } from './storeTypes.js';

const app = (folder: string, sessions: number): AppSummary => ({
  folder,
  name: folder,
  bundleId: `com.example.${folder}`,
  teamId: null,
  platform: 'ios',
  counts: { sessions, pending: 0, problems: 0 },
});

const a1 = summaryOf({ folder: 'A', id: '1', status: 'pending' });
const a2 = summaryOf({ folder: 'A', id: '2', status: 'accepted' });

function screen(overrides: Partial<ScreenView> = {}): ScreenView {
  return {
    folder: null,
    filters: NO_FILTERS,
    sort: null,
    blocks: new Map([[0, [a1, a2]]]),
    matchingPending: 1,
    apps: [app('A', 2), app('C', 0)],
    view: 'sessions',
    details: null,
    ...overrides,
  };
}

const accepted = (s: SessionSummary): SessionSummary => ({ ...s, status: 'accepted' });

describe('a plan from deltas', () => {
  it('keeps the app list from app deltas alone, in folder order', () => {
    const plan = planDeltas(screen({ folder: 'C' }), [
      { type: 'app-added', folder: 'B', app: app('B', 1) },
      { type: 'app-changed', folder: 'A', app: app('A', 3) },
      { type: 'app-removed', folder: 'C' },
    ]);
    expect(plan.apps?.map((a) => [a.folder, a.counts.sessions])).toEqual([
      ['A', 3],
      ['B', 1],
    ]);
    expect(plan.folderGone).toBe(true);
    expect(plan.refetch.apps).toBe(false);
  });

  it('patches a changed row in place when the order cannot move it, and counts its status', () => {
    const byEmail = screen({ sort: { key: 'email', direction: 'asc' } });
    const plan = planDeltas(byEmail, [
      { type: 'session-changed', ref: a1.ref, folder: 'A', session: accepted(a1) },
    ]);
    expect(plan.blocks?.get(0)?.[0]).toEqual(accepted(a1));
    expect(plan.patched).toEqual([accepted(a1)]);
    expect(plan.matchingPending).toBe(0);
    expect(plan.refetch.rows).toBe(false);
    expect(plan.refetch.pushState).toBe(true);
  });

  it('fetches the rows again when the change may move the row or take it out of the filter', () => {
    const change = { type: 'session-changed' as const, ref: a1.ref, folder: 'A', session: accepted(a1) };
    // The default order puts pending sessions first; a status filter drops the row.
    expect(planDeltas(screen(), [change]).refetch.rows).toBe(true);
    const byEmailPendingOnly = screen({
      sort: { key: 'email', direction: 'asc' },
      filters: { ...NO_FILTERS, status: 'pending' },
    });
    const plan = planDeltas(byEmailPendingOnly, [change]);
    expect(plan.refetch.rows).toBe(true);
    expect(plan.blocks?.get(0)?.[0]?.status).toBe('accepted'); // shown at once, while the rows come
  });

  it('asks for nothing when a delta repeats what is on screen', () => {
    const plan = planDeltas(screen(), [
      { type: 'session-changed', ref: a2.ref, folder: 'A', session: { ...a2 } },
    ]);
    expect(plan.blocks).toBeNull();
    expect(plan.refetch.rows).toBe(false);
  });

  it('leaves the rows of another app alone, but fetches rows for sessions of the app shown', () => {
    const added = summaryOf({ folder: 'B', id: '9', status: 'pending' });
    const delta = { type: 'session-added' as const, ref: added.ref, folder: 'B', session: added };
    expect(planDeltas(screen({ folder: 'A' }), [delta]).refetch.rows).toBe(false);
    const plan = planDeltas(screen({ folder: 'B' }), [delta]);
    expect(plan.refetch.rows).toBe(true);
    expect(plan.freshPending).toEqual([added.ref]);
  });

  it('refreshes the open details only when their session changed, and closes them when it is gone', () => {
    const details = screen({ details: { summary: a1 } });
    const changed = planDeltas(details, [
      { type: 'session-changed', ref: a1.ref, folder: 'A', session: accepted(a1) },
    ]);
    expect(changed.details).toEqual(accepted(a1));
    expect(changed.refetch.details).toBe(true);
    const other = planDeltas(details, [
      { type: 'session-changed', ref: a2.ref, folder: 'A', session: accepted(a2) },
    ]);
    expect(other.refetch.details).toBe(false);
    const gone = planDeltas(details, [{ type: 'session-removed', ref: a1.ref, folder: 'A' }]);
    expect(gone.details).toBe('closed');
    expect([...gone.removed]).toEqual([a1.ref]);
  });

  it('fetches the problems only while the Problems view shows them', () => {
    const delta = { type: 'problems-changed' as const, path: 'A/x', folder: 'A', problems: [] };
    expect(planDeltas(screen(), [delta]).refetch.problems).toBe(false);
    expect(planDeltas(screen({ view: 'problems' }), [delta]).refetch.problems).toBe(true);
  });

  it('asks nothing more for a change this window reported already (its echo), once', () => {
    const echoes = new Map([[a1.ref, 'accepted' as const]]);
    const isEcho = (ref: string, status: string | null) => echoes.get(ref) === status && echoes.delete(ref);
    const notLoaded = screen({ blocks: new Map() });
    const change = { type: 'session-changed' as const, ref: a1.ref, folder: 'A', session: accepted(a1) };
    const echo = planDeltas(notLoaded, [change], isEcho);
    expect(echo.refetch).toMatchObject({ rows: false, pushState: false });
    const again = planDeltas(notLoaded, [change], isEcho);
    expect(again.refetch).toMatchObject({ rows: true, pushState: true });
  });
});

describe('a plan from a report', () => {
  it("patches statuses at once and leaves the counts to the engine's deltas", () => {
    const plan = planReport(screen({ sort: { key: 'email', direction: 'asc' } }), {
      batch: '00000000-0000-4000-8000-000000000001',
      results: [
        { ref: a1.ref, outcome: 'changed', statusBefore: 'pending', statusAfter: 'accepted', error: null },
      ],
    });
    expect(plan.blocks?.get(0)?.[0]?.status).toBe('accepted');
    expect(plan.apps).toBeNull();
    expect(plan.refetch).toMatchObject({ rows: false, pushState: true });
  });

  it('fetches the rows after a delete or an undo, and asks nothing after a change that changed nothing', () => {
    const deleted = planReport(screen(), {
      batch: '00000000-0000-4000-8000-000000000002',
      results: [
        { ref: a2.ref, outcome: 'deleted', statusBefore: 'accepted', statusAfter: null, error: null },
      ],
    });
    expect(deleted.refetch.rows).toBe(true);
    expect([...deleted.removed]).toEqual([a2.ref]);
    const nothing = planReport(screen(), {
      batch: null,
      results: [
        { ref: a2.ref, outcome: 'unchanged', statusBefore: 'accepted', statusAfter: 'accepted', error: null },
      ],
    });
    expect(Object.values(nothing.refetch).some(Boolean)).toBe(false);
  });
});
