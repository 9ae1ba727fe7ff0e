/**
 * One contract suite, run against each front door so they cannot drift apart (architecture,
 * section 5): in-process `dispatch`, the browser-mode server over real HTTP on 127.0.0.1, and the
 * Electron IPC adapter with `electron` replaced by its double. Each door gets its own AppService
 * over its own real temporary MobileApps folder (the same demo, seed 7). Every door's results are
 * recorded, normalised (paths, times, batch ids) and compared at the end: the doors must agree.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppEvent,
  type AppState,
  type AppSummary,
  type ChangeReport,
  type Envelope,
  type FileProblem,
  MAX_REQUEST_BYTES,
  MAX_ROWS_PER_QUERY,
  type RevealResult,
  type SessionDetails,
  type SessionPage,
} from '../shared/contract.js';
import type { WorkspaceDelta } from '../shared/deltas.js';
import {
  type DoorFolder,
  FORMULA_EMAIL,
  FORMULA_SESSION_ID,
  makeDoorFolder,
  makeRendererFixture,
  NESTED_PASSWORD_SECRET,
  normalize,
  OUTSIDE_FILE_ID,
  openEventStream,
  PASSWORD_EMAIL,
  PASSWORD_SECRET,
  PASSWORD_SESSION_ID,
  testHooks,
  treeSnapshot,
  waitFor,
} from '../test/support/contractFixture.js';
import { removeDir } from '../test/support/fixtures.js';
import { openIpcDoor } from '../test/support/ipcDoor.js';
import { AppService } from './services/appService.js';
import { writeDemoFolder } from './services/demo/demoFolder.js';
import { dispatch } from './services/dispatch.js';
import { startWebServer } from './web/server.js';

type Call = (method: string, params?: unknown) => Promise<Envelope<unknown>>;

interface Door {
  folder: DoorFolder;
  call: Call;
  /** Resolves once events flow to `listener`; to the unsubscribe function. */
  subscribe(listener: (event: AppEvent) => void): Promise<() => void>;
  /** Failures the door or dispatch logged (unexpected errors, dropped messages). */
  logged: unknown[];
  close(): Promise<void>;
}

function newService(folder: DoorFolder): AppService {
  return new AppService({
    dataDir: folder.dataDir,
    hooks: testHooks('browser', async () => {
      await writeDemoFolder(folder.demoRoot, { apps: 1, sessions: 3, seed: 1 });
      return folder.demoRoot;
    }),
  });
}

async function inProcessDoor(): Promise<Door> {
  const folder = await makeDoorFolder();
  const service = newService(folder);
  const logged: unknown[] = [];
  return {
    folder,
    call: (method, params) =>
      dispatch(service, method, params, (message, error) => logged.push({ message, error })),
    subscribe: async (listener) => service.subscribe(listener),
    logged,
    close: () => service.close(),
  };
}

async function httpDoor(): Promise<Door> {
  const folder = await makeDoorFolder();
  const service = newService(folder);
  const renderer = await makeRendererFixture();
  const token = randomBytes(24).toString('base64url');
  const logged: unknown[] = [];
  const server = await startWebServer({
    service,
    rendererDir: renderer.rendererDir,
    host: '127.0.0.1',
    port: 0,
    token,
    log: (message, error) => logged.push({ message, error }),
  });
  const base = `http://127.0.0.1:${server.port}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const streams = new Set<() => void>();
  return {
    folder,
    call: async (method, params) => {
      const response = await fetch(`${base}/api/${method}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(params ?? {}),
      });
      const envelope = (await response.json()) as Envelope<unknown>;
      // The HTTP status says the same as the envelope.
      const expected = envelope.ok || envelope.error.code !== 'bad-request' ? [200] : [400, 413];
      if (!expected.includes(response.status)) {
        logged.push({ message: `HTTP ${response.status} for ${JSON.stringify(envelope).slice(0, 200)}` });
      }
      return envelope;
    },
    subscribe: async (listener) => {
      // Events arrive over Server-Sent Events.
      const close = await openEventStream(
        `${base}/api/events`,
        { authorization: `Bearer ${token}` },
        listener,
      );
      streams.add(close);
      return close;
    },
    logged,
    close: async () => {
      for (const close of streams) close();
      await server.close();
      await service.close();
      await removeDir(renderer.base);
    },
  };
}

