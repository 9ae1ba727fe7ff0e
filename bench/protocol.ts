/**
 * What the benchmark's three processes say to each other over the IPC channel, and the small
 * helpers both sides use. The parent orchestrates; the engine child holds the Workspace; the
 * writer child plays "another process" touching session files.
 */
import type { ChildProcess } from 'node:child_process';
import type { SessionStatus } from '../shared/session.js';

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
export const absNow = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What a ref must look like in the engine once the writer is done with it. */
export type Expected = SessionStatus | 'removed';

export type BurstOp =
  /** Write a new valid session file `ref`, modelled on the existing session `template` of the same folder. */
  | { kind: 'add'; ref: string; template: string }
  /** Toggle the top-level status of an existing session. */
  | { kind: 'change'; ref: string }
  | { kind: 'remove'; ref: string };

/** The event loop's delay over a phase, ms (monitorEventLoopDelay, 1 ms resolution). */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

export interface QueryFigures {
  /** Preparing the search texts and the default order, in slices, once the folder is settled. */
  warmUpMs: number;
  steps: { label: string; kind: 'keystroke' | 'click'; ms: number; matching: number }[];
  /** Several keystrokes sent without waiting: the stale ones are cancelled. */
  burst: { keystrokes: number; cancelled: number; lastAnsweredMs: number };
}

export interface StartupResults {
  coldMs: number;
  firstRowsMs: number | null;
  /** `session-added` deltas seen during the cold scan. */
  coldSessionsAdded: number;
  coldSettleMs: number;
  /** Closing the cold workspace (which saves the index cache). */
  closeMs: number;
  refreshMs: number[];
  refreshDeltas: number;
  relaunchMs: number;
  fromCache: boolean;
  relaunchSettleMs: number;
  /** Session deltas from the revalidation after the relaunch (0 expected: nothing changed). */
  relaunchRevalidationDeltas: number;
  watcherState: string;
  /** RSS now and peak so far after each start-up step, MB. */
  memory: { step: string; rssMB: number; maxRssMB: number }[];
  /** The table's queries at full size, after the relaunch (set after start-up). */
  queries?: QueryFigures;
}

export interface SnapshotDiff {
  missing: number;
  extra: number;
  differing: number;
  appsDiffering: number;
  problemsWorkspace: number;
  problemsFresh: number;
  examples: string[];
}

export type ToEngine =
  | { type: 'ping' }
  | { type: 'expect'; expectations: [string, Expected][] }
  | { type: 'collect'; timeoutMs: number; phase: string }
  | { type: 'verify' }
  | { type: 'exit' };

export type FromEngine =
  | { type: 'pong'; now: number }
  | { type: 'startup'; results: StartupResults }
  | { type: 'expect-ok' }
  | {
      type: 'collected';
      loopDelay: LoopDelay;
      /** Per ref, when the table's query asked after that delta was answered (absolute time). */
      rowAt: [string, number][];
      /** Each re-query of the table during the phase, ms. */
      requeryMs: number[];
      /** Per ref, the absolute time of the first delta that put it in its expected state. */
      firstMatch: [string, number][];
      /** When every expected ref was in its expected state at once. */
      allMatchedAt: number | null;
      unmatched: string[];
      /** Deltas for tracked refs that put them in a state other than the expected one (e.g. a half-written file). */
      transientDeltas: number;
      /** Tracked refs that reached their state as a session with problems (new files are meant to be valid). */
      withProblems: string[];
    }
  | {
      type: 'verified';
      equal: boolean;
      diff: SnapshotDiff | null;
      sessionsInIndex: number;
      maxRssKB: number;
      /** Heap in use after a forced GC (when --expose-gc), before the check: what the index and watcher keep. */
      liveHeapMB: number | null;
      rssMB: number;
      maxRssAfterVerifyKB: number;
    }
  | { type: 'error'; message: string };

export type ToWriter =
  | { type: 'ping' }
  | { type: 'latency'; refs: string[]; gapMs: number }
  | { type: 'burst'; ops: BurstOp[]; durationMs: number }
  | { type: 'exit' };

export type FromWriter =
  | { type: 'pong'; now: number }
  | { type: 'latency-done'; writes: { ref: string; at: number; status: SessionStatus }[] }
  | { type: 'burst-done'; firstWriteAt: number; lastWriteAt: number; count: number }
  | { type: 'error'; message: string };

/** Child side: send to the parent (a forked child always has the channel). */
export function sendToParent(message: FromEngine | FromWriter): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error('This role must be started by the benchmark (no IPC channel).'));
      return;
    }
    process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

/** Child side: report a failure to the parent, then exit non-zero. */
export async function failChild(role: string, error: unknown): Promise<never> {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(`[${role}] failed: ${message}`);
  await sendToParent({ type: 'error', message: `${role}: ${message}` }).catch(() => {});
  process.exit(1);
}

interface Waiter<M> {
  type: string;
  resolve: (message: M) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Parent side: a forked child, with "wait for the next message of this type". */
export class Peer<In extends { type: string }, Out> {
  private readonly inbox: In[] = [];
  private waiters: Waiter<In>[] = [];
  private failure: Error | null = null;
  private readonly exited: Promise<number | null>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.on('message', (raw) => {
      const message = raw as In;
      if (message.type === 'error') {
        this.fail(new Error((message as unknown as { message: string }).message));
        return;
      }
      const index = this.waiters.findIndex((w) => w.type === message.type);
      const waiter = index >= 0 ? this.waiters.splice(index, 1)[0] : undefined;
      if (waiter) {
        clearTimeout(waiter.timer);
        waiter.resolve(message);
      } else this.inbox.push(message);
    });
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        if (code !== 0) this.fail(new Error(`the ${name} process exited with ${signal ?? `code ${code}`}`));
        else this.fail(new Error(`the ${name} process exited`));
        resolve(code);
      });
    });
    child.on('error', (error) => this.fail(error));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  send(message: Out): void {
    if (this.failure) throw this.failure;
    this.child.send(message as never);
  }

  next<T extends In['type']>(type: T, timeoutMs: number): Promise<Extract<In, { type: T }>> {
    const index = this.inbox.findIndex((m) => m.type === type);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0] as Extract<In, { type: T }>);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<In> = {
        type,
        resolve: resolve as (message: In) => void,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`no "${type}" from the ${this.name} process within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  async request<T extends In['type']>(
    message: Out,
    reply: T,
    timeoutMs: number,
  ): Promise<Extract<In, { type: T }>> {
    const answer = this.next(reply, timeoutMs);
    this.send(message);
    return answer;
  }

  /** Waits for the child to exit (killing it after `timeoutMs`); returns its exit code. */
  async exit(timeoutMs: number): Promise<number | null> {
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.alive) this.child.kill('SIGKILL');
  }

  private fail(error: Error): void {
    if (!this.failure) this.failure = error;
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(this.failure);
    }
  }
}
