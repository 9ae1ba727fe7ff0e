/**
 * Runs scan jobs on every core: worker threads (scanWorker.ts) and the main thread take jobs from
 * one queue; the main thread runs its jobs in short time slices, so its event loop stays free,
 * and the first rows never wait for a worker to start. Without a worker (one core, or the worker
 * not built: tests run from source) the main thread runs them all. A worker that fails hands its
 * jobs back. Answers are the same whoever ran the job (scanWorkers.test.ts holds both to that).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { sessionSchemaInUse } from '../session/sessionChecks.js';
import type { AppManifest } from './appFolder.js';
import type { AppFolderListing } from './folderListing.js';
import { decodeReads, type EncodedReads } from './readCodec.js';
import { runScanJob, type ScanJob, type ScanJobResult } from './scanJobs.js';
import { TimeSlicer } from './timeSlices.js';

export type FromScanWorker =
  | { kind: 'ready' }
  | {
      id: number;
      kind: 'list';
      listing: AppFolderListing;
      manifest: AppManifest | null;
      stamps: Float64Array | null;
    }
  | { id: number; kind: 'read'; encoded: EncodedReads }
  | { id: number; kind: 'error'; message: string };

export interface ScanThreads {
  /** The built worker (`scanWorker.js`), or null: everything on the main thread. */
  workerFile: string | null;
  threads: number;
  /** Whether the main thread runs jobs too (default); false leaves every job to the workers (a test seam). */
  mainThreadHelps?: boolean;
}

/** Who ran how many jobs, and how many workers were started (tests check that the workers did run). */
export interface ScanPoolStats {
  workerJobs: number;
  mainThreadJobs: number;
  workersStarted: number;
}

/** Jobs sent ahead to each worker, so it never waits for the main thread between two. */
const IN_FLIGHT_PER_WORKER = 2;

/**
 * Files queued before workers are started (their start-up costs about what reading a thousand
 * files does): a small folder or a watcher's few files stay on the main thread.
 */
const WORTH_A_WORKER = 2000;

/** A job's weight in files (a listing counts as a few). */
const filesOf = (job: ScanJob) => (job.kind === 'list' ? 16 : job.names.length);

/**
 * Where the build put the worker: beside the entry (`out/node/scanWorker.js`,
 * `out/main/scanWorker.js`) whether this code is in the entry or in a chunk under `assets/`.
 * Null when running from source, where there is no built worker.
 */
export function builtScanWorker(): string | null {
  for (const relative of ['./scanWorker.js', '../scanWorker.js']) {
    const url = new URL(relative, import.meta.url);
    if (url.protocol !== 'file:') continue;
    const file = fileURLToPath(url);
    if (existsSync(file)) return file;
  }
  return null;
}

/**
 * Every core: one worker per core but one, and the main thread works too, between its other work
 * (in 8 ms slices). A second worker on two cores was no faster and cost 25 MB more at peak.
 */
export function defaultScanThreads(): ScanThreads {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const workerFile = builtScanWorker();
  return { workerFile, threads: workerFile ? Math.min(cores - 1, 3) : 0 };
}

interface QueuedJob {
  job: ScanJob;
  resolve: (result: ScanJobResult) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  ready: boolean;
  inFlight: Map<number, QueuedJob>;
}

export class ScanPool {
  private readonly queue: QueuedJob[] = [];
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private mainThreadBusy = false;
  private readonly slicer = new TimeSlicer();
  private readonly mainThreadHelps: boolean;
  readonly stats: ScanPoolStats = { workerJobs: 0, mainThreadJobs: 0, workersStarted: 0 };

  constructor(
    private readonly root: string,
    threads: ScanThreads,
  ) {
    this.mainThreadHelps = threads.mainThreadHelps ?? true;
    this.threads = threads;
    // Without the main thread's help, nobody would start the work: the workers start now.
    if (!this.mainThreadHelps) this.startWorkers();
  }

  private readonly threads: ScanThreads;
  private workersStarted = false;
  /** Files waiting in the queue: the workers start only for a pass worth their start-up. */
  private queuedFiles = 0;

  private startWorkers(): void {
    if (this.workersStarted || !this.threads.workerFile) return;
    this.workersStarted = true;
    for (let i = 0; i < this.threads.threads; i++) this.startWorker(this.threads.workerFile);
  }

  /**
   * Tells the pool how many files a pass will look at, when that is known before any listing (a
   * Refresh, a relaunch): a pass worth a worker starts the workers now, so that their start-up
   * overlaps the main thread's first folder.
   */
  expect(files: number): void {
    if (files > WORTH_A_WORKER) this.startWorkers();
  }

