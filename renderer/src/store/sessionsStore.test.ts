/**
 * The renderer's store, driven for real against an engine double (test/support/web): what each
 * door's command does, how deltas and reports keep the screen equal to the engine, and how many
 * requests one click costs.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMAND_IDS, type CommandId, MENU_COMMANDS } from '../../../shared/commands.js';
import { MAX_REFS_PER_REQUEST } from '../../../shared/contract.js';
import { ApiClientDouble, type DoubleSession } from '../../../test/support/web/apiClientDouble.js';
import { ApiError } from '../api/client.js';
import { blocksOnScreen, blocksToFetch } from '../components/tableLogic.js';
import { createSessionsStore, type SessionsStore } from './sessionsStore.js';
import type { StoreEnvironment } from './storeTypes.js';

/** `count` sessions in folders A and B; every third one pending, the newest first. */
const sessions = (count: number): DoubleSession[] =>
  Array.from({ length: count }, (_, i) => ({
    folder: i % 2 ? 'A' : 'B',
    id: `s${String(i).padStart(5, '0')}`,
    status: i % 3 ? 'accepted' : 'pending',
    firstSeen: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  }));

function environment(): StoreEnvironment & { copied: string[] } {
  const copied: string[] = [];
  return {
    copied,
    confirm: async () => true,
    download: () => {},
    copy: async (text) => {
      copied.push(text);
    },
  };
}

/** What the sessions table does (SessionsTable.tsx): fetch the blocks on screen at each generation. */
function showTable(store: SessionsStore, rowsOnScreen = 30) {
  const asked = new Map<number, number>();
  const fetch = () => {
    const first = store.getState().focusedIndex;
    const onScreen = blocksOnScreen(first, first + rowsOnScreen - 1);
    for (const block of blocksToFetch(onScreen, store.getState().generation, asked))
      void store.getState().loadBlock(block);
  };
  store.subscribe((state, before) => {
    if (state.generation !== before.generation || state.focusedIndex !== before.focusedIndex) fetch();
  });
  fetch();
}

const settle = () => vi.runAllTimersAsync();

async function open(engine: ApiClientDouble, kind: 'desktop' | 'browser' = 'desktop') {
  const env = environment();
  const store = createSessionsStore(engine.client(kind), env);
  showTable(store);
  await store.getState().start();
  await settle();
  engine.takeCalls();
  return { store, env };
}

const refsOf = (store: SessionsStore) => [...(store.getState().blocks.get(0) ?? [])].map((r) => r.ref);

