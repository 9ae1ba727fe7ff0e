/**
 * The built command (out/node/cli.js) as real processes when the history fails or is in a bad
 * state: a data directory it may not write, a full disk, concurrent undos of one batch, a damaged
 * journal, a huge one. Run as root, it runs the command as user nobody where permissions matter
 * (as cli.bin.test.ts does) and mounts a small tmpfs for the full disk. `npm test` builds first;
 * else run `npm run build:node`.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, promises as fs, mkdtempSync, rmdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeReport } from '../../shared/changes.js';
import {
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  type WrittenSession,
  writeSessions,
} from '../../test/support/fixtures.js';
import { garbage, writeHugeHistory } from '../../test/support/history.js';
import { AuditLog, type UndoEntry } from '../services/history/auditLog.js';
import { findWorkFolders } from '../services/session/workFolder.js';

const CLI = path.resolve('out/node/cli.js');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build:node" first (npm test does).`);
});

let root: string;
let dataDir: string;
let scratch: string;
const mounted: string[] = [];

beforeEach(async () => {
  root = await makeTempDir();
  dataDir = await makeTempDir('ms-data-');
  scratch = await makeTempDir('ms-scratch-');
  await fs.chmod(scratch, 0o1777); // where every process, nobody's too, writes its peak RSS
});
afterEach(async () => {
  for (const dir of mounted.splice(0)) unmount(dir);
  // The tests take write permission away; give it back so that the folders can be removed.
  for (const dir of [root, dataDir]) {
    execFileSync('chmod', ['-R', 'u+rwX', dir], { stdio: 'ignore' });
  }
  await removeDir(root);
  await removeDir(dataDir);
  await removeDir(scratch);
});

type Session = WrittenSession;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Bytes written on stdout (kept whole only when `keepStdout`). */
  stdoutBytes: number;
  ms: number;
  /** Peak resident set size of the process, in MiB. */
  maxRssMiB: number;
}

/** Writes the process's peak RSS to the file named by MS_TEST_RSS_FILE when it exits. */
const RSS_PRELOAD = `data:text/javascript,${encodeURIComponent(
  'import { writeFileSync } from "node:fs"; process.on("exit", () => { try { writeFileSync(process.env.MS_TEST_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });',
)}`;

let rssFiles = 0;

