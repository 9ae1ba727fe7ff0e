/**
 * The Clean-up view's store, driven for real against the engine double (test/support/web): the
 * rules picked become the contract's rules, the preview is what the view shows, unticked rows
 * stay, the clean-up is one batch with one Undo, and a folder changed since the preview removes
 * nothing.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTranslator } from '../../../shared/i18n/translator.js';
import { ApiClientDouble, type DoubleSession } from '../../../test/support/web/apiClientDouble.js';
import { ApiError } from '../api/client.js';
import { DEFAULT_CHOICES, rulesOf } from './cleanup.js';
import { createSessionsStore, type SessionsStore } from './sessionsStore.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const daysAgo = (days: number) => new Date(NOW - days * DAY).toISOString();

/**
 * Folder A: device d1 with an older session (a1) and a newer one (a2); device d2 likewise, the
 * older one pending (a3, a4); a simulator (a5); a guest (a6); a file 400 days old (a7).
 * Folder B: device d1 again (another app: not the same device), and an old session (b2).
 */
const SESSIONS: DoubleSession[] = [
  { folder: 'A', id: 'a1', deviceId: 'd1', firstSeen: daysAgo(50), modified: daysAgo(50) },
  { folder: 'A', id: 'a2', deviceId: 'd1', firstSeen: daysAgo(5), modified: daysAgo(5) },
  { folder: 'A', id: 'a3', deviceId: 'd2', firstSeen: daysAgo(40), modified: daysAgo(40), status: 'pending' },
  { folder: 'A', id: 'a4', deviceId: 'd2', firstSeen: daysAgo(4), modified: daysAgo(4) },
  { folder: 'A', id: 'a5', simulator: true, modified: daysAgo(3) },
  { folder: 'A', id: 'a6', email: '', modified: daysAgo(2) },
  { folder: 'A', id: 'a7', modified: daysAgo(400) },
  { folder: 'B', id: 'b1', deviceId: 'd1', firstSeen: daysAgo(60), modified: daysAgo(60) },
  { folder: 'B', id: 'b2', modified: daysAgo(200) },
];

const settle = () => vi.runAllTimersAsync();

async function open(
  engine: ApiClientDouble,
  client: ReturnType<ApiClientDouble['client']> = engine.client('browser'),
  t = createTranslator('en'),
): Promise<SessionsStore> {
  const store = createSessionsStore(
    client,
    {
      confirm: async () => true,
      download: () => {},
      copy: async () => {},
    },
    t,
  );
  await store.getState().start();
  await settle();
  engine.takeCalls();
  return store;
}

const engineDouble = () =>
  new ApiClientDouble(SESSIONS, { now: NOW, suggestedStaleDays: 180, clientError: (e) => new ApiError(e) });
const candidates = (store: SessionsStore) => store.getState().cleanup.preview?.candidates.map((c) => c.ref);

describe('the rules the Clean-up form holds', () => {
  it('sends a stale threshold only with the stale rule, the suggested one until the admin types one', () => {
    expect(rulesOf(DEFAULT_CHOICES, 180)).toEqual({
      superseded: true,
      sameEmail: false,
      staleDays: null,
      simulators: false,
      guests: false,
      includePending: false,
    });
    expect(rulesOf({ ...DEFAULT_CHOICES, stale: true }, 180).staleDays).toBe(180);
    expect(rulesOf({ ...DEFAULT_CHOICES, stale: true, staleDays: 30 }, 180).staleDays).toBe(30);
    // "Same e-mail" narrows the superseded rule; alone it proposes nothing.
    expect(rulesOf({ ...DEFAULT_CHOICES, superseded: false, sameEmail: true }, 180).sameEmail).toBe(false);
  });
});