describe('the sessions store', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('takes the Undo off a notice once its change is undone, by Ctrl/Cmd+Z or its own Undo (issue 18, item 5)', async () => {
    const engine = new ApiClientDouble(sessions(10));
    const { store } = await open(engine);
    await store.getState().setStatus(['B/s00000', 'A/s00003'], 'accepted');
    await store.getState().deleteSessions(['A/s00001']);
    await vi.advanceTimersByTimeAsync(100); // not settle(): the notices would close by themselves
    const batchOf = (text: RegExp) => store.getState().notices.find((n) => text.test(n.message))?.undoBatch;
    const accepted = batchOf(/accepted/);
    expect(accepted).toBeTruthy();
    expect(batchOf(/Trash/)).toBeTruthy();
    await store.getState().run('undo'); // Ctrl/Cmd+Z: the latest change, the delete
    await vi.advanceTimersByTimeAsync(100); // not settle(): the notices would close by themselves
    expect(batchOf(/Trash/)).toBeNull();
    expect(batchOf(/accepted\./)).toBe(accepted);
    expect(store.getState().notices.at(-1)?.message).toBe('Undone: 1 session restored from the Trash.');
    await store.getState().run('undo', { batch: accepted });
    await vi.advanceTimersByTimeAsync(100); // not settle(): the notices would close by themselves
    expect(store.getState().notices.at(-1)?.message).toBe('Undone: 2 sessions set back to pending.');
  });

  it('acts on no row out of view: a change that takes rows out of the filter, or a new filter, unselects them (item 6)', async () => {
    const engine = new ApiClientDouble(sessions(30));
    const { store } = await open(engine);
    store.getState().setFilters({ status: 'pending' });
    await settle();
    store.getState().select(0, 'replace');
    store.getState().select(2, 'range');
    expect(store.getState().selection.refs.size).toBe(3);
    await store.getState().run('accept');
    await settle();
    expect(store.getState().selection.refs.size).toBe(0);
    store.getState().select(0, 'replace');
    store.getState().setFilters({ search: 'no such session' });
    expect(store.getState().selection.refs.size).toBe(0);
  });

  it('listens to the engine per store: a second store gets the events too', async () => {
    const engine = new ApiClientDouble(sessions(10));
    const first = (await open(engine)).store;
    const second = (await open(engine)).store;
    engine.external({ upsert: [{ folder: 'A', id: 'new', status: 'pending' }] });
    await settle();
    for (const store of [first, second]) {
      expect(store.getState().apps.find((a) => a.folder === 'A')?.counts.sessions).toBe(6);
      expect(refsOf(store)).toContain('A/new');
    }
    first.getState().stop();
    engine.external({ upsert: [{ folder: 'A', id: 'newer', status: 'pending' }] });
    await settle();
    expect(refsOf(first)).not.toContain('A/newer');
    expect(refsOf(second)).toContain('A/newer');
  });

  it("runs each native menu command through the same dispatcher as the window's keys and context menus", async () => {
    const engine = new ApiClientDouble(sessions(10));
    const { store } = await open(engine);
    const run = vi.fn(async () => {});
    store.setState({ run });
    for (const command of MENU_COMMANDS) engine.sendMenuCommand({ command, ref: 'B/s00000' });
    engine.sendMenuCommand({ command: 'rm -rf' as CommandId as never });
    expect(run.mock.calls).toEqual(MENU_COMMANDS.map((command) => [command, { ref: 'B/s00000' }]));
  });

  it('gives every command of the vocabulary a handler that acts', async () => {
    const engine = new ApiClientDouble(sessions(10));
    const { store, env } = await open(engine);
    store.getState().select(0, 'replace');
    const focused = store.getState().rowAt(0);
    if (!focused) throw new Error('no row on screen');
    const acted: Record<string, unknown> = {};
    const spies = Object.fromEntries(
      (
        [
          'openRoot',
          'closeRoot',
          'refresh',
          'setView',
          'setStatus',
          'reveal',
          'deleteSessions',
          'undo',
          'openPushSetup',
          'focusRef',
          'exportCsv',
          'openCleanup',
          'startPush',
          'selectAll',
          'clearSelection',
          'openDetails',
          'moveFocus',
          'askRowMenu',
        ] as const
      ).map((name) => [
        name,
        vi.fn((...args: unknown[]) => {
          acted[name] = args;
        }),
      ]),
    );
    // Details open: Escape's Close Details can run (it cannot without them).
    store.setState({ ...spies, details: { summary: focused, json: '{}', path: '' } as never });
    const expected: Record<CommandId, [string, unknown[]]> = {
      'open-folder': ['openRoot', ['/picked/MobileApps']],
      'close-folder': ['closeRoot', []],
      refresh: ['refresh', []],
      'show-problems': ['setView', ['problems']],
      accept: ['setStatus', ['selection', 'accepted']],
      'set-pending': ['setStatus', ['selection', 'pending']],
      reveal: ['reveal', [focused.ref]],
      'copy-id': ['copy', [focused.id]],
      'copy-email': ['copy', [focused.email]],
      'move-to-trash': ['deleteSessions', ['selection']],
      undo: ['undo', [null]],
      'push-setup': ['openPushSetup', []],
      'focus-session': ['focusRef', ['B/s00009']],
      'export-csv': ['exportCsv', []],
      'clean-up': ['openCleanup', []],
      push: ['startPush', []],
      'select-all': ['selectAll', []],
      'clear-selection': ['clearSelection', []],
      'toggle-status': ['setStatus', ['selection', 'accepted']],
      'open-details': ['openDetails', [focused.ref]],
      'close-details': ['openDetails', [null]],
      'open-row-menu': ['askRowMenu', []],
      'next-row': ['moveFocus', [1, false]],
      'previous-row': ['moveFocus', [-1, false]],
      'next-page': ['moveFocus', [15, false]],
      'previous-page': ['moveFocus', [-15, false]],
      'first-row': ['moveFocus', [0, false]],
      'last-row': ['moveFocus', [9, false]],
    };
    expect(Object.keys(expected).sort()).toEqual([...COMMAND_IDS].sort());
    for (const command of COMMAND_IDS) {
      for (const key of Object.keys(acted)) delete acted[key];
      env.copied.length = 0;
      const ref = command === 'focus-session' ? 'B/s00009' : undefined;
      await store.getState().run(command, ref ? { ref } : {});
      const [action, args] = expected[command];
      expect(action === 'copy' ? env.copied : acted[action], command).toEqual(args);
    }
  });

  it("shows a notification's session wherever it sits in its app, far past the first rows", async () => {
    const engine = new ApiClientDouble(sessions(2500));
    const { store } = await open(engine);
    store.getState().setFilters({ search: 'nothing matches this' });
    await settle();
    engine.takeCalls();
    // The oldest session of B: the last row of its app in the default order (pending first, then newest).
    const ref = 'B/s00002';
    await store.getState().run('focus-session', { ref });
    await settle();
    const state = store.getState();
    const index = engine.matching({ folder: 'B' }).findIndex((s) => s.ref === ref);
    expect(index).toBeGreaterThan(1000);
    expect(state.focusedIndex).toBe(index);
    expect(state.rowAt(index)?.ref).toBe(ref);
    expect([...state.selection.refs]).toEqual([ref]);
    expect(state.details?.summary.ref).toBe(ref);
    expect(state.filters.search).toBe('');
    expect(engine.takeCalls()).toContain('locateSession');
  });

  it('sends Select All + Accept and Select All + Move to Trash as one filter, above 10,000 sessions', async () => {
    const count = MAX_REFS_PER_REQUEST + 2000;
    const engine = new ApiClientDouble(sessions(count));
    const { store } = await open(engine);
    await store.getState().run('select-all');
    await store.getState().run('accept');
    await settle();
    expect(engine.takeCalls()[0]).toBe('setStatusMatching');
    expect(engine.matching({ status: 'pending' })).toEqual([]);

    await store.getState().run('select-all');
    await store.getState().run('move-to-trash');
    // Counts are written the language's way (Intl): 12,000 in English.
    const written = count.toLocaleString('en');
    expect(store.getState().notices.at(-1)?.message).toBe(`${written} sessions moved to the Trash.`);
    await settle();
    expect(engine.confirmed.map((q) => q.message)).toEqual([`Move ${written} sessions to the Trash?`]);
    expect(engine.takeCalls()[0]).toBe('deleteMatching');
    expect(engine.sessions.size).toBe(0);
    expect(store.getState().selection.allMatching).toBe(false);
    expect(store.getState().matching).toBe(0);
  });

  it('says why when a change has no session, or more than one request takes', async () => {
    const engine = new ApiClientDouble(sessions(10));
    const { store } = await open(engine);
    await store.getState().run('accept');
    expect(store.getState().notices.at(-1)?.message).toBe('Select one or more sessions first.');
    const tooMany = new Set(Array.from({ length: MAX_REFS_PER_REQUEST + 1 }, (_, i) => `A/${i}`));
    store.setState({ selection: { refs: tooMany, allMatching: false, anchor: 0 } });
    await store.getState().run('move-to-trash');
    expect(store.getState().notices.at(-1)).toMatchObject({ kind: 'error' });
    expect(store.getState().notices.at(-1)?.message).toContain(
      `at most ${MAX_REFS_PER_REQUEST.toLocaleString('en')}`,
    );
    expect(engine.takeCalls()).toEqual([]);
    expect(engine.confirmed).toEqual([]);
  });

  it('selects a range through rows not loaded yet, and End reaches the last row', async () => {
    const engine = new ApiClientDouble(sessions(2500));
    const { store } = await open(engine);
    store.getState().select(0, 'replace');
    await store.getState().run('last-row', { extend: true });
    await settle();
    const state = store.getState();
    expect(state.focusedIndex).toBe(2499);
    expect(state.rowAt(2499)).toBeDefined();
    expect(state.selection.refs.size).toBe(2500);
    expect(state.selection.anchor).toBe(0);
    await store.getState().run('first-row');
    await settle();
    expect([...store.getState().selection.refs]).toEqual([store.getState().rowAt(0)?.ref]);
  });

  it('asks before opening an app folder itself (offering its parent) or a folder with no app folder (issue 13, item 6)', async () => {
    const engine = new ApiClientDouble(sessions(3));
    const { store, env } = await open(engine);
    const asked: string[] = [];
    let answer = true;
    env.confirm = async (question) => {
      asked.push(`${question.message} | ${question.detail}`);
      return answer;
    };
    engine.inspections.set('/srv/MobileApps/com.acme.app', {
      kind: 'app-folder',
      parent: '/srv/MobileApps',
      message: 'The engine’s English words, not shown: the window words the question by its kind.',
    });
    await store.getState().openRoot('/srv/MobileApps/com.acme.app');
    expect(asked).toEqual([
      '/srv/MobileApps/com.acme.app is an app folder itself: its MobileApps folder is probably /srv/MobileApps. | Open /srv/MobileApps instead?',
    ]);
    expect(store.getState().app?.root).toBe('/srv/MobileApps');

    engine.inspections.set('/etc', {
      kind: 'unrecognised',
      parent: null,
      message: '/etc does not look like a MobileApps folder.',
    });
    answer = false;
    engine.takeCalls();
    await store.getState().openRoot('/etc');
    expect(engine.takeCalls()).toEqual(['inspectFolder']);
    expect(store.getState().app?.root).toBe('/srv/MobileApps');
  });

  it('drops a query the engine cancelled for a newer one, without an error notice', async () => {
    const engine = new ApiClientDouble(sessions(30), { clientError: (e) => new ApiError(e) });
    const { store } = await open(engine);
    engine.failOnce.set('querySessions', { code: 'cancelled', message: 'A newer query replaced this one.' });
    store.getState().setFilters({ search: 'a' });
    await settle();
    expect(store.getState().notices).toEqual([]);
    engine.failOnce.set('querySessions', { code: 'io', message: 'The disk said no.' });
    store.getState().setFilters({ search: 'ab' });
    await settle();
    expect(store.getState().notices.map((n) => n.message)).toEqual(['The disk said no.']);
  });

  it('applies deltas from their payload: app counts and a row that stays put, without a request', async () => {
    const engine = new ApiClientDouble(sessions(30));
    const { store } = await open(engine);
    store.getState().toggleSort('email');
    await settle();
    engine.takeCalls();
    const index =
      store
        .getState()
        .blocks.get(0)
        ?.findIndex((r) => r.status === 'accepted') ?? -1;
    const row = store.getState().rowAt(index);
    const pendingBefore = store.getState().matchingPending;
    expect(row?.status).toBe('accepted');
    engine.external({
      upsert: [{ folder: row?.ref.split('/')[0] ?? '', id: row?.id ?? '', status: 'pending' }],
    });
    await settle();
    expect(store.getState().rowAt(index)).toMatchObject({ ref: row?.ref, status: 'pending' });
    expect(store.getState().matchingPending).toBe(pendingBefore + 1);
    expect(store.getState().apps).toEqual(engine.apps());
    // The unpushed changes are the engine's to count: the one request a delta leaves.
    expect(engine.takeCalls()).toEqual(['getPushState']);
  });

  it('ignores rows of another app than the one shown, but not its counts', async () => {
    const engine = new ApiClientDouble(sessions(30));
    const { store } = await open(engine);
    store.getState().selectFolder('A');
    await settle();
    engine.takeCalls();
    engine.external({ upsert: [{ folder: 'B', id: 'new', status: 'pending' }], remove: ['B/s00000'] });
    await settle();
    expect(engine.takeCalls()).toEqual(['getPushState']);
    expect(store.getState().apps.find((a) => a.folder === 'B')?.counts).toMatchObject({ sessions: 15 });
  });

  it('drops vanished sessions from the selection and closes their details', async () => {
    const engine = new ApiClientDouble(sessions(30));
    const { store } = await open(engine);
    const [first, second] = [store.getState().rowAt(0)?.ref ?? '', store.getState().rowAt(1)?.ref ?? ''];
    store.getState().select(0, 'replace');
    store.getState().select(1, 'toggle');
    await store.getState().openDetails(first);
    engine.external({ remove: [first] });
    await settle();
    expect([...store.getState().selection.refs]).toEqual([second]);
    expect(store.getState().details).toBeNull();
    expect(refsOf(store)).not.toContain(first);
  });

  it('keeps a patched row when a block asked for before the patch arrives after it', async () => {
    const engine = new ApiClientDouble(sessions(30), { eventDelayMs: 5 });
    const { store } = await open(engine);
    store.getState().toggleSort('email');
    await settle();
    const row = store.getState().rowAt(2);
    // The engine answers a block, then the row changes; the answer reaches the window after the delta.
    const api = store.getState().api;
    const request = api.request;
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    api.request = async (method, params) => {
      const answer = await request(method, params);
      if (method === 'querySessions') await held;
      return answer;
    };
    const loading = store.getState().loadBlock(0);
    await Promise.resolve();
    await Promise.resolve();
    engine.external({
      upsert: [{ folder: row?.ref.split('/')[0] ?? '', id: row?.id ?? '', status: 'pending' }],
    });
    await vi.advanceTimersByTimeAsync(5);
    expect(store.getState().rowAt(2)?.status).toBe('pending');
    release();
    await loading;
    expect(store.getState().rowAt(2)?.status).toBe('pending');
    api.request = request;
    await settle();
    expect(store.getState().rowAt(2)?.status).toBe('pending');
    expect(store.getState().matchingPending).toBe(engine.matching({ status: 'pending' }).length);
  });
});

