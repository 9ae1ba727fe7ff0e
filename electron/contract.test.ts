/**
 * One contract suite, run against each front door so they cannot drift apart (architecture,
 * section 5): in-process `dispatch`, the browser-mode server over real HTTP on 127.0.0.1, the
 * Electron IPC adapter with `electron` replaced by its double, and the command line's
 * `mobile-sessions call <request> <params> --json`, run through the CLI's own program in this
 * process (and once as the built binary, at the end). Each door gets its own AppService over its
 * own real temporary MobileApps folder (the same demo, seed 7). Every door's results are recorded,
 * normalised (paths, times, ids) and compared at the end: the doors must agree.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
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
  type AuditEntry,
  type HistoryCursor,
  type HistoryPage,
  MAX_HISTORY_PAGE,
} from '../shared/history.js';
import { runCliCaptured } from '../test/support/cliRun.js';
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
import { resetElectronDouble } from '../test/support/electronDouble.js';
import { removeDir } from '../test/support/fixtures.js';
import { openIpcDoor } from '../test/support/ipcDoor.js';
import { runCli } from './cli/program.js';
import { AppService } from './services/appService.js';
import { writeDemoFolder } from './services/demo/demoFolder.js';
import { dispatch } from './services/dispatch.js';
import { startWebServer } from './web/server.js';

type Call = (method: string, params?: unknown) => Promise<Envelope<unknown>>;

interface Door {
  folder: DoorFolder;
  /** What AppState.platform says at this door. */
  platform: AppState['platform'];
  /**
   * The command line: every call is a command of its own that opens the folder anew (from the
   * index cache the one before left), and events come from `watch`, deltas only (no state events).
   */
  oneShot: boolean;
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
    platform: 'browser',
    oneShot: false,
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
    platform: 'browser',
    oneShot: false,
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
  resetElectronDouble(); // an Electron that is ready, as main's is before it opens the window
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
    platform: 'browser',
    oneShot: false,
    call: (method, params) => door.call(method, params),
    subscribe: async (listener) => door.subscribe(listener),
    logged: door.logged,
    close: async () => {
      door.close();
      await service.close();
    },
  };
}

/** The command line's platform: the OS it runs on. */
const CLI_PLATFORM: AppState['platform'] =
  process.platform === 'darwin' || process.platform === 'win32' ? process.platform : 'linux';

/** Runs `mobile-sessions <args>` through the CLI's own program in this process, output captured. */
const commandLine = (args: string[], env: NodeJS.ProcessEnv) => runCliCaptured(args, { env });

/** The arguments of `call`: the request, its parameters as JSON, the folder the door has open. */
const callArgs = (method: unknown, params: unknown, root: string | null) => [
  'call',
  String(method),
  JSON.stringify(params ?? {}),
  '--json',
  ...(root === null ? [] : ['--root', root]),
];

async function cliDoor(): Promise<Door> {
  const folder = await makeDoorFolder();
  const env = { ...process.env, MOBILE_SESSIONS_DATA_DIR: folder.dataDir };
  const logged: unknown[] = [];
  // A command line names its folder in every command: the door remembers the one it opened.
  let open: string | null = null;
  const watches = new Set<() => Promise<void>>();
  return {
    folder,
    platform: CLI_PLATFORM,
    oneShot: true,
    call: async (method, params) => {
      const run = await commandLine(callArgs(method, params, open), env);
      if (run.stderr) logged.push({ message: run.stderr });
      const envelope = JSON.parse(run.stdout) as Envelope<unknown>;
      // The exit code says the same as the envelope.
      if (run.code !== (envelope.ok ? 0 : 1))
        logged.push({ message: `exit ${run.code} for ${String(method)}` });
      if (envelope.ok && method === 'openRoot') open = (envelope.result as AppState).root;
      if (envelope.ok && method === 'closeRoot') open = null;
      return envelope;
    },
    subscribe: async (listener) => {
      // `mobile-sessions watch <root> --json`: one delta per line, until interrupted.
      let interrupt = () => {};
      let watching = () => {};
      const started = new Promise<void>((resolve) => {
        watching = resolve;
      });
      let buffer = '';
      const exit = runCli(['watch', folder.root, '--json'], {
        stdout: (text) => {
          buffer += text;
          for (let end = buffer.indexOf('\n'); end >= 0; end = buffer.indexOf('\n')) {
            const delta = JSON.parse(buffer.slice(0, end)) as WorkspaceDelta;
            buffer = buffer.slice(end + 1);
            if (delta.type !== 'watcher-state') listener({ type: 'deltas', deltas: [delta] });
          }
        },
        stderr: (text) => logged.push({ message: `watch: ${text}` }),
        env,
        untilInterrupted: () => {
          watching(); // the folder is open and watched
          return new Promise<void>((resolve) => {
            interrupt = resolve;
          });
        },
      });
      await Promise.race([
        started,
        exit.then((code) => {
          throw new Error(`watch ended (exit ${code}) before it watched`);
        }),
      ]);
      const stop = async () => {
        watches.delete(stop);
        interrupt();
        const code = await exit;
        if (code !== 0) logged.push({ message: `watch exit ${code}` });
      };
      watches.add(stop);
      return () => void stop();
    },
    logged,
    close: async () => {
      for (const stop of [...watches]) await stop();
    },
  };
}