/** Runs the built CLI; as user nobody when `asNobody` and the tests run as root. */
async function cli(args: string[], options: { asNobody?: boolean; keepStdout?: boolean } = {}): Promise<Run> {
  rssFiles += 1;
  const rssFile = path.join(scratch, `rss-${rssFiles}`);
  const node = [process.execPath, '--import', RSS_PRELOAD, CLI, ...args];
  const [command, ...rest] =
    options.asNobody && asRoot
      ? ['setpriv', `--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', ...node]
      : node;
  const started = performance.now();
  const child = spawn(command as string, rest, {
    env: { ...process.env, MOBILE_SESSIONS_DATA_DIR: dataDir, MS_TEST_RSS_FILE: rssFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = options.keepStdout !== false;
  const out: Buffer[] = [];
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (keep) out.push(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const ms = performance.now() - started;
  const rss = await fs.readFile(rssFile, 'utf8').catch(() => 'NaN');
  return {
    code,
    stdout: Buffer.concat(out).toString(),
    stderr,
    stdoutBytes,
    ms,
    maxRssMiB: Number(rss) / 1024,
  };
}

/** What a crash looks like: the CLI's "unexpected error" or any stack frame. */
const CRASH = /unexpected error|^\s+at .+[:(]\d+:\d+\)?$/m;
const expectNoCrash = (run: Run) => {
  expect(run.stderr).not.toMatch(CRASH);
  expect(run.stdout).not.toMatch(CRASH);
};

const logOf = () => new AuditLog(dataDir, root);
const inflight = async () => fs.readdir(path.join(logOf().dir, 'inflight')).catch(() => [] as string[]);
const statusOf = async (file: string) => JSON.parse(await fs.readFile(file, 'utf8')).status as string;

const sessions = (count: number, status?: 'pending' | 'accepted') => writeSessions(root, count, status);

// --- 1. a data directory the user may not write ----------------------------------------------------

/** The MobileApps folder and its files belong to nobody (who may write them); the data directory does not. */
async function giveRootToNobody(): Promise<void> {
  if (asRoot) execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, root]);
}

const REFUSED =
  /not changed: The change could not be recorded in the history first \(permission denied\): nothing was changed\./;

describe('a data directory the user may not write', () => {
  it('accept exits 1, says nothing was changed, leaves the file byte for byte; undo does not crash', async () => {
    const [session] = (await sessions(1)) as [Session];
    await giveRootToNobody();
    await fs.chmod(dataDir, 0o555); // owned by root (or read-only for a user): nobody may not write it
    const before = await fs.readFile(session.file);

    const accept = await cli(['accept', root, session.ref], { asNobody: true });
    expect(accept.code).toBe(1);
    expect(accept.stderr).toMatch(REFUSED);
    expectNoCrash(accept);
    expect(await fs.readFile(session.file)).toEqual(before);
    expect(await fs.readdir(path.join(root, IOS_FOLDER))).toEqual([session.id]);

    const undo = await cli(['undo', root], { asNobody: true });
    expect(undo.code).toBe(1);
    expect(undo.stderr).toMatch(/^mobile-sessions: Nothing to undo/);
    expectNoCrash(undo);
    expect(await fs.readFile(session.file)).toEqual(before);
  });

  it('with a history of its own made read-only: accept and undo refuse cleanly, log still reads it', async () => {
    const [first, second] = (await sessions(2)) as [Session, Session];
    await giveRootToNobody();
    if (asRoot) await fs.chown(dataDir, NOBODY, NOBODY);
    expect((await cli(['accept', root, first.ref], { asNobody: true })).code).toBe(0);
    execFileSync('chmod', ['-R', 'a-w', dataDir]);
    const before = [await fs.readFile(first.file), await fs.readFile(second.file)];

    const accept = await cli(['accept', root, second.ref], { asNobody: true });
    expect(accept.code).toBe(1);
    expect(accept.stderr).toMatch(REFUSED);
    expectNoCrash(accept);

    const undo = await cli(['undo', root], { asNobody: true });
    expect(undo.code).toBe(1);
    expect(undo.stderr).toMatch(REFUSED);
    expectNoCrash(undo);
    expect([await fs.readFile(first.file), await fs.readFile(second.file)]).toEqual(before);

    const log = await cli(['log', root], { asNobody: true });
    expect(log.code).toBe(0);
    expect(log.stdout).toContain(`set-status  ${first.ref}  pending → accepted`);
    expectNoCrash(log);
    expect(findWorkFolders(root)).toEqual([]);
  });

  const otherUserSkip = asRoot ? null : 'needs root, to make a history that belongs to another user';
  if (otherUserSkip) console.log(`skipped "a history of another user" tests: ${otherUserSkip}`);

  /** The history was made by another user (root, with sudo): its folders are 0700, not readable by nobody. */
  async function historyOfAnotherUser(): Promise<[Session, Session]> {
    const made = (await sessions(2)) as [Session, Session];
    expect((await cli(['accept', root, made[0].ref])).code).toBe(0); // as root
    await giveRootToNobody();
    return made;
  }

  it.skipIf(otherUserSkip !== null)(
    "with another user's history in it: accept exits 1, says nothing was changed",
    async () => {
      const [, second] = await historyOfAnotherUser();
      const before = await fs.readFile(second.file);
      const accept = await cli(['accept', root, second.ref], { asNobody: true });
      expect(accept.code).toBe(1);
      expect(accept.stderr).toMatch(REFUSED);
      expectNoCrash(accept);
      expect(await fs.readFile(second.file)).toEqual(before);
    },
  );

  // Regression (found by this suite, fixed): when the history folder cannot be read (EACCES, here a
  // history made by root with `sudo`), AuditLog.segments() rethrows the error, which is not an
  // AppError: `undo` and `log` die with "mobile-sessions: unexpected error: Error: EACCES:
  // permission denied, scandir '<data dir>/history/<key>'" and a stack trace (`list` does too,
  // from FirstSeenBook.load).
  it.skipIf(otherUserSkip !== null)(
    "with another user's history in it: undo and log fail with a sentence, not a stack trace",
    async () => {
      const [first] = await historyOfAnotherUser();
      const before = await fs.readFile(first.file);
      const undo = await cli(['undo', root], { asNobody: true });
      expect(undo.code).toBe(1);
      expectNoCrash(undo);
      expect(await fs.readFile(first.file)).toEqual(before);
      const log = await cli(['log', root], { asNobody: true });
      expectNoCrash(log);
    },
  );
});

// --- 2. a full disk ---------------------------------------------------------------------------------

/** Why a tmpfs cannot be mounted here (null: it can). Checked once, when the file loads. */
function mountRefusal(): string | null {
  if (process.platform !== 'linux') return `mount -t tmpfs is Linux only (this is ${process.platform})`;
  if (!asRoot) return 'mounting a tmpfs needs root (CAP_SYS_ADMIN); these tests do not run as root';
  const probe = mkdtempSync(path.join(os.tmpdir(), 'ms-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `mount -t tmpfs is not permitted here (a container without CAP_SYS_ADMIN?): ${stderr || String(error)}`;
  } finally {
    rmdirSync(probe);
  }
}
const noMount = mountRefusal();
if (noMount) console.log(`skipped the full-disk tests: ${noMount}`);

function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' }); // busy: detach it now, freed when released
  }
}

function mountSmallDisk(dir: string, size: string): void {
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
  mounted.push(dir);
}

/** Fills the file system of `dir` with one file until ENOSPC; returns its path and size. */
async function fill(dir: string): Promise<{ file: string; size: number }> {
  const file = path.join(dir, 'filler');
  const handle = await fs.open(file, 'w');
  const block = Buffer.alloc(64 * 1024, 0x61);
  let size = 0;
  try {
    for (;;) {
      const { bytesWritten } = await handle.write(block);
      size += bytesWritten;
      if (bytesWritten < block.length) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
    }
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOSPC') throw error;
  } finally {
    await handle.close();
  }
  return { file, size };
}

const DISK_FULL =
  /not changed: The change could not be recorded in the history first \(the disk is full\): nothing was changed\./;

describe('a full disk under the data directory', () => {
  it.skipIf(noMount !== null)(
    'accept and undo exit 1 and change nothing; once there is room again both work',
    async () => {
      mountSmallDisk(dataDir, '1m');
      const [a, b] = (await sessions(2)) as [Session, Session];
      const original = [await fs.readFile(a.file), await fs.readFile(b.file)];
      expect((await cli(['accept', root, a.ref])).code).toBe(0); // a history exists before the disk fills
      const acceptedA = await fs.readFile(a.file);
      const filler = await fill(dataDir);
      expect(filler.size).toBeGreaterThan(0);

      const accept = await cli(['accept', root, b.ref]);
      expect(accept.code).toBe(1);
      expect(accept.stderr).toMatch(DISK_FULL);
      expectNoCrash(accept);
      expect(await fs.readFile(b.file)).toEqual(original[1]);

      const undo = await cli(['undo', root]);
      expect(undo.code).toBe(1);
      expect(undo.stderr).toMatch(DISK_FULL);
      expectNoCrash(undo);
      expect(await fs.readFile(a.file)).toEqual(acceptedA);

      const log = await cli(['log', root]);
      expect(log.code).toBe(0);
      expect(log.stdout).toContain(`set-status  ${a.ref}  pending → accepted`);
      expectNoCrash(log);

      await fs.unlink(filler.file);
      const undoAgain = await cli(['undo', root]);
      expect(undoAgain.code).toBe(0);
      expect(undoAgain.stdout).toBe(`${a.ref}: restored (pending)\n`);
      expect(await fs.readFile(a.file)).toEqual(original[0]);
      const acceptAgain = await cli(['accept', root, b.ref]);
      expect(acceptAgain.code).toBe(0);
      expect(await statusOf(b.file)).toBe('accepted');

      const entries = await logOf().allEntries();
      expect(entries.map((e) => [e.action, e.ref])).toEqual([
        ['set-status', a.ref],
        ['undo', a.ref],
        ['set-status', b.ref],
      ]);
      expect(logOf().stats.damaged).toBe(0);
      expect(await inflight()).toEqual([]); // the marker the refused accept left is cleaned up
      expect(findWorkFolders(root)).toEqual([]);
    },
  );

  // Regression (found by this suite, fixed): AuditLog.append ignores a short write
  // (`handle.write(...)` resolves with bytesWritten < length instead of rejecting when the disk
  // fills up mid-write). With one page left, the in-flight marker takes it, the intents are written
  // only up to the end of the segment's last page, and the batch goes on: the file is changed,
  // `accept` exits 0, but the change is not in the history (one damaged line instead), so it can
  // never be undone, and `undo` undoes the batch before it.
  it.skipIf(noMount !== null)(
    'with one page left: a change is either refused or recorded whole',
    async () => {
      const page = Number(execFileSync('getconf', ['PAGESIZE']).toString().trim());
      mountSmallDisk(dataDir, '1m');
      const [a, b] = (await sessions(2)) as [Session, Session];
      expect((await cli(['accept', root, a.ref])).code).toBe(0);
      // Pad the journal (a record readers ignore) so that its last page has less room than an intent.
      const segment = path.join(logOf().dir, '00000001.jsonl');
      const size = (await fs.stat(segment)).size;
      let pad = (((page - 60 - (size % page)) % page) + page) % page;
      if (pad < 40) pad += page;
      await fs.appendFile(segment, `{"t":"pad","x":"${'p'.repeat(pad - 19)}"}\n`);
      expect((await fs.stat(segment)).size % page).toBe(page - 60);
      const filler = await fill(dataDir);
      await fs.truncate(filler.file, filler.size - page); // exactly one page free
      const before = await fs.readFile(b.file);

      const accept = await cli(['accept', root, b.ref]);
      expectNoCrash(accept);
      const changed = !(await fs.readFile(b.file)).equals(before);
      await fs.unlink(filler.file);
      const recorded = (await logOf().allEntries()).some((e) => e.action === 'set-status' && e.ref === b.ref);
      expect({ exit: accept.code, changed, recorded }).toEqual(
        changed ? { exit: 0, changed, recorded: true } : { exit: 1, changed, recorded: false },
      );
    },
  );
});

// --- 3. concurrent undos of one batch ---------------------------------------------------------------

/**
 * Regression (found by this suite, fixed): a process whose undo ran while another's undo of the
 * same status change was in flight reported `conflict` or `unknown-ref` instead of `already-undone`.
 */
const CONCURRENT_STATUS_UNDO_REPORTS_FIXED = true;

interface Attempts {
  restored: string[];
  alreadyUndone: string[];
  /** Results other than restored or already undone, as "ref: outcome code message". */
  other: string[];
  runs: Run[];
}

async function undoFromProcesses(batch: string, processes: number): Promise<Attempts> {
  const runs = await Promise.all(
    Array.from({ length: processes }, () => cli(['undo', root, '--batch', batch, '--json'])),
  );
  const attempts: Attempts = { restored: [], alreadyUndone: [], other: [], runs };
  for (const run of runs) {
    expectNoCrash(run);
    if (run.stdout === '') {
      // Nothing of the batch was left to undo: the whole batch "already undone", on stderr.
      expect(run.code).toBe(1);
      expect(run.stderr).toBe('mobile-sessions: That change was already undone.\n');
      continue;
    }
    const report = JSON.parse(run.stdout) as ChangeReport;
    for (const r of report.results) {
      if (r.outcome === 'restored' && r.error === null) attempts.restored.push(r.ref);
      else if (r.error?.code === 'already-undone') attempts.alreadyUndone.push(r.ref);
      else attempts.other.push(`${r.ref}: ${r.outcome} ${r.error?.code} ${r.error?.message}`);
    }
  }
  return attempts;
}

async function expectEachUndoneOnce(batch: string, count: number): Promise<void> {
  const entries = await logOf().allEntries();
  const changes = entries.filter((e) => e.batch === batch && e.action !== 'undo');
  expect(changes).toHaveLength(count);
  const undos = entries.filter((e): e is UndoEntry => e.action === 'undo');
  for (const change of changes) {
    expect(undos.filter((u) => u.undoes === change.id && u.ok)).toHaveLength(1);
  }
}

async function expectNothingLeftOver(): Promise<void> {
  expect(findWorkFolders(root)).toEqual([]);
  expect(await inflight()).toEqual([]);
}

describe('five processes undoing the same batch at once', () => {
  it('a status batch of 20 files: each restored exactly once, no io error, nothing left over', async () => {
    const files = await sessions(20);
    const originals = await Promise.all(files.map((f) => fs.readFile(f.file)));
    const accept = await cli(['accept', root, ...files.map((f) => f.ref), '--json']);
    expect(accept.code).toBe(0);
    const { batch } = JSON.parse(accept.stdout) as ChangeReport;
    expect(batch).toEqual(expect.any(String));

    const attempts = await undoFromProcesses(batch as string, 5);
    expect(attempts.restored.sort()).toEqual(files.map((f) => f.ref).sort());
    expect(await Promise.all(files.map((f) => fs.readFile(f.file)))).toEqual(originals);
    const output = attempts.runs.map((r) => r.stdout + r.stderr).join('\n');
    expect(output).not.toMatch(/EEXIST|"code": "io"/);
    await expectEachUndoneOnce(batch as string, 20);
    await expectNothingLeftOver();
    const misreported = attempts.other.filter((line) => / (conflict|unknown-ref) /.test(line));
    console.log(
      `5 concurrent CLI undos of a 20-file status batch: ${attempts.restored.length} restored, ` +
        `${attempts.alreadyUndone.length} already undone, ${attempts.runs.filter((r) => r.stdout === '').length} ` +
        `processes found the whole batch undone, ${misreported.length} misreported as conflict/unknown-ref (known bug)`,
    );
    if (CONCURRENT_STATUS_UNDO_REPORTS_FIXED) expect(attempts.other).toEqual([]);
    else expect(attempts.other.filter((line) => !misreported.includes(line))).toEqual([]);
  });

  it('a delete batch of 20 files: each restored exactly once, byte for byte, the others already undone', async () => {
    const files = await sessions(20);
    const originals = await Promise.all(files.map((f) => fs.readFile(f.file)));
    const removal = await cli(['delete', root, ...files.map((f) => f.ref), '--permanent', '--json']);
    expect(removal.code).toBe(0);
    const { batch } = JSON.parse(removal.stdout) as ChangeReport;
    for (const f of files) await expect(fs.stat(f.file)).rejects.toMatchObject({ code: 'ENOENT' });

    const attempts = await undoFromProcesses(batch as string, 5);
    expect(attempts.other).toEqual([]);
    expect(attempts.restored.sort()).toEqual(files.map((f) => f.ref).sort());
    expect(await Promise.all(files.map((f) => fs.readFile(f.file)))).toEqual(originals);
    await expectEachUndoneOnce(batch as string, 20);
    await expectNothingLeftOver();
  });
});

// --- 5. a damaged journal ---------------------------------------------------------------------------

describe('a damaged journal', () => {
  it('log, undo and accept still work; log says how many damaged lines it skipped', async () => {
    const [one, two] = (await sessions(2)) as [Session, Session];
    const before = await fs.readFile(one.file);
    expect((await cli(['accept', root, one.ref])).code).toBe(0);
    const segment = path.join(logOf().dir, '00000001.jsonl');
    const valid = await fs.readFile(segment);
    await fs.writeFile(
      segment,
      Buffer.concat([
        Buffer.from('null\n[1,2]\n{"t":"intent","id":"torn-7d2e","batch":"torn","time":"2026-\n'),
        garbage(8192, 0x2545f491),
        Buffer.from('\n'),
        valid,
        Buffer.from(`{"t":"outcome","id":"${'y'.repeat(3 * 1024 * 1024)}`), // 3 MB, cut short
      ]),
    );
    const skipped = '5 damaged lines of the history skipped (a crash or disk damage).\n';

    const log = await cli(['log', root]);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain(`set-status  ${one.ref}  pending → accepted`);
    expect(log.stdout.trim().split('\n')).toHaveLength(1);
    expect(log.stderr).toBe(skipped);
    const logJson = await cli(['log', root, '--json']);
    expect(logJson.code).toBe(0);
    expect(JSON.parse(logJson.stdout)).toMatchObject([{ action: 'set-status', ref: one.ref }]);
    expect(logJson.stderr).toBe(skipped);

    const undo = await cli(['undo', root]);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toBe(`${one.ref}: restored (pending)\n`);
    expectNoCrash(undo);
    expect(await fs.readFile(one.file)).toEqual(before);

    const accept = await cli(['accept', root, two.ref]);
    expect(accept.code).toBe(0);
    expect(accept.stdout).toBe(`${two.ref}: pending → accepted\n`);
    expectNoCrash(accept);

    const after = await cli(['log', root]);
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(new RegExp(`undo\\s+${one.ref}\\s+undone`)); // not glued onto the torn line
    expect(after.stdout).toContain(`set-status  ${two.ref}  pending → accepted`);
    expect(after.stderr).toBe(skipped);
  });
});