describe('requests per click (accepting one pending session from its Status control)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  // Before the store applied deltas (the same double and table): 4 requests with the events
  // before the answer, 5 with the details open, 4 sorted by e-mail; 7 and 9 with the events 50 ms
  // after the answer (Server-Sent Events beside HTTP); 3 for a session added by another process.
  it.each([
    ['events before the answer (IPC)', 0, {}, ['setStatus', 'querySessions', 'getPushState']],
    ['details open', 0, { details: true }, ['setStatus', 'querySessions', 'getPushState', 'getSession']],
    ['sorted by e-mail (the row stays put)', 0, { sort: true }, ['setStatus', 'getPushState']],
    ['events 50 ms after the answer (SSE)', 50, {}, ['setStatus', 'querySessions', 'getPushState']],
    [
      'events 50 ms after, details open',
      50,
      { details: true },
      ['setStatus', 'querySessions', 'getPushState', 'getSession'],
    ],
  ])('%s', async (_name, eventDelayMs, options: { details?: boolean; sort?: boolean }, expected) => {
    const engine = new ApiClientDouble(sessions(300), { eventDelayMs });
    const { store } = await open(engine);
    if (options.sort) store.getState().toggleSort('email');
    await settle();
    const ref =
      store
        .getState()
        .blocks.get(0)
        ?.find((r) => r.status === 'pending')?.ref ?? '';
    if (options.details) await store.getState().openDetails(ref);
    await settle();
    engine.takeCalls();
    await store.getState().run('accept', { refs: [ref] });
    await settle();
    expect(engine.takeCalls()).toEqual(expected);
    const state = store.getState();
    expect(state.rowByRef(ref)?.status ?? 'not on screen').not.toBe('pending');
    expect(state.apps).toEqual(engine.apps());
    expect(state.matchingPending).toBe(engine.matching({ status: 'pending' }).length);
    if (options.details) expect(state.details?.summary.status).toBe('accepted');
  });

  it('costs 2 requests for a session another process adds', async () => {
    const engine = new ApiClientDouble(sessions(300));
    const { store } = await open(engine);
    engine.external({ upsert: [{ folder: 'A', id: 'new', status: 'pending' }] });
    await settle();
    expect(engine.takeCalls()).toEqual(['querySessions', 'getPushState']);
    expect(store.getState().highlighted.has('A/new') || refsOf(store).includes('A/new')).toBe(true);
  });
});
