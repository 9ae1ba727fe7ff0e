/**
 * The one writer under attack by real processes on real files: a process that rewrites the same
 * session file every few milliseconds (atomically, or in place) must never lose one of its
 * versions to the app's edits; a process that keeps swapping the session file for a symbolic
 * link to a file outside the folder must never get that file written, whichever front door the
 * edits come through (SessionActions, the browser-mode HTTP server, the built command line, the
 * Electron IPC adapter with `electron` replaced by its double); and,
 * step by step, two of the app's writers on one file while another process replaces it must keep
 * that process's newest version. The attackers live in test/support/racers.mjs. Bounded in count
 * and time; no speed is asserted.
 */
import { type ChildProcess, type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeReport, ChangeResult } from '../../../shared/changes.js';
import type { Envelope } from '../../../shared/contract.js';
import type { SessionStatus } from '../../../shared/session.js';
import { makeRendererFixture, testHooks } from '../../../test/support/contractFixture.js';
import {
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  sessionJson,
  writeSession,
} from '../../../test/support/fixtures.js';
import { openIpcDoor } from '../../../test/support/ipcDoor.js';
import { startWebServer, type WebServer } from '../../web/server.js';
import { AppService } from '../appService.js';
import { SessionActions } from '../history/sessionActions.js';
import { parseSessionBytes } from './sessionFile.js';
import { WORK_FOLDER_PREFIX } from './workFolder.js';

const RACERS = path.resolve('test/support/racers.mjs');
const CLI = path.resolve('out/node/cli.js');
const run = promisify(execFile);

/** Edits made while a racer rewrites the file. */
const RACE_EDITS = 200;
/** Edits per door while the swapper swaps. */
const SWAP_EDITS = 100;
const SWAP_CLI_RUNS = 24;
const SWAP_CLI_CONCURRENCY = 3;
const SWAP_DELETE_ROUNDS = 8;