// --- 6. a huge journal ------------------------------------------------------------------------------

describe('a huge journal', () => {
  it('1 GiB of history (a sparse GiB of NUL bytes, then 96 MiB of valid records): no command crashes', async () => {
    const [one, two] = (await sessions(2)) as [Session, Session];
    const started = performance.now();
    const generated = await writeHugeHistory(logOf().dir);
    const figures = [
      `history: 1 GiB sparse segment + 4 segments of valid records (${generated} changes), made in ${Math.round(performance.now() - started)} ms`,
    ];
    const measured = async (label: string, args: string[], keepStdout = true) => {
      const run = await cli(args, { keepStdout });
      figures.push(
        `${label.padEnd(16)} exit ${run.code}, ${Math.round(run.ms)} ms, peak RSS ${Math.round(run.maxRssMiB)} MiB, ${run.stdoutBytes} bytes out`,
      );
      expectNoCrash(run);
      return run;
    };

    const log = await measured('log', ['log', root], false);
    expect(log.code).toBe(0);
    expect(log.stdoutBytes).toBeGreaterThan(generated * 100);
    expect(log.stderr).toBe('1 damaged line of the history skipped (a crash or disk damage).\n');
    const accept = await measured('accept', ['accept', root, one.ref]);
    expect(accept.code).toBe(0);
    const undo = await measured('undo', ['undo', root]);
    expect(undo.code).toBe(0);
    expect(undo.stdout).toBe(`${one.ref}: restored (pending)\n`);
    const acceptAgain = await measured('accept', ['accept', root, two.ref]);
    expect(acceptAgain.code).toBe(0);
    const push = await measured('push --dry-run', ['push', root, '--dry-run', '--json']);
    expect(push.code).toBe(0);
    const check = JSON.parse(push.stdout) as { unpushed: { changes: Array<{ ref: string }> } };
    expect(check.unpushed.changes.map((c) => c.ref)).toContain(two.ref);
    expect(check.unpushed.changes.map((c) => c.ref)).not.toContain(one.ref); // undone: nothing to push

    console.log(`huge journal, built CLI:\n  ${figures.join('\n  ')}`);
    for (const run of [log, accept, undo, acceptAgain, push]) expect(run.maxRssMiB).toBeLessThan(1024);
  }, 600_000);
});