  /** Runs a job; `first` puts it at the head of the queue. */
  run(job: ScanJob, first = false): Promise<ScanJobResult> {
    return new Promise((resolve, reject) => {
      const queued = { job, resolve, reject };
      if (first) this.queue.unshift(queued);
      else this.queue.push(queued);
      this.queuedFiles += filesOf(job);
      if (this.queuedFiles > WORTH_A_WORKER) this.startWorkers();
      this.dispatch();
    });
  }

  /** Stops the workers; jobs still queued run on the main thread. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    for (const w of workers) {
      for (const job of w.inFlight.values()) {
        this.queue.unshift(job);
        this.queuedFiles += filesOf(job.job);
      }
    }
    this.dispatch();
    await Promise.all(workers.map((w) => w.worker.terminate().catch(() => 0)));
  }

  private startWorker(file: string): void {
    let worker: Worker;
    try {
      worker = new Worker(file, {
        // The worker judges sessions with the schema in use here (4D's, when one was found or given).
        workerData: { root: this.root, schemaFile: sessionSchemaInUse().file },
        // A worker's garbage is short-lived: a small young generation keeps the process's peak
        // memory down (two workers with V8's defaults added about 50 MB at 100,000 sessions).
        resourceLimits: { maxYoungGenerationSizeMb: 8 },
      });
    } catch {
      return; // no worker: the main thread does the work
    }
    this.stats.workersStarted++;
    const entry: PoolWorker = { worker, ready: false, inFlight: new Map() };
    this.workers.push(entry);
    worker.unref();
    worker.on('message', (message: FromScanWorker) => {
      if (message.kind === 'ready') {
        entry.ready = true;
        this.dispatch();
        return;
      }
      const queued = entry.inFlight.get(message.id);
      entry.inFlight.delete(message.id);
      if (queued) {
        if (message.kind !== 'error') this.stats.workerJobs++;
        this.settle(queued, message);
      }
      this.dispatch();
    });
    const fail = () => {
      const index = this.workers.indexOf(entry);
      if (index < 0) return;
      this.workers.splice(index, 1);
      // Its jobs are not lost: the main thread (or another worker) runs them again.
      for (const job of entry.inFlight.values()) {
        this.queue.unshift(job);
        this.queuedFiles += filesOf(job.job);
      }
      entry.inFlight.clear();
      void worker.terminate().catch(() => 0);
      this.dispatch();
    };
    worker.on('error', fail);
    worker.on('exit', fail);
  }

  private settle(queued: QueuedJob, message: FromScanWorker): void {
    try {
      if (message.kind === 'error') {
        // A job that failed in a worker is run once more here, where its failure surfaces.
        this.queue.unshift(queued);
        this.queuedFiles += filesOf(queued.job);
      } else if (message.kind === 'read') {
        const job = queued.job as Extract<ScanJob, { kind: 'read' }>;
        queued.resolve({ kind: 'read', reads: decodeReads(job.folder, job.names, message.encoded) });
      } else if (message.kind === 'list') {
        const { listing, manifest, stamps } = message;
        queued.resolve({ kind: 'list', listing, manifest, stamps });
      }
    } catch (error) {
      queued.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private dispatch(): void {
    for (const w of this.workers) {
      if (!w.ready) continue;
      while (w.inFlight.size < IN_FLIGHT_PER_WORKER && this.queue.length > 0) {
        const queued = this.queue.shift() as QueuedJob;
        this.queuedFiles -= filesOf(queued.job);
        const id = this.nextId++;
        w.inFlight.set(id, queued);
        w.worker.postMessage({ id, job: queued.job });
      }
    }
    const mainThreadMay = this.workers.length === 0 || this.mainThreadHelps;
    if (this.queue.length > 0 && mainThreadMay && !this.mainThreadBusy) void this.runOnMainThread();
  }

  private async runOnMainThread(): Promise<void> {
    const queued = this.queue.shift();
    if (!queued) return;
    this.queuedFiles -= filesOf(queued.job);
    this.mainThreadBusy = true;
    this.stats.mainThreadJobs++;
    try {
      queued.resolve(await runScanJob(this.root, queued.job, () => this.slicer.pause()));
    } catch (error) {
      queued.reject(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.mainThreadBusy = false;
    }
    // The next job on the next turn: the result above is applied first.
    setImmediate(() => this.dispatch());
  }
}