/** What a conflict message may say about the file as it is now. */
const CONFLICT_MESSAGE = /(accepted|pending) now|gone now|not a valid session now|being written/;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does).`);
});

// --- the attacking processes ------------------------------------------------------------------

interface RaceReport {
  mode: 'atomic' | 'inplace';
  iterations: number;
  writes: number;
  retries: number;
  lost: number;
  lostSamples: Array<{ read: number; lastWritten: number; status: string }>;
  unexpected: number;
  lastWritten: number | null;
  maxWriteMs: number;
  slowWrites: number;
  totalWriteMs: number;
  timedOut: boolean;
}

interface SwapReport {
  mode: 'swap';
  iterations: number;
  swaps: number;
  skipped: number;
  linkFound: number;
  firstLinkFoundMs: number | null;
  endState: 'file' | 'symlink' | 'missing' | 'other';
  restored: boolean;
  timedOut: boolean;
}

interface Attacker<R> {
  ready: Promise<void>;
  stop(): Promise<R>;
}

const children = new Set<ChildProcessWithoutNullStreams>();

function startAttacker<R>(args: string[]): Attacker<R> {
  const child = spawn(process.execPath, [RACERS, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const closed = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      children.delete(child);
      resolve(code);
    });
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk;
      if (stdout.startsWith('ready\n')) resolve();
    });
    void closed.then((code) =>
      reject(new Error(`${args[0]} ended before it was ready (${code}): ${stderr}`)),
    );
  });
  ready.catch(() => {}); // awaited by the test; never an unhandled rejection
  return {
    ready,
    stop: async () => {
      child.stdin.end('stop\n');
      const code = await closed;
      if (code !== 0) throw new Error(`${args[0]} exited with ${code}: ${stderr}`);
      const lines = stdout.trim().split('\n');
      return JSON.parse(lines[lines.length - 1] as string) as R;
    },
  };
}

// --- the folders --------------------------------------------------------------------------------

let root: string;
let dataDir: string;
let outsideDir: string;
let trashDir: string;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  root = await makeTempDir('ms-attack-root-');
  dataDir = await makeTempDir('ms-attack-data-');
  outsideDir = await makeTempDir('ms-attack-outside-');
  trashDir = await makeTempDir('ms-attack-trash-');
});

afterEach(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  while (cleanups.length > 0) await cleanups.pop()?.();
  for (const dir of [root, dataDir, outsideDir, trashDir]) await removeDir(dir);
});

let trashed = 0;
/** A trash of the test's own (the OS trash is not the subject here). */
const trash = async (file: string) => {
  trashed += 1;
  await fs.rename(file, path.join(trashDir, `${trashed}-${path.basename(file)}`));
};

const workFoldersIn = async (folder: string) =>
  (await fs.readdir(folder)).filter((name) => name.startsWith(WORK_FOLDER_PREFIX));

const statusFor = (i: number): SessionStatus => (i % 2 === 0 ? 'accepted' : 'pending');

// --- tally of results -----------------------------------------------------------------------------

class Tally {
  readonly counts = new Map<string, number>();
  /** Each error message (the session id left out), with its count. */
  readonly messages = new Map<string, number>();
  readonly odd: ChangeResult[] = [];

  add(results: ChangeResult[], isExpected: (r: ChangeResult) => boolean): void {
    for (const r of results) {
      const key = r.outcome === 'failed' ? `failed:${r.error?.code}` : r.outcome;
      this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
      if (r.error) {
        const message = `${r.error.code}: ${r.error.message.replace(/[0-9a-f]{40}/g, '<id>')}`;
        this.messages.set(message, (this.messages.get(message) ?? 0) + 1);
      }
      if (!isExpected(r)) this.odd.push(r);
    }
  }

  messageLines(): string {
    return [...this.messages.entries()].map(([message, n]) => `\n    ${n} × ${message}`).join('');
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  toString(): string {
    return [...this.counts.entries()].map(([key, n]) => `${key} ${n}`).join(', ');
  }
}

/** Changed, unchanged, or a conflict that says what the file holds now. */
const raceExpected = (r: ChangeResult) =>
  r.outcome === 'changed' ||
  r.outcome === 'unchanged' ||
  (r.outcome === 'failed' && r.error?.code === 'conflict' && CONFLICT_MESSAGE.test(r.error.message));

// --- 1 and 2: a process rewriting the file all the time ------------------------------------------

async function raceWith(mode: 'atomic' | 'inplace') {
  const session = await writeSession(root, { status: 'pending', extra: { userInfo: { counter: 0 } } });
  const appFolder = path.join(root, IOS_FOLDER);
  const actions = new SessionActions({ root, dataDir, trash });
  await actions.start();

  const started = Date.now();
  const racer = startAttacker<RaceReport>([mode, session.file, '20000']);
  await racer.ready;
  const tally = new Tally();
  for (let i = 0; i < RACE_EDITS; i++) {
    const report = await actions.setStatus([session.ref], statusFor(i));
    tally.add(report.results, raceExpected);
  }
  const result = await racer.stop();
  const elapsed = Date.now() - started;
  console.log(
    `[${mode} racer] ${RACE_EDITS} edits in ${elapsed} ms: changed ${tally.count('changed')}, ` +
      `conflict ${tally.count('failed:conflict')} (${tally}); racer: ${result.iterations} iterations, ` +
      `${result.writes} writes, ${result.retries} retries, ${result.lost} lost versions, ` +
      `last counter ${result.lastWritten}, ${result.totalWriteMs} ms spent writing (longest ${result.maxWriteMs} ms, ` +
      `${result.slowWrites} over 20 ms)${result.timedOut ? ', stopped by its time limit' : ''}` +
      tally.messageLines(),
  );

  expect({ lost: result.lost, samples: result.lostSamples, unexpected: result.unexpected }).toEqual({
    lost: 0,
    samples: [],
    unexpected: 0,
  });
  const final = await fs.readFile(session.file, 'utf8');
  const json = JSON.parse(final);
  expect(json.userInfo.counter).toBe(result.lastWritten);
  expect(['accepted', 'pending']).toContain(json.status);
  expect(tally.count('changed')).toBeGreaterThan(0);
  expect(await workFoldersIn(appFolder)).toEqual([]);
  expect((await fs.readdir(appFolder)).filter((name) => name !== '.racer.tmp')).toEqual([session.id]);
  // Last, so that a misreported result never hides a lost version: each edit was made, had
  // nothing to do, or was refused as a conflict that says what the file holds now.
  expect(tally.odd, 'each edit changed, unchanged, or a conflict saying what the file holds now').toEqual([]);
}

describe('the one writer against a process rewriting the same file', () => {
  it('loses no version of a writer that replaces the file atomically (temp file + rename)', async () => {
    await raceWith('atomic');
  }, 90_000);

  it('loses no version of a writer that rewrites the file in place (O_TRUNC)', async () => {
    await raceWith('inplace');
  }, 90_000);
});

// --- 3: a process swapping the file for a link to a file outside --------------------------------

interface Answer {
  status: number;
  body: string;
}

function post(port: number, token: string, method: string, params: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        agent: false,
        method: 'POST',
        path: `/api/${method}`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(params));
  });
}

interface OutsideState {
  bytes: Buffer;
  ino: number;
  nlink: number;
  mode: number;
  uid: number;
  gid: number;
  mtimeMs: number;
  ctimeMs: number;
  listing: string[];
}

async function outsideState(file: string): Promise<OutsideState> {
  const stats = await fs.lstat(file);
  return {
    bytes: await fs.readFile(file),
    ino: stats.ino,
    nlink: stats.nlink,
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    mtimeMs: stats.mtimeMs,
    ctimeMs: stats.ctimeMs,
    listing: (await fs.readdir(path.dirname(file))).sort(),
  };
}

/** Runs `task` over `count` indexes, `concurrency` at a time. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next;
        next += 1;
        await task(i);
      }
    }),
  );
}

/** What a door may answer while the file is being swapped for a link: never an I/O failure. */
const SWAP_CODES = new Set(['conflict', 'not-a-session', 'unknown-ref']);
const swapExpected = (r: ChangeResult) =>
  ['changed', 'unchanged', 'deleted', 'restored'].includes(r.outcome) ||
  (r.outcome === 'failed' && SWAP_CODES.has(r.error?.code ?? ''));

describe('the one writer against a process swapping the file for a link to a file outside', () => {
  it('never writes the file outside, through any door, nor when it deletes and undoes', async () => {
    const session = await writeSession(root, { status: 'pending' });
    const appFolder = path.join(root, IOS_FOLDER);
    // A session-like file outside the root, with the session's own name: a write through the link
    // (a status change, a restore) would show in its bytes, its inode, its times or its links.
    const outsideFile = path.join(outsideDir, session.id);
    await fs.writeFile(
      outsideFile,
      JSON.stringify(
        sessionJson({ id: session.id, status: 'pending', email: 'outside@example.com' }),
        null,
        2,
      ),
    );
    await fs.chmod(outsideFile, 0o644);
    const before = await outsideState(outsideFile);

    const actions = new SessionActions({ root, dataDir, trash });
    await actions.start();
    const fixture = await makeRendererFixture();
    cleanups.push(() => removeDir(fixture.base));
    const service = new AppService({ dataDir, hooks: { ...testHooks('browser', async () => root), trash } });
    cleanups.push(() => service.close());
    await service.handlers.openRoot({ root });
    const token = randomBytes(24).toString('base64url');
    const server: WebServer = await startWebServer({
      service,
      rendererDir: fixture.rendererDir,
      host: '127.0.0.1',
      port: 0,
      token,
    });
    cleanups.push(() => server.close());
    // The desktop app's door: its own AppService on the root, behind the IPC adapter.
    const desktop = new AppService({ dataDir, hooks: { ...testHooks('linux', async () => root), trash } });
    cleanups.push(() => desktop.close());
    await desktop.handlers.openRoot({ root });
    const ipc = await openIpcDoor(desktop);
    cleanups.push(async () => ipc.close());

    const started = Date.now();
    const swapper = startAttacker<SwapReport>(['swap', session.file, '100000', outsideFile]);
    await swapper.ready;

    const tallies = {
      actions: new Tally(),
      http: new Tally(),
      cli: new Tally(),
      ipc: new Tally(),
      undo: new Tally(),
    };
    const badAnswers: string[] = [];
    const direct = async () => {
      for (let i = 0; i < SWAP_EDITS; i++) {
        tallies.actions.add((await actions.setStatus([session.ref], statusFor(i))).results, swapExpected);
      }
    };
    const overHttp = async () => {
      for (let i = 0; i < SWAP_EDITS; i++) {
        const answer = await post(server.port, token, 'setStatus', {
          refs: [session.ref],
          status: statusFor(i),
        });
        const envelope = JSON.parse(answer.body) as Envelope<ChangeReport>;
        if (answer.status !== 200 || !envelope.ok) badAnswers.push(`http ${answer.status}: ${answer.body}`);
        else tallies.http.add(envelope.result.results, swapExpected);
      }
    };
    const overIpc = async () => {
      for (let i = 0; i < SWAP_EDITS; i++) {
        const envelope = (await ipc.call('setStatus', {
          refs: [session.ref],
          status: statusFor(i),
        })) as Envelope<ChangeReport>;
        if (!envelope.ok) badAnswers.push(`ipc: ${JSON.stringify(envelope)}`);
        else tallies.ipc.add(envelope.result.results, swapExpected);
      }
    };
    const env = { ...process.env, MOBILE_SESSIONS_DATA_DIR: dataDir };
    const overCli = () =>
      pool(SWAP_CLI_RUNS, SWAP_CLI_CONCURRENCY, async (i) => {
        const command = i % 2 === 0 ? 'accept' : 'pend';
        let stdout: string;
        let error_: unknown = null;
        try {
          ({ stdout } = await run(process.execPath, [CLI, command, root, session.ref, '--json'], { env }));
        } catch (error) {
          error_ = error;
          const failure = error as { code: number; stdout: string; stderr: string };
          // Exit 1: a session failed, reported in the JSON; anything else is a broken run.
          if (failure.code !== 1) {
            badAnswers.push(`cli exit ${failure.code}: ${failure.stderr}`);
            return;
          }
          stdout = failure.stdout;
        }
        if (!stdout.trim())
          throw new Error(`cli printed nothing: ${(error_ as { stderr?: string })?.stderr ?? ''}`);
        tallies.cli.add((JSON.parse(stdout) as ChangeReport).results, swapExpected);
      });
    await Promise.all([direct(), overHttp(), overCli(), overIpc()]);
    const doorsDoneMs = Date.now() - started;
    for (const { message, error } of ipc.logged) badAnswers.push(`ipc logged: ${message}: ${String(error)}`);
    const afterEdits = await outsideState(outsideFile);

    // Delete and undo, through the actions, while the swapping goes on.
    for (let round = 0; round < SWAP_DELETE_ROUNDS; round++) {
      const deleted = await actions.delete([session.ref], { permanent: round % 2 === 1 });
      tallies.undo.add(deleted.results, swapExpected);
      if (deleted.batch !== null) {
        const undone = await actions.undo({ batch: deleted.batch }).catch((error: unknown) => {
          badAnswers.push(`undo: ${error instanceof Error ? error.message : String(error)}`);
          return null;
        });
        if (undone) {
          tallies.undo.add(undone.results, (r) => swapExpected(r) || r.error?.code === 'already-undone');
        }
      }
    }

    const result = await swapper.stop();
    const elapsed = Date.now() - started;
    const after = await outsideState(outsideFile);
    console.log(
      `[symlink swapper] ${elapsed} ms; swapper: ${result.iterations} iterations, ${result.swaps} swaps, ` +
        `${result.skipped} with the name free, ${result.linkFound} with a link put back at the name, ` +
        `ended with a ${result.endState}${result.restored ? ' (real file put back)' : ''}; ` +
        `doors done at ${doorsDoneMs} ms, first link found at ${result.firstLinkFoundMs ?? '-'} ms` +
        `${result.timedOut ? ', stopped by its time limit' : ''}\n` +
        `  actions: ${tallies.actions}${tallies.actions.messageLines()}\n` +
        `  http: ${tallies.http}${tallies.http.messageLines()}\n` +
        `  cli: ${tallies.cli}${tallies.cli.messageLines()}\n` +
        `  ipc: ${tallies.ipc}${tallies.ipc.messageLines()}\n` +
        `  delete + undo: ${tallies.undo}${tallies.undo.messageLines()}`,
    );

    // The file outside: never written, replaced, linked or re-moded.
    expect(afterEdits).toEqual(before);
    expect(after).toEqual(before);
    expect(after.nlink).toBe(1);

    expect(badAnswers).toEqual([]);
    expect({
      actions: tallies.actions.odd,
      http: tallies.http.odd,
      cli: tallies.cli.odd,
      ipc: tallies.ipc.odd,
      undo: tallies.undo.odd,
    }).toEqual({ actions: [], http: [], cli: [], ipc: [], undo: [] });

    // What the swapper left at the name was a file or its link; with the real file back, a session.
    expect(['file', 'symlink']).toContain(result.endState);
    const stats = await fs.lstat(session.file);
    expect(stats.isFile()).toBe(true);
    const parsed = parseSessionBytes(await fs.readFile(session.file));
    expect(parsed.ok && ['accepted', 'pending'].includes(String(parsed.json.status))).toBe(true);
    expect(await workFoldersIn(appFolder)).toEqual([]);
    expect(await fs.readdir(appFolder)).toEqual([session.id]);

    // The swapper always puts the real file back right after its link. Finding its link at the
    // name later means a writer put that link back at a name freed by another writer, which then
    // found the name taken and dropped the real file it had moved aside: the session was lost.
    expect(
      { linkFound: result.linkFound, endState: result.endState },
      'a writer put the link back over a real session that another writer then dropped',
    ).toEqual({ linkFound: 0, endState: 'file' });
  }, 180_000);
});

// --- 4: two Mobile Sessions processes in one app folder ------------------------------------------

/**
 * Two of the app's own writers on one file could interleave so that one puts back a version the
 * other had already superseded (found by the swap test above). A chunk of a batch therefore holds
 * the app folder's lock (sessionLock.ts). Here another process holds that lock as a Mobile
 * Sessions process would: an edit waits for it, sees the version written meanwhile, and a lock
 * whose owner was killed is taken over.
 */
const LOCK_HOLDER = `
  const fs = require('node:fs');
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  const start = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  const fd = fs.openSync(process.argv[1], 'wx', 0o600);
  fs.writeSync(fd, process.pid + '-' + start);
  fs.closeSync(fd);
  process.stdout.write('locked\\n');
  process.stdin.on('data', () => { fs.unlinkSync(process.argv[1]); process.exit(0); });