describe('the Clean-up view', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("previews the table's app with superseded sessions first, the stale threshold the data suggests, pending left out", async () => {
    const engine = engineDouble();
    const store = await open(engine);
    store.getState().selectFolder('A');
    await store.getState().run('clean-up');
    const { cleanup, view } = store.getState();
    expect(view).toBe('cleanup');
    expect(cleanup.choices.folder).toBe('A');
    expect(cleanup.choices.staleDays).toBe(180);
    // a1 is superseded by a2; a3 is too, but pending: left out and counted.
    expect(candidates(store)).toEqual(['A/a1']);
    expect(cleanup.preview?.counts.pendingLeftOut).toBe(1);
    expect(engine.takeCalls()).toEqual(['previewCleanup']);

    await store
      .getState()
      .chooseCleanup({ stale: true, simulators: true, guests: true, includePending: true });
    expect(candidates(store)).toEqual(['A/a1', 'A/a3', 'A/a5', 'A/a6', 'A/a7']);
    expect(store.getState().cleanup.preview?.counts.byRule).toEqual({
      superseded: 2,
      stale: 1,
      simulator: 1,
      guest: 1,
    });
    await store.getState().chooseCleanup({ folder: null, staleDays: 100 });
    expect(candidates(store)).toEqual(['A/a1', 'A/a3', 'A/a5', 'A/a6', 'A/a7', 'B/b2']);
    expect(store.getState().cleanup.preview?.counts.byApp).toEqual({ A: 5, B: 1 });
  });

  it('moves the ticked candidates to the Trash in one batch, with one Undo that restores them all', async () => {
    const engine = engineDouble();
    const store = await open(engine);
    await store.getState().openCleanup();
    await store.getState().chooseCleanup({ stale: true, staleDays: 100, simulators: true });
    expect(candidates(store)).toEqual(['A/a1', 'A/a5', 'A/a7', 'B/b2']);
    store.getState().toggleCleanupRow('A/a5');
    store.getState().toggleCleanupRow('B/b2');
    store.getState().toggleCleanupRow('B/b2'); // ticked again
    engine.takeCalls();

    await store.getState().runCleanup();
    // One notice, with the Undo of the clean-up's batch (it stays 10 s: read before the timers run).
    const { done } = store.getState().cleanup;
    const notice = store.getState().notices.at(-1);
    expect(notice?.message).toBe('Clean-up: 3 sessions moved to the Trash.');
    expect(notice?.undoBatch).toBe(done?.batch);
    expect(done?.batch).toBeTruthy();
    await settle();
    expect(engine.takeCalls()[0]).toBe('cleanup');
    expect(engine.sessions.has('A/a5')).toBe(true);
    for (const ref of ['A/a1', 'A/a7', 'B/b2']) expect(engine.sessions.has(ref)).toBe(false);
    expect(done).toMatchObject({ removed: 3, failed: 0 });
    // The table's counts follow from the report and its deltas.
    expect(store.getState().apps.find((a) => a.folder === 'A')?.counts.sessions).toBe(5);

    await store.getState().run('undo', { batch: notice?.undoBatch ?? null });
    await settle();
    for (const ref of ['A/a1', 'A/a7', 'B/b2']) expect(engine.sessions.has(ref)).toBe(true);
  });

  it('removes nothing when the folder changed since the preview, and shows the new preview', async () => {
    const engine = engineDouble();
    const store = await open(engine);
    await store.getState().openCleanup();
    await store.getState().chooseCleanup({ simulators: true });
    expect(candidates(store)).toEqual(['A/a1', 'A/a5']);
    // The 4D Server writes another simulator session meanwhile.
    engine.external({ upsert: [{ folder: 'B', id: 'b9', simulator: true }] });
    await settle();
    const before = engine.sessions.size;
    await store.getState().runCleanup();
    await settle();
    expect(engine.sessions.size).toBe(before);
    const { cleanup } = store.getState();
    expect(cleanup.done).toBeNull();
    expect(cleanup.error).toMatch(/changed since the preview: nothing was removed/);
    expect(candidates(store)).toEqual(['A/a1', 'A/a5', 'B/b9']);
  });

  it('says what it did, and why nothing moved, in the window’s language', async () => {
    const engine = engineDouble();
    const store = await open(engine, engine.client('browser'), createTranslator('fr'));
    await store.getState().openCleanup();
    await store.getState().chooseCleanup({ simulators: true });
    store.getState().tickAllCleanupRows(false);
    await store.getState().runCleanup();
    expect(store.getState().notices.at(-1)?.message).toBe(
      'Rien n’est coché\u00a0: rien à placer dans la corbeille.',
    );

    store.getState().tickAllCleanupRows(true);
    engine.external({ upsert: [{ folder: 'B', id: 'b9', simulator: true }] });
    await settle();
    await store.getState().runCleanup();
    await settle();
    expect(store.getState().cleanup.error).toBe(
      'Les sessions ont changé depuis l’aperçu\u00a0: rien n’a été supprimé. Relancez l’aperçu.',
    );

    await store.getState().runCleanup();
    expect(store.getState().notices.at(-1)?.message).toBe(
      'Nettoyage\u00a0: 3 sessions placées dans la corbeille.',
    );
  });

  it('says why a preview failed by the engine’s code, in the window’s language', async () => {
    const engine = engineDouble();
    const client = engine.client('browser');
    const request = (async (method, params) => {
      if (method === 'previewCleanup') {
        throw new ApiError({ code: 'root-missing', message: 'The folder /srv/MobileApps is gone.' });
      }
      return client.request(method, params);
    }) as typeof client.request;
    const store = await open(engine, { ...client, request }, createTranslator('fr'));
    await store.getState().openCleanup();
    expect(store.getState().cleanup.error).toBe(
      'L’aperçu n’a pas pu être établi\u00a0: le dossier MobileApps n’est plus là.',
    );
  });

  it('shows only the newest preview asked for when an older answer arrives after it', async () => {
    const engine = engineDouble();
    const client = engine.client('browser');
    let slowNext = false;
    // The next preview's answer is held back: it arrives after the one asked for later.
    const request = (async (method, params) => {
      const slow = method === 'previewCleanup' && slowNext;
      slowNext = false;
      const answer = await client.request(method, params);
      if (slow) await new Promise((resolve) => setTimeout(resolve, 50));
      return answer;
    }) as typeof client.request;
    const store = await open(engine, { ...client, request });
    await store.getState().openCleanup();
    slowNext = true;
    const first = store.getState().chooseCleanup({ guests: true });
    const second = store.getState().chooseCleanup({ guests: false, simulators: true });
    await settle();
    await Promise.all([first, second]);
    expect(candidates(store)).toEqual(['A/a1', 'A/a5']);
    expect(store.getState().cleanup.previewRules).toMatchObject({ guests: false, simulators: true });
  });
});