const DOORS: [string, () => Promise<Door>][] = [
  ['in-process dispatch', inProcessDoor],
  ['the browser-mode server over HTTP', httpDoor],
  ['the Electron IPC adapter', electronDoor],
  ['the command line (call --json)', cliDoor],
];

/** A history with what differs between doors (ids, undo copies' names) named by position instead. */
function historyShape(entries: AuditEntry[]): unknown[] {
  const position = new Map(entries.map((entry, index) => [entry.id, `<entry ${index}>`]));
  return entries.map((entry) => ({
    ...entry,
    id: position.get(entry.id),
    ...(entry.action === 'undo' ? { undoes: position.get(entry.undoes) ?? '<unknown>' } : {}),
    ...(entry.action === 'delete' ? { backup: '<backup>' } : {}),
  }));
}

/** What each door answered, normalised, step by step. */
const transcripts = new Map<string, [string, unknown][]>();

const sessionQuery = (filter: Record<string, unknown>, offset = 0, limit = MAX_ROWS_PER_QUERY) => ({
  filter,
  offset,
  limit,
});
const byApp = { key: 'app', direction: 'asc' } as const;

// The command line starts a command per call (tens per test): the time allowed guards against a
// hang on a busy machine, it measures nothing.
describe.each(DOORS)('the contract through %s', { timeout: 120_000 }, (name, openDoor) => {
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
  /** A state without what legitimately differs per door (checked on its own): the platform, the cache. */
  const doorNeutral = (state: AppState) => ({ ...state, platform: '<door>', openedFrom: undefined });

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
    expect(state.platform).toBe(door.platform);
    expect(await failure('listApps')).toBe('root-missing');
    expect(await failure('querySessions', sessionQuery({}))).toBe('root-missing');
    record('before open', { state: doorNeutral(state), listApps: await failure('listApps') });
  });

  it('openRoot opens the folder; getState then shows it, watched', async () => {
    const opened = await ok<AppState>('openRoot', { root });
    expect(opened).toMatchObject({
      root,
      demo: false,
      revealKind: 'path',
      platform: door.platform,
      openedFrom: 'scan',
    });
    const state = await waitFor(async () => {
      const s = await ok<AppState>('getState');
      return s.watcher.state === 'watching' && s;
    }, 'the watcher to run');
    expect(state).toMatchObject({ root, scan: null });
    // A command line opens the folder anew for each command, from the cache the one before left.
    expect(state.openedFrom).toBe(door.oneShot ? 'cache' : 'scan');
    if (!door.oneShot) expect(events.some((e) => e.type === 'state' && e.state.root === root)).toBe(true);
    record('open', { opened: { ...doorNeutral(opened), watcher: undefined }, state: doorNeutral(state) });
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
        {
          ref: target,
          outcome: 'unchanged',
          statusBefore: 'accepted',
          statusAfter: 'accepted',
          error: null,
        },
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

  it('deleteMatching moves every session matching a filter to the trash in one batch; undo restores them', async () => {
    const android = apps.find((a) => a.platform === 'android') as AppSummary;
    const filter = { folder: android.folder, status: 'pending' };
    const page = await ok<SessionPage>('querySessions', sessionQuery({ ...filter, sort: byApp }));
    const refs = page.rows.map((r) => r.ref);
    expect(refs.length).toBeGreaterThan(1);
    const before = new Map<string, { bytes: Buffer; mode: number }>();
    for (const ref of refs) {
      before.set(ref, { bytes: await bytesOf(ref), mode: (await fs.stat(fileOf(ref))).mode });
    }
    let mark = events.length;

    const report = await ok<ChangeReport>('deleteMatching', { filter });
    expect(report.batch).toEqual(expect.any(String));
    expect(sortByRef(report.results)).toEqual(
      refs.map((ref) => ({
        ref,
        outcome: 'deleted',
        statusBefore: 'pending',
        statusAfter: null,
        error: null,
      })),
    );
    for (const ref of refs) {
      await expect(fs.access(fileOf(ref))).rejects.toThrow(/ENOENT/);
      await delta(mark, `session-removed for ${ref}`, (d) => d.type === 'session-removed' && d.ref === ref);
    }
    expect((await ok<SessionPage>('querySessions', sessionQuery(filter))).matching).toBe(0);
    // Nothing matches now: nothing is written, nothing recorded.
    const nothing = await ok<ChangeReport>('deleteMatching', { filter });
    expect(nothing).toEqual({ batch: null, results: [] });

    // One batch, so one undo brings every one of them back, byte for byte, with its mode.
    mark = events.length;
    const undone = await ok<ChangeReport>('undo');
    expect(sortByRef(undone.results)).toEqual(
      refs.map((ref) => ({
        ref,
        outcome: 'restored',
        statusBefore: null,
        statusAfter: 'pending',
        error: null,
      })),
    );
    for (const ref of refs) {
      expect(await bytesOf(ref)).toEqual(before.get(ref)?.bytes);
      expect((await fs.stat(fileOf(ref))).mode).toBe(before.get(ref)?.mode);
      await delta(mark, `session-added for ${ref}`, (d) => d.type === 'session-added' && d.ref === ref);
    }
    expect((await ok<SessionPage>('querySessions', sessionQuery(filter))).matching).toBe(refs.length);
    expect(await failure('undo')).toBe('nothing-to-undo');
    record('deleteMatching and undo', {
      report: { ...report, results: sortByRef(report.results) },
      nothing,
      undone: { ...undone, results: sortByRef(undone.results) },
    });
  });

  it('readHistory gives every change and undo, oldest first, a page at a time', async () => {
    const whole = await ok<HistoryPage>('readHistory', {});
    expect(whole).toMatchObject({ damaged: 0, more: false });
    const batches = [...new Set(whole.entries.map((e) => e.batch))];
    // setStatus, setStatusMatching, delete, its undo, the two other undos, deleteMatching, its undo.
    expect(batches).toHaveLength(8);
    const actions = whole.entries.map((e) => `${e.action} ${e.ref}`);
    expect(actions[0]).toBe(`set-status ${target}`);
    expect(actions.filter((a) => a === `delete ${deleted}`)).toHaveLength(1);
    expect(whole.entries.filter((e) => e.action === 'undo')).toHaveLength(whole.entries.length / 2);
    expect(whole.entries.every((e) => e.root === root)).toBe(true);

    // Pages of 3 are slices of the whole; the cursor of the last page waits for what comes next.
    const paged: AuditEntry[] = [];
    let from: HistoryCursor | null = null;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(whole.entries.length);
      const page: HistoryPage = await ok<HistoryPage>('readHistory', { from, limit: 3 });
      expect(page.entries.length).toBeLessThanOrEqual(3);
      paged.push(...page.entries);
      if (!page.more) break;
      from = page.next;
    }
    expect(paged).toEqual(whole.entries);
    expect(await ok<HistoryPage>('readHistory', { from: whole.next })).toMatchObject({
      entries: [],
      more: false,
    });
    record('readHistory', { ...whole, entries: historyShape(whole.entries), next: undefined });
  });

  it('reveal names the file inside the root; the browser hooks reveal nothing', async () => {
    const reveal = await ok<RevealResult>('reveal', { ref: target });
    expect(reveal).toEqual({ path: fileOf(target), revealed: false });
    expect(path.relative(root, reveal.path).startsWith('..')).toBe(false);
    record('reveal', reveal);
  });

  it('refresh finds nothing new once the watcher has caught up; after it, the index is the disk', async () => {
    expect(await ok<{ changes: number }>('refresh')).toEqual({ changes: 0, deltas: [] });
    const ref = `${folderOf.extrasFolder}/${FORMULA_SESSION_ID}`;
    const bytes = await bytesOf(ref);
    // Changed behind the app's back: once refresh answers, the index holds the new e-mail, whether
    // refresh or the watcher read it first.
    await fs.writeFile(fileOf(ref), bytes.toString().replace(FORMULA_EMAIL, 'changed@example.org'));
    const refreshed = await ok<{ changes: number; deltas: WorkspaceDelta[] }>('refresh');
    expect(refreshed.changes).toBeLessThanOrEqual(1);
    // The deltas themselves: what the refresh found, if the watcher had not found it first.
    expect(refreshed.deltas).toHaveLength(refreshed.changes);
    for (const found of refreshed.deltas) {
      expect(found).toMatchObject({
        type: 'session-changed',
        ref,
        session: { email: 'changed@example.org' },
      });
    }
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
      ['deleteMatching without a filter', 'deleteMatching', {}],
      ['deleteMatching, unknown filter key', 'deleteMatching', { filter: { colour: 'red' } }],
      ['deleteMatching, permanent as text', 'deleteMatching', { filter: {}, permanent: 'yes' }],
      ['history page too large', 'readHistory', { limit: MAX_HISTORY_PAGE + 1 }],
      ['history cursor not a cursor', 'readHistory', { from: 'the start' }],
      [
        'history cursor before the start',
        'readHistory',
        { from: { after: { segment: 1, offset: -1 }, waiting: [] } },
      ],
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

describe('the four doors', () => {
  it('give the same results, step by step', () => {
    const [first, ...others] = [...transcripts.entries()];
    expect(transcripts.size).toBe(4);
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

describe('refresh', () => {
  it('answers with the deltas it found, not only their count', async () => {
    const folder = await makeDoorFolder();
    // Polling whose turn never comes (about 25 days): only the refresh can find what changed.
    const service = new AppService({
      dataDir: folder.dataDir,
      hooks: testHooks('browser', async () => folder.demoRoot),
      workspace: { pollIntervalMs: 2 ** 31 - 1 },
    });
    const result = async <T>(method: string, params: unknown = {}) => {
      const envelope = await dispatch(service, method, params);
      if (!envelope.ok) throw new Error(`${method}: ${envelope.error.message}`);
      return envelope.result as T;
    };
    try {
      await result('openRoot', { root: folder.root, polling: true, settled: true });
      const changed = `${folder.extrasFolder}/${FORMULA_SESSION_ID}`;
      const removed = `${folder.extrasFolder}/${PASSWORD_SESSION_ID}`;
      const file = (ref: string) => path.join(folder.root, ...ref.split('/'));
      const bytes = await fs.readFile(file(changed));
      await fs.writeFile(file(changed), bytes.toString().replace(FORMULA_EMAIL, 'changed@example.org'));
      await fs.unlink(file(removed));

      const refreshed = await result<{ changes: number; deltas: WorkspaceDelta[] }>('refresh');
      expect(refreshed.changes).toBe(refreshed.deltas.length);
      expect(refreshed.deltas).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            type: 'session-changed',
            ref: changed,
            session: expect.objectContaining({ email: 'changed@example.org' }),
          }),
          { type: 'session-removed', ref: removed, folder: folder.extrasFolder },
          expect.objectContaining({ type: 'app-changed', folder: folder.extrasFolder }),
        ]),
      );
      expect(await result('refresh')).toEqual({ changes: 0, deltas: [] });
    } finally {
      await service.close();
      await removeDir(folder.base);
      await removeDir(folder.dataDir);
    }
  });
});

describe('the built command line', () => {
  const CLI = path.resolve('out/node/cli.js');
  const run = promisify(execFile);

  it('answers as the command line run in this process: the same bytes out, the same exit codes', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
    const folder = await makeDoorFolder();
    try {
      const env = { ...process.env, MOBILE_SESSIONS_DATA_DIR: folder.dataDir };
      // A few processes only (each starts Node): no folder, every session, a refused request.
      const requests: [string, unknown, string | null][] = [
        ['getState', {}, null],
        ['querySessions', sessionQuery({ sort: byApp }), folder.root],
        ['querySessions', sessionQuery({}, 0, MAX_ROWS_PER_QUERY + 1), folder.root],
      ];
      for (const [method, params, root] of requests) {
        const args = callArgs(method, params, root);
        const here = await commandLine(args, env);
        const spawned = await run(process.execPath, [CLI, ...args], { env, maxBuffer: 64e6 }).then(
          ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
          (error: { code: number; stdout: string; stderr: string }) => error,
        );
        expect({ code: spawned.code, stdout: spawned.stdout, stderr: spawned.stderr }, method).toEqual(here);
      }
    } finally {
      await removeDir(folder.base);
      await removeDir(folder.dataDir);
    }
    // Processes start slowly on a busy machine: the time allowed is no measure of anything.
  }, 300_000);
});