`;

function holdLock(appFolder: string): { child: ChildProcess; locked: Promise<void> } {
  const child = spawn(process.execPath, ['-e', LOCK_HOLDER, path.join(appFolder, '.mobile-sessions-lock')], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  cleanups.push(async () => {
    child.kill('SIGKILL');
  });
  return { child, locked };
}

describe('two Mobile Sessions processes in one app folder', () => {
  it.skipIf(process.platform !== 'linux')(
    'an edit waits for the other process, then works on the version written meanwhile',
    async () => {
      const session = await writeSession(root, { status: 'pending', extra: { userInfo: { version: 1 } } });
      const holder = holdLock(path.dirname(session.file));
      await holder.locked;
      const actions = new SessionActions({ root, dataDir, trash });
      let done = false;
      const edit = actions.setStatus([session.ref], 'accepted').finally(() => {
        done = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toBe(false); // waiting for the lock: nothing touched
      expect(JSON.parse(await fs.readFile(session.file, 'utf8')).status).toBe('pending');
      // The 4D Server writes version 2 meanwhile; the other process lets go.
      await fs.writeFile(
        session.file,
        JSON.stringify({ ...session.json, userInfo: { version: 2 } }, null, 2),
      );
      holder.child.stdin?.write('go\n');
      const report = await edit;
      // The edit was planned on version 1: it is refused, version 2 stays, as it was.
      expect(report.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'conflict' } });
      const now = JSON.parse(await fs.readFile(session.file, 'utf8'));
      expect([now.userInfo.version, now.status]).toEqual([2, 'pending']);
      expect(await workFoldersIn(path.dirname(session.file))).toEqual([]);
    },
  );

  it.skipIf(process.platform !== 'linux')('takes over the lock of a process that was killed', async () => {
    const session = await writeSession(root, { status: 'pending' });
    const holder = holdLock(path.dirname(session.file));
    await holder.locked;
    holder.child.kill('SIGKILL');
    await new Promise((resolve) => holder.child.once('exit', resolve));
    const report = await new SessionActions({ root, dataDir, trash }).setStatus([session.ref], 'accepted');
    expect(report.results[0]?.outcome).toBe('changed');
    expect(await fs.readdir(path.dirname(session.file))).toEqual([session.id]);
  });
});