async function electronDoor(): Promise<Door> {
  const folder = await makeDoorFolder();
  const service = newService(folder);
  const door = await openIpcDoor(service).catch(async (error: unknown) => {
    await service.close();
    await removeDir(folder.base);
    await removeDir(folder.dataDir);
    throw error;
  });
  return {
    folder,
    call: (method, params) => door.call(method, params),
    subscribe: async (listener) => door.subscribe(listener),
    logged: door.logged,
    close: async () => {
      door.close();
      await service.close();
    },
  };
}

const DOORS: [string, () => Promise<Door>][] = [
  ['in-process dispatch', inProcessDoor],
  ['the browser-mode server over HTTP', httpDoor],
  ['the Electron IPC adapter', electronDoor],
];

/** What each door answered, normalised, step by step. */
const transcripts = new Map<string, [string, unknown][]>();

const sessionQuery = (filter: Record<string, unknown>, offset = 0, limit = MAX_ROWS_PER_QUERY) => ({
  filter,
  offset,
  limit,
});
const byApp = { key: 'app', direction: 'asc' } as const;

describe.each(DOORS)('the contract through %s', (name, openDoor) => {
  let door: Door;
  let root: string;
  let folderOf: DoorFolder;
  const events: AppEvent[] = [];
  const transcript: [string, unknown][] = [];
  transcripts.set(name, transcript);

  const record = (step: string, value: unknown) =>
    transcript.push([
      step,
      normalize(value, { '<root>': root, '<base>': folderOf.base, '<data>': folderOf.dataDir }),
    ]);

  /** The result of a request that must succeed. */
  async function ok<T>(method: string, params?: unknown): Promise<T> {
    const envelope = await door.call(method, params);
    if (!envelope.ok) throw new Error(`${method} failed: ${envelope.error.code}: ${envelope.error.message}`);
    return envelope.result as T;
  }

  /** The error code of a request that must fail (its message must say something). */
  async function failure(method: string, params?: unknown): Promise<string> {
    const envelope = await door.call(method, params);
    if (envelope.ok) throw new Error(`${method} ${JSON.stringify(params).slice(0, 100)} succeeded`);
    expect(envelope.error.message.length).toBeGreaterThan(0);
    return envelope.error.code;
  }

  /** The error code of a request, or 'ok' when it succeeded. */
  async function codeOf(method: string, params?: unknown): Promise<string> {
    const envelope = await door.call(method, params);
    return envelope.ok ? 'ok' : envelope.error.code;
  }

  /** Waits for a `deltas` event, after event number `from`, with a delta matching `match`. */
  const delta = (from: number, what: string, match: (d: WorkspaceDelta) => boolean) =>
    waitFor(
      () => events.slice(from).some((event) => event.type === 'deltas' && event.deltas.some((d) => match(d))),
      what,
    );

  const fileOf = (ref: string) => path.join(root, ...ref.split('/'));
  const bytesOf = (ref: string) => fs.readFile(fileOf(ref));

  let apps: AppSummary[];
  let everything: SessionPage;
  const originalBytes = new Map<string, Buffer>();

  beforeAll(async () => {
    door = await openDoor();
    folderOf = door.folder;
    root = door.folder.root;
    await door.subscribe((event) => events.push(event));
  });

  afterAll(async () => {
    await door?.close();
    if (folderOf) {
      await removeDir(folderOf.base);
      await removeDir(folderOf.dataDir);
    }
  });

  it('answers root-missing before a folder is open', async () => {
    const state = await ok<AppState>('getState');
    expect(state.root).toBeNull();
    expect(await failure('listApps')).toBe('root-missing');
    expect(await failure('querySessions', sessionQuery({}))).toBe('root-missing');
    record('before open', { state, listApps: await failure('listApps') });
  });

  it('openRoot opens the folder; getState then shows it, watched', async () => {
    const opened = await ok<AppState>('openRoot', { root });
    expect(opened).toMatchObject({ root, demo: false, revealKind: 'path', platform: 'browser' });
    const state = await waitFor(async () => {
      const s = await ok<AppState>('getState');
      return s.watcher.state === 'watching' && s;
    }, 'the watcher to run');
    expect(state).toMatchObject({ root, scan: null });
    expect(events.some((e) => e.type === 'state' && e.state.root === root)).toBe(true);
    record('open', { opened: { ...opened, watcher: undefined }, state });
    expect(await ok<string[]>('recentRoots')).toEqual([root]);
  });

  it('listApps gives each app with its counts', async () => {
    apps = await ok<AppSummary[]>('listApps');
    expect(apps.map((a) => a.folder)).toHaveLength(3);
    everything = await ok<SessionPage>('querySessions', sessionQuery({ sort: byApp }));
    // 60 demo sessions + the 2 extra ones + 3 broken files that are still sessions (location, schema, token).
    expect(everything.total).toBe(65);
    expect(apps.reduce((n, a) => n + a.counts.sessions, 0)).toBe(everything.total);
    expect(apps.reduce((n, a) => n + a.counts.pending, 0)).toBe(everything.matchingPending);
    expect(apps.reduce((n, a) => n + a.counts.problems, 0)).toBe(6);
    for (const app of apps) {
      const page = await ok<SessionPage>('querySessions', sessionQuery({ folder: app.folder }));
      expect(page.total).toBe(app.counts.sessions);
      expect(page.matchingPending).toBe(app.counts.pending);
      expect(page.rows.every((row) => row.ref.startsWith(`${app.folder}/`))).toBe(true);
    }
    record('listApps', apps);
    record('all sessions by app', everything);
  });

  it('querySessions filters by folder, status and search, sorts, and windows', async () => {
    const folder = folderOf.extrasFolder;
    const pending = await ok<SessionPage>(
      'querySessions',
      sessionQuery({ folder, status: 'pending', sort: byApp }),
    );
    expect(pending.rows.length).toBeGreaterThan(0);
    expect(pending.rows.every((r) => r.status === 'pending' && r.ref.startsWith(`${folder}/`))).toBe(true);
    expect(pending.matching).toBe(pending.rows.length);
    expect(pending.matchingPending).toBe(pending.matching);

    // Search: e-mail, case-insensitively; session id; IP.
    const byEmail = await ok<SessionPage>('querySessions', sessionQuery({ search: 'SECRET.KEEPER@' }));
    expect(byEmail.rows.map((r) => r.id)).toEqual([PASSWORD_SESSION_ID]);
    expect(byEmail).toMatchObject({ total: 65, matching: 1, matchingPending: 1 });
    const byId = await ok<SessionPage>(
      'querySessions',
      sessionQuery({ search: FORMULA_SESSION_ID.slice(0, 12) }),
    );
    expect(byId.rows.map((r) => r.email)).toEqual([FORMULA_EMAIL]);
    const ip = everything.rows[0]?.session.ip as string;
    const byIp = await ok<SessionPage>('querySessions', sessionQuery({ search: ip }));
    expect(byIp.rows.length).toBeGreaterThan(0);
    expect(byIp.rows.every((r) => r.session.ip?.includes(ip))).toBe(true);
    const none = await ok<SessionPage>('querySessions', sessionQuery({ search: 'no-such-device-anywhere' }));
    expect(none).toMatchObject({ matching: 0, matchingPending: 0, rows: [] });

    // Sort by e-mail both ways: code-point order of the lower-cased text, ties by ref.
    const asc = await ok<SessionPage>(
      'querySessions',
      sessionQuery({ sort: { key: 'email', direction: 'asc' } }),
    );
    const emails = asc.rows.map((r) => (r.email ?? '').toLowerCase());
    expect(emails).toEqual([...emails].sort());
    const desc = await ok<SessionPage>(
      'querySessions',
      sessionQuery({ sort: { key: 'email', direction: 'desc' } }),
    );
    expect(desc.rows.map((r) => (r.email ?? '').toLowerCase())).toEqual([...emails].reverse());

    // A window of rows is a slice of the whole list; the counts are the whole list's.
    const window = await ok<SessionPage>('querySessions', sessionQuery({ sort: byApp }, 10, 5));
    expect(window).toMatchObject({ total: 65, matching: 65, offset: 10 });
    expect(window.rows.map((r) => r.ref)).toEqual(everything.rows.slice(10, 15).map((r) => r.ref));
    const past = await ok<SessionPage>('querySessions', sessionQuery({ sort: byApp }, 500, 5));
    expect(past).toMatchObject({ matching: 65, rows: [] });

    // The default order: pending first.
    const byDefault = await ok<SessionPage>('querySessions', sessionQuery({}));
    const firstAccepted = byDefault.rows.findIndex((r) => r.status !== 'pending');
    expect(byDefault.rows.slice(firstAccepted).some((r) => r.status === 'pending')).toBe(false);

    record('query', { pending, byEmail, byId, byIp, none, asc, desc, window, past });
    record('default order, as a set', byDefault.rows.map((r) => r.ref).sort());
  });

  it('getSession gives the summary, the path and the JSON with every password masked', async () => {
    const ref = `${folderOf.extrasFolder}/${PASSWORD_SESSION_ID}`;
    const details = await ok<SessionDetails>('getSession', { ref });
    expect(details.summary).toMatchObject({
      ref,
      id: PASSWORD_SESSION_ID,
      email: PASSWORD_EMAIL,
      status: 'pending',
    });
    expect(details.path).toBe(fileOf(ref));
    expect(details.json).not.toContain(PASSWORD_SECRET);
    expect(details.json).not.toContain(NESTED_PASSWORD_SECRET);
    const json = JSON.parse(details.json);
    expect(json.password).toBe('••••••');
    expect(json.userInfo).toEqual({ name: 'Keeper', Password: '••••••' });
    expect(json.email).toBe(PASSWORD_EMAIL);
    // The file itself is untouched.
    expect((await bytesOf(ref)).toString()).toContain(PASSWORD_SECRET);
    record('getSession', details);
  });

  it('listProblems lists one file of each of the 6 problem kinds', async () => {
    const problems = await ok<FileProblem[]>('listProblems');
    expect(problems.map((p) => p.code).sort()).toEqual([
      'location',
      'malformed',
      'schema',
      'symlink',
      'token',
      'too-large',
    ]);
    const mobi = Object.fromEntries(problems.map((p) => [p.code, p.mobi]));
    expect(mobi).toEqual({
      location: 1,
      malformed: 2,
      schema: 3,
      token: 4,
      'too-large': null,
      symlink: null,
    });
    for (const problem of problems) expect(problem.message.length).toBeGreaterThan(0);
    record('listProblems', problems);
  });

  let target: string;

  it('setStatus changes only the status value in the file, and the watcher confirms it', async () => {
    const candidates = everything.rows.filter(
      (r) =>
        r.ref.startsWith(`${folderOf.extrasFolder}/`) &&
        r.status === 'pending' &&
        r.problems.length === 0 &&
        r.id !== PASSWORD_SESSION_ID,
    );
    target = (candidates[0] as { ref: string }).ref;
    const before = await bytesOf(target);
    originalBytes.set(target, before);
    const mark = events.length;

    const report = await ok<ChangeReport>('setStatus', { refs: [target], status: 'accepted' });
    expect(report.batch).toEqual(expect.any(String));
    expect(report.results).toEqual([
      { ref: target, outcome: 'changed', statusBefore: 'pending', statusAfter: 'accepted', error: null },
    ]);

    const after = await bytesOf(target);
    // Byte for byte: the only difference is the status value.
    let prefix = 0;
    while (before[prefix] === after[prefix]) prefix++;
    let suffix = 0;
    while (suffix < before.length - prefix && before.at(-1 - suffix) === after.at(-1 - suffix)) suffix++;
    expect(before.subarray(prefix, before.length - suffix).toString()).toBe('pending');
    expect(after.subarray(prefix, after.length - suffix).toString()).toBe('accepted');
    expect(JSON.parse(after.toString().replace(/^\uFEFF/, ''))).toEqual({
      ...JSON.parse(before.toString().replace(/^\uFEFF/, '')),
      status: 'accepted',
    });

    await delta(
      mark,
      `session-changed for ${target}`,
      (d) => d.type === 'session-changed' && d.ref === target && d.session.status === 'accepted',
    );
    const details = await ok<SessionDetails>('getSession', { ref: target });
    expect(details.summary.status).toBe('accepted');

    // The same again: nothing written, nothing recorded.
    const again = await ok<ChangeReport>('setStatus', { refs: [target], status: 'accepted' });
    expect(again).toEqual({
      batch: null,
      results: [
        { ref: target, outcome: 'unchanged', statusBefore: 'accepted', statusAfter: 'accepted', error: null },
      ],
    });
    expect(await bytesOf(target)).toEqual(after);
    record('setStatus', { report, again });
  });

  let matched: string[];

  it('setStatusMatching changes every session matching the filter', async () => {
    const android = apps.find((a) => a.platform === 'android') as AppSummary;
    const filter = { folder: android.folder, status: 'pending' };
    const page = await ok<SessionPage>('querySessions', sessionQuery({ ...filter, sort: byApp }));
    matched = page.rows.map((r) => r.ref);
    expect(matched.length).toBe(android.counts.pending);
    expect(matched.length).toBeGreaterThan(0);
    for (const ref of matched) originalBytes.set(ref, await bytesOf(ref));
    const mark = events.length;

    const report = await ok<ChangeReport>('setStatusMatching', { filter, status: 'accepted' });
    expect(report.batch).toEqual(expect.any(String));
    expect(report.results.map((r) => r.ref).sort()).toEqual([...matched].sort());
    expect(report.results.every((r) => r.outcome === 'changed' && r.statusAfter === 'accepted')).toBe(true);
    for (const ref of matched) {
      await delta(mark, `session-changed for ${ref}`, (d) => d.type === 'session-changed' && d.ref === ref);
    }
    const left = await ok<SessionPage>('querySessions', sessionQuery(filter));
    expect(left.matching).toBe(0);

    const nothing = await ok<ChangeReport>('setStatusMatching', { filter, status: 'accepted' });
    expect(nothing).toEqual({ batch: null, results: [] });
    record('setStatusMatching', { report: { ...report, results: sortByRef(report.results) }, nothing });
  });

  let deleted: string;

  it('deleteSessions moves the file away; undo puts the same bytes back', async () => {
    deleted = (
      everything.rows.find(
        (r) =>
          r.ref.startsWith(`${folderOf.extrasFolder}/`) &&
          r.status === 'accepted' &&
          r.problems.length === 0 &&
          r.id !== FORMULA_SESSION_ID,
      ) as { ref: string }
    ).ref;
    const before = await bytesOf(deleted);
    const mode = (await fs.stat(fileOf(deleted))).mode;
    let mark = events.length;

    const report = await ok<ChangeReport>('deleteSessions', { refs: [deleted] });
    expect(report.results).toEqual([
      { ref: deleted, outcome: 'deleted', statusBefore: 'accepted', statusAfter: null, error: null },
    ]);
    await expect(fs.access(fileOf(deleted))).rejects.toThrow(/ENOENT/);
    await delta(
      mark,
      `session-removed for ${deleted}`,
      (d) => d.type === 'session-removed' && d.ref === deleted,
    );
    expect(await failure('getSession', { ref: deleted })).toBe('unknown-ref');

    mark = events.length;
    const undone = await ok<ChangeReport>('undo');
    expect(undone.results).toEqual([
      { ref: deleted, outcome: 'restored', statusBefore: null, statusAfter: 'accepted', error: null },
    ]);
    expect(await bytesOf(deleted)).toEqual(before);
    expect((await fs.stat(fileOf(deleted))).mode).toBe(mode);
    await delta(mark, `session-added for ${deleted}`, (d) => d.type === 'session-added' && d.ref === deleted);
    record('delete and undo', { report, undone });
  });

  it('undo, again and again, reverses the earlier batches until nothing is left', async () => {
    let mark = events.length;
    const second = await ok<ChangeReport>('undo');
    expect(second.results.map((r) => r.ref).sort()).toEqual([...matched].sort());
    expect(second.results.every((r) => r.outcome === 'restored' && r.statusAfter === 'pending')).toBe(true);
    for (const ref of matched) {
      expect(await bytesOf(ref)).toEqual(originalBytes.get(ref));
      await delta(mark, `session-changed for ${ref}`, (d) => d.type === 'session-changed' && d.ref === ref);
    }
    mark = events.length;
    const third = await ok<ChangeReport>('undo');
    expect(third.results).toEqual([
      { ref: target, outcome: 'restored', statusBefore: 'accepted', statusAfter: 'pending', error: null },
    ]);
    expect(await bytesOf(target)).toEqual(originalBytes.get(target));
    await delta(
      mark,
      `session-changed for ${target}`,
      (d) => d.type === 'session-changed' && d.ref === target,
    );
    expect(await failure('undo')).toBe('nothing-to-undo');
    record('undo all', { second: { ...second, results: sortByRef(second.results) }, third });
  });

  it('reveal names the file inside the root; the browser hooks reveal nothing', async () => {
    const reveal = await ok<RevealResult>('reveal', { ref: target });
    expect(reveal).toEqual({ path: fileOf(target), revealed: false });
    expect(path.relative(root, reveal.path).startsWith('..')).toBe(false);
    record('reveal', reveal);
  });

  it('refresh finds nothing new once the watcher has caught up; after it, the index is the disk', async () => {
    expect(await ok<{ changes: number }>('refresh')).toEqual({ changes: 0 });
    const ref = `${folderOf.extrasFolder}/${FORMULA_SESSION_ID}`;
    const bytes = await bytesOf(ref);
    // Changed behind the app's back: once refresh answers, the index holds the new e-mail, whether
    // refresh or the watcher read it first.
    await fs.writeFile(fileOf(ref), bytes.toString().replace(FORMULA_EMAIL, 'changed@example.org'));
    const refreshed = await ok<{ changes: number }>('refresh');
    expect(refreshed.changes).toBeLessThanOrEqual(1);
    expect((await ok<SessionDetails>('getSession', { ref })).summary.email).toBe('changed@example.org');
    await fs.writeFile(fileOf(ref), bytes);
    await ok('refresh');
    expect((await ok<SessionDetails>('getSession', { ref })).summary.email).toBe(FORMULA_EMAIL);
    record('refresh', 'index follows the disk');
  });

  it('exportCsv writes a header and one row per matching session, formulas neutralised', async () => {
    const all = await ok<{ fileName: string; csv: string }>('exportCsv', { filter: { sort: byApp } });
    expect(all.fileName).toBe('mobile-sessions-all-apps.csv');
    const lines = all.csv.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      'App folder,Device,Status,OS,OS version,E-mail,App version,Language,First seen,Last change,IP,Simulator,Session ID,Problems',
    );
    expect(lines.length - 2).toBe(65);
    const formulaLine = lines.find((line) => line.includes(FORMULA_SESSION_ID)) as string;
    expect(formulaLine).toContain(`,'${FORMULA_EMAIL},`);
    expect(lines.some((line) => line.split(',').some((cell) => /^[=+\-@]/.test(cell)))).toBe(false);

    const pendingOfOne = await ok<{ fileName: string; csv: string }>('exportCsv', {
      filter: { folder: folderOf.extrasFolder, status: 'pending', sort: byApp },
    });
    expect(pendingOfOne.fileName).toBe(`mobile-sessions-${folderOf.extrasFolder}.csv`);
    const page = await ok<SessionPage>(
      'querySessions',
      sessionQuery({ folder: folderOf.extrasFolder, status: 'pending' }),
    );
    expect(pendingOfOne.csv.split('\r\n').length - 2).toBe(page.matching);
    record('exportCsv', { all, pendingOfOne });
  });

  it('refuses unknown requests and malformed or oversized parameters as bad-request, touching nothing', async () => {
    const before = await treeSnapshot(folderOf.base);
    const ref = `${folderOf.extrasFolder}/${FORMULA_SESSION_ID}`;
    const cases: [string, string, unknown][] = [
      ['unknown method', 'nope', {}],
      ['prototype name', '__proto__', {}],
      ['inherited name', 'toString', {}],
      ['extra key', 'getSession', { ref, extra: 1 }],
      ['extra key on an empty request', 'listApps', { folder: 'x' }],
      ['wrong type', 'getSession', { ref: 42 }],
      ['missing key', 'getSession', {}],
      ['an array for an object', 'getSession', [ref]],
      ['offset as text', 'querySessions', { filter: {}, offset: '0', limit: 10 }],
      ['unknown filter key', 'querySessions', { filter: { colour: 'red' }, offset: 0, limit: 10 }],
      ['too many rows', 'querySessions', { filter: {}, offset: 0, limit: MAX_ROWS_PER_QUERY + 1 }],
      [
        'unknown sort key',
        'querySessions',
        { filter: { sort: { key: 'x', direction: 'asc' } }, offset: 0, limit: 1 },
      ],
      ['refs not an array', 'setStatus', { refs: ref, status: 'accepted' }],
      ['no refs', 'setStatus', { refs: [], status: 'accepted' }],
      ['unknown status', 'setStatus', { refs: [ref], status: 'approved' }],
      ['permanent as text', 'deleteSessions', { refs: [ref], permanent: 'yes' }],
      ['refs not an array (delete)', 'deleteSessions', { refs: { 0: ref } }],
      ['empty root', 'openRoot', { root: '' }],
      ['oversized', 'getSession', { ref: 'a'.repeat(MAX_REQUEST_BYTES + 16) }],
      [
        'oversized refs',
        'setStatus',
        { refs: Array.from({ length: 9000 }, () => ref.repeat(3)), status: 'pending' },
      ],
    ];
    const codes: Record<string, string> = {};
    for (const [label, method, params] of cases) codes[label] = await failure(method, params);
    expect(codes).toEqual(Object.fromEntries(cases.map(([label]) => [label, 'bad-request'])));
    expect(await treeSnapshot(folderOf.base)).toEqual(before);
    record('bad requests', codes);
  });

  it('refuses refs with .., absolute paths, links and unknown ids, touching nothing', async () => {
    const folder = folderOf.extrasFolder;
    const problems = await ok<FileProblem[]>('listProblems');
    const link = (problems.find((p) => p.code === 'symlink') as FileProblem).path;
    const unknownId = 'dead'.padEnd(40, '0');
    const expected: [string, string][] = [
      [`../outside/${OUTSIDE_FILE_ID}`, 'bad-ref'],
      [`${folder}/../../outside/${OUTSIDE_FILE_ID}`, 'bad-ref'],
      ['..', 'bad-ref'],
      [`../${OUTSIDE_FILE_ID}`, 'bad-ref'],
      [path.join(root, folder, FORMULA_SESSION_ID), 'bad-ref'],
      [path.join(folderOf.base, 'outside', OUTSIDE_FILE_ID), 'bad-ref'],
      ['/etc/passwd', 'bad-ref'],
      [`${folder}\\${FORMULA_SESSION_ID}`, 'bad-ref'],
      [`${folder}/${FORMULA_SESSION_ID}\u0000`, 'bad-ref'],
      [`${folder}/${FORMULA_SESSION_ID}.bak`, 'bad-ref'],
      [`.hidden/${FORMULA_SESSION_ID}`, 'bad-ref'],
      [`outside/${OUTSIDE_FILE_ID}`, 'unknown-ref'],
      [`${folder}/${unknownId}`, 'unknown-ref'],
      [`No.Such.App/${FORMULA_SESSION_ID}`, 'unknown-ref'],
      [unknownId, 'unknown-ref'],
      [link, 'not-a-session'],
    ];
    const refs = expected.map(([ref]) => ref);
    const before = await treeSnapshot(folderOf.base);

    const set = await ok<ChangeReport>('setStatus', { refs, status: 'accepted' });
    const gone = await ok<ChangeReport>('deleteSessions', { refs });
    const goneForGood = await ok<ChangeReport>('deleteSessions', { refs, permanent: true });
    for (const report of [set, gone, goneForGood]) {
      expect(report.batch).toBeNull();
      expect(report.results.map((r) => [r.ref, r.outcome, r.error?.code])).toEqual(
        expected.map(([ref, code]) => [ref, 'failed', code]),
      );
    }
    // One-ref requests answer with the error itself. A link is no session in the index.
    const single = (code: string) => (code === 'not-a-session' ? 'unknown-ref' : code);
    const getCodes: [string, string][] = [];
    const revealCodes: [string, string][] = [];
    for (const [ref] of expected) {
      if (ref.includes('/') || ref.includes('\\')) {
        getCodes.push([ref, await codeOf('getSession', { ref })]);
        revealCodes.push([ref, await codeOf('reveal', { ref })]);
      }
    }
    const named = expected.filter(([ref]) => ref.includes('/') || ref.includes('\\'));
    expect(getCodes).toEqual(named.map(([ref, code]) => [ref, single(code)]));
    // reveal resolves a reference like every other request: inside the root, and known to the index;
    // a broken file (the link included) is known, since the Problems view reveals it: shown, not followed.
    expect
      .soft(revealCodes, 'reveal must refuse what getSession refuses, broken files aside')
      .toEqual(named.map(([ref, code]) => [ref, code === 'not-a-session' ? 'ok' : single(code)]));

    expect(await treeSnapshot(folderOf.base)).toEqual(before);
    expect(await failure('undo')).toBe('nothing-to-undo');
    record('bad refs', { set, gone, goneForGood, getCodes, revealCodes });
  });

  it('logged no unexpected failure', () => {
    expect(door.logged).toEqual([]);
  });
});

const sortByRef = <T extends { ref: string }>(rows: T[]) =>
  [...rows].sort((a, b) => (a.ref < b.ref ? -1 : 1));

describe('the three doors', () => {
  it('give the same results, step by step', () => {
    const [first, ...others] = [...transcripts.entries()];
    expect(transcripts.size).toBe(3);
    if (!first) return;
    expect(first[1].length).toBeGreaterThan(10);
    for (const [name, transcript] of others) {
      expect(
        transcript.map(([step]) => step),
        name,
      ).toEqual(first[1].map(([step]) => step));
      for (const [index, [step, value]] of transcript.entries()) {
        expect(value, `${name}: ${step}`).toEqual(first[1][index]?.[1]);
      }
    }
  });
});
