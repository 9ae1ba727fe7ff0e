/**
 * A MobileApps folder kept open: the index, kept equal to the disk by the watcher, with deltas
 * for whoever listens (the Electron IPC adapter, the browser-mode server, `mobile-sessions watch`).
 *
 * - Start-up: from the cached index when there is a valid one (the list is ready at once), else a
 *   first scan that delivers sessions as it reads them; then the watcher, then a stat-based
 *   revalidation that catches whatever changed before the watcher was ready.
 * - Watcher events are coalesced per path over a short window and confirmed by a fresh read
 *   before anything is reported.
 * - Polling replaces native watching on request (network shares) or when watching fails
 *   (out of watch handles, any watcher error).
 * - The root itself is checked every second: removed, renamed or unmounted, the workspace says
 *   "root missing" and waits; when it is back, it revalidates and watches again.
 */
import { lstatSync } from 'node:fs';
import path from 'node:path';
import type { DeltaListener, WatcherState, WorkspaceDelta } from '../../../shared/deltas.js';
import { AppError } from '../../../shared/errors.js';
import type { AppSummary, FileProblem, SessionSummary } from '../../../shared/session.js';
import { errnoCode } from '../fsErrors.js';
import { readSessionFile } from '../session/sessionReader.js';
import { fileSystemKind } from './fileSystemKind.js';
import { type FolderWatcher, type WatchEvent, watchByPolling, watchWithChokidar } from './folderWatcher.js';
import { loadIndexCache, saveIndexCache } from './indexCache.js';
import { listAppFolders, syncAppFolder, syncIndex } from './scanRoot.js';
import { type IndexSnapshot, SessionIndex } from './sessionIndex.js';
import { TimeSlicer } from './timeSlices.js';

export interface WorkspaceOptions {
  dataDir: string;
  /** Poll instead of watching natively (network shares). */
  polling?: boolean;
  pollIntervalMs?: number;
  /** Quiet time after the last event on a path before it is read. */
  coalesceMs?: number;
  /** A path that keeps changing is read at least this often. */
  maxDelayMs?: number;
  rootCheckMs?: number;
  /** Save the index cache once the folder has been quiet this long. */
  cacheSaveDelayMs?: number;
  /** First-seen times the engine keeps (SessionActions.firstSeen), preferred to birth times. */
  firstSeen?: ReadonlyMap<string, string>;
  /** Test seam: the native watcher to use (defaults to chokidar). */
  startNativeWatcher?: typeof watchWithChokidar;
  /** Test seam: what file system the root is on (a network one is polled: native events get lost there). */
  detectFileSystem?: typeof fileSystemKind;
}

interface PendingPath {
  event: WatchEvent;
  first: number;
  last: number;
}

const rootIdentity = (root: string): string | null => {
  try {
    const stats = lstatSync(root);
    return stats.isDirectory() ? `${stats.dev}:${stats.ino}` : null;
  } catch {
    return null;
  }
};

export class Workspace {
  readonly root: string;
  private index: SessionIndex;
  private readonly listeners = new Set<DeltaListener>();
  private watcher: FolderWatcher | null = null;
  private state: WatcherState = 'starting';
  private stateMessage = '';
  private identity: string | null;
  private readonly pending = new Map<string, PendingPath>();
  private flushTimer: NodeJS.Timeout | null = null;
  private rootTimer: NodeJS.Timeout | null = null;
  private cacheTimer: NodeJS.Timeout | null = null;
  /** App folders whose cache entry is out of date. */
  private readonly dirtyFolders = new Set<string>();
  /** Index updates run one at a time: each may yield between time slices. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly options: Required<Omit<WorkspaceOptions, 'polling' | 'firstSeen'>> & { polling: boolean };
  /** Resolves once the first scan (or the cache) has filled the index. */
  readonly ready: Promise<void>;
  /** Resolves once the watcher runs and the index has been revalidated against the disk. */
  readonly settled: Promise<void>;
  readonly fromCache: boolean;

  private constructor(root: string, index: SessionIndex, options: WorkspaceOptions, fromCache: boolean) {
    this.root = root;
    this.index = index;
    this.fromCache = fromCache;
    this.identity = rootIdentity(root);
    this.options = {
      polling: options.polling ?? false,
      pollIntervalMs: options.pollIntervalMs ?? 2000,
      coalesceMs: options.coalesceMs ?? 30,
      maxDelayMs: options.maxDelayMs ?? 150,
      rootCheckMs: options.rootCheckMs ?? 1000,
      cacheSaveDelayMs: options.cacheSaveDelayMs ?? 30_000,
      dataDir: options.dataDir,
      startNativeWatcher: options.startNativeWatcher ?? watchWithChokidar,
      detectFileSystem: options.detectFileSystem ?? fileSystemKind,
    };
    // The first scan starts on the next turn of the event loop, so whoever opened the workspace
    // can subscribe first and receive the sessions as they are read.
    const nextTurn = new Promise<void>((resolve) => setImmediate(resolve));
    this.ready = fromCache
      ? Promise.resolve()
      : nextTurn.then(() => this.enqueue(() => syncIndex(this.index, this.scanReporting()))).then(() => {});
    this.settled = this.ready.then(() => this.startWatching());
    this.settled.catch(() => {});
  }

  /**
   * Opens a root: from the cached index when valid, else with a first scan that reports progress
   * and delivers sessions as they come. Throws `root-missing` when there is no such folder.
   */
  static async open(root: string, options: WorkspaceOptions): Promise<Workspace> {
    const absolute = path.resolve(root);
    listAppFolders(absolute); // a clear error now if the root is not there
    const index = new SessionIndex(absolute);
    if (options.firstSeen) index.firstSeen = options.firstSeen;
    const fromCache = await loadIndexCache(options.dataDir, index);
    if (fromCache) index.appChanges(index.apps.keys()); // these summaries are what a listener sees first
    return new Workspace(absolute, index, options, fromCache);
  }

  subscribe(listener: DeltaListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Everything, sorted (O(n log n)): for the CLI, tests and the problems list. */
  snapshot(): IndexSnapshot {
    return this.index.snapshot();
  }

  /** Every file's problems (the Problems view, Push), without copying the whole index. */
  problems(): FileProblem[] {
    return this.index.problems();
  }

  /** One session of the index, or undefined. */
  session(folder: string, fileName: string): SessionSummary | undefined {
    return this.index.apps.get(folder)?.sessions.get(fileName);
  }

  /** The sessions of one app folder (or all), unsorted, without copying the index. */
  sessions(folder: string | null): SessionSummary[] {
    // Sized first: a list grown by push to 100,000 rows allocates about three times its size.
    const apps = [...this.index.apps.values()].filter((app) => folder === null || app.folder === folder);
    const out: SessionSummary[] = new Array(apps.reduce((sum, app) => sum + app.sessions.size, 0));
    let at = 0;
    for (const app of apps) for (const session of app.sessions.values()) out[at++] = session;
    return out;
  }

  /** Whether the index holds this file, as a session or as a broken file. */
  knows(folder: string, fileName: string): boolean {
    const app = this.index.apps.get(folder);
    return app !== undefined && (app.sessions.has(fileName) || app.broken.has(fileName));
  }

  /** The apps' summaries (labels and counts), by folder name. */
  apps(): AppSummary[] {
    return [...this.index.apps.keys()].sort().flatMap((folder) => this.index.summarizeApp(folder) ?? []);
  }

  get watcherState(): { state: WatcherState; message: string } {
    return { state: this.state, message: this.stateMessage };
  }

  /** Re-checks everything: a listing and a stat per file, a read only for what changed. */
  refresh(): Promise<WorkspaceDelta[]> {
    return this.enqueue(async () => {
      try {
        const deltas = await syncIndex(this.index, { onDeltas: (d) => this.emit(d) });
        return deltas;
      } catch (error) {
        if (error instanceof AppError && error.code === 'root-missing') this.enterRootMissing();
        throw error;
      }
    });
  }

  /**
   * Reads these sessions again now (the engine's own writes): the index and the listeners have
   * the new state when the change returns, without waiting for the watcher, which confirms later.
   */
  reread(refs: Iterable<string>): Promise<void> {
    const events: WatchEvent[] = [];
    for (const ref of new Set(refs)) {
      const slash = ref.indexOf('/');
      if (slash > 0) events.push({ kind: 'file', folder: ref.slice(0, slash), name: ref.slice(slash + 1) });
    }
    if (events.length === 0) return Promise.resolve();
    return this.enqueue(() => this.apply(events)).catch(() => {});
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of [this.flushTimer, this.rootTimer, this.cacheTimer]) if (timer) clearTimeout(timer);
    await this.watcher?.close();
    this.watcher = null;
    await this.queue.catch(() => {});
    if (rootIdentity(this.root)) await this.saveCache();
    this.setState('stopped', 'Closed.');
  }

  // --- internals -------------------------------------------------------------------------------

  private scanReporting() {
    return {
      onProgress: (scanned: number, total: number) => this.emit([{ type: 'scan-progress', scanned, total }]),
      onDeltas: (deltas: WorkspaceDelta[]) => this.emit(deltas),
    };
  }

  private emit(deltas: WorkspaceDelta[]): void {
    if (deltas.length === 0 || this.closed) return;
    for (const delta of deltas) if ('folder' in delta) this.dirtyFolders.add(delta.folder);
    if (this.dirtyFolders.size > 0) this.scheduleCacheSave();
    for (const listener of this.listeners) {
      try {
        listener(deltas);
      } catch {
        // A failing listener must not stop the others, nor the workspace.
      }
    }
  }

  private setState(state: WatcherState, message: string): void {
    if (this.state === state && this.stateMessage === message) return;
    this.state = state;
    this.stateMessage = message;
    for (const listener of this.listeners) listener([{ type: 'watcher-state', state, message }]);
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => {});
    return run;
  }

  private async startWatching(): Promise<void> {
    if (this.closed) return;
    const callbacks = {
      onEvent: (event: WatchEvent) => this.onWatchEvent(event),
      onError: (e: Error) => this.onWatchError(e),
    };
    // Native watching on a network share often delivers nothing without failing: poll there.
    const fileSystem = this.options.polling ? null : this.options.detectFileSystem(this.root);
    if (this.options.polling) {
      this.watcher = watchByPolling(this.options.pollIntervalMs, callbacks);
      this.setState('polling', 'Polling the folder (set for this folder).');
    } else if (fileSystem?.network) {
      this.watcher = watchByPolling(this.options.pollIntervalMs, callbacks);
      const every = this.options.pollIntervalMs / 1000;
      this.setState(
        'polling',
        `Polling the folder every ${every} s: it is on a network file system (${fileSystem.name ?? 'remote'}).`,
      );
    } else {
      try {
        this.watcher = await this.options.startNativeWatcher(this.root, callbacks);
        if (this.closed) {
          await this.watcher.close();
          return;
        }
        this.setState('watching', 'Watching the folder for changes.');
      } catch (error) {
        this.fallBackToPolling(error);
      }
    }
    this.startRootCheck();
    // Anything that changed between the scan (or the cache) and the watcher being ready.
    await this.refresh().catch(() => {});
  }

  private fallBackToPolling(error: unknown): void {
    const code = errnoCode(error);
    const why =
      code === 'ENOSPC' || code === 'EMFILE'
        ? 'the system ran out of file watch handles'
        : `the watcher failed (${error instanceof Error ? error.message : String(error)})`;
    this.watcher = watchByPolling(this.options.pollIntervalMs, {
      onEvent: (event) => this.onWatchEvent(event),
      onError: () => {},
    });
    this.setState('polling', `Polling the folder every ${this.options.pollIntervalMs / 1000} s: ${why}.`);
  }

  private onWatchError(error: Error): void {
    if (this.closed || this.watcher?.mode === 'polling') return;
    const failed = this.watcher;
    this.watcher = null;
    void failed?.close().catch(() => {});
    this.fallBackToPolling(error);
    void this.refresh().catch(() => {});
  }

  private onWatchEvent(event: WatchEvent): void {
    if (this.closed || this.state === 'root-missing') return;
    const key =
      event.kind === 'file'
        ? `${event.folder}/${event.name}`
        : event.kind === 'folder'
          ? `${event.folder}/`
          : '';
    const now = performance.now();
    const existing = this.pending.get(key);
    // A folder event covers the files in it; a rescan covers everything.
    this.pending.set(key, { event, first: existing?.first ?? now, last: now });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.pending.size === 0) return;
    this.flushTimer = setTimeout(
      () => {
        this.flushTimer = null;
        void this.flush();
      },
      Math.max(5, Math.floor(this.options.coalesceMs / 2)),
    );
  }

  private flush(): Promise<void> {
    const now = performance.now();
    const due: WatchEvent[] = [];
    for (const [key, entry] of this.pending) {
      if (now - entry.last >= this.options.coalesceMs || now - entry.first >= this.options.maxDelayMs) {
        due.push(entry.event);
        this.pending.delete(key);
      }
    }
    this.scheduleFlush();
    if (due.length === 0) return Promise.resolve();
    return this.enqueue(() => this.apply(due)).catch(() => {});
  }

  /** Confirms due events against the disk and reports what really changed. */
  private async apply(events: WatchEvent[]): Promise<void> {
    if (events.some((e) => e.kind === 'rescan')) {
      if (!rootIdentity(this.root)) return this.enterRootMissing();
      this.emit(await syncIndex(this.index));
      return;
    }
    let deltas: WorkspaceDelta[] = [];
    const touched = new Set<string>();
    // Work in slices: a burst's hundreds of files, or a whole app folder (a folder event: at
    // 100,000 sessions in one app its lstats alone would hold the event loop for most of a
    // second). What is found so far goes out at each pause.
    const slicer = new TimeSlicer();
    const flushSoFar = () => {
      this.emit(deltas);
      deltas = [];
    };
    const sink = {
      emit: (d: WorkspaceDelta[]) => deltas.push(...d),
      afterFile: () => slicer.pause(flushSoFar),
    };
    const folders = new Set(events.flatMap((e) => (e.kind === 'folder' ? [e.folder] : [])));
    for (const folder of folders) {
      if (isDirectory(path.join(this.root, folder))) await syncAppFolder(this.index, folder, sink);
      else deltas.push(...this.index.removeApp(folder));
    }
    for (const event of events) {
      if (event.kind !== 'file' || folders.has(event.folder)) continue;
      if (!this.index.apps.has(event.folder)) {
        if (isDirectory(path.join(this.root, event.folder)))
          await syncAppFolder(this.index, event.folder, sink);
        continue;
      }
      deltas.push(
        ...this.index.applyRead(
          event.folder,
          event.name,
          readSessionFile(this.root, event.folder, event.name),
        ),
      );
      touched.add(event.folder);
      const pause = sink.afterFile();
      if (pause) await pause;
    }
    deltas.push(...this.index.appChanges(touched));
    this.emit(deltas);
  }

  private startRootCheck(): void {
    if (this.rootTimer) return;
    this.rootTimer = setInterval(() => this.checkRoot(), this.options.rootCheckMs);
    this.rootTimer.unref?.();
  }

  private checkRoot(): void {
    if (this.closed) return;
    const identity = rootIdentity(this.root);
    if (this.state === 'root-missing') {
      if (identity) void this.recoverRoot(identity);
    } else if (identity !== this.identity) {
      this.enterRootMissing();
      if (identity) void this.recoverRoot(identity); // replaced by another folder at once
    }
  }

  private enterRootMissing(): void {
    if (this.state === 'root-missing' || this.closed) return;
    this.pending.clear();
    const watcher = this.watcher;
    this.watcher = null;
    void watcher?.close().catch(() => {});
    this.setState(
      'root-missing',
      `The folder ${this.root} is gone (removed, renamed or unmounted); waiting for it to come back.`,
    );
  }

  private async recoverRoot(identity: string): Promise<void> {
    this.identity = identity;
    this.setState('starting', 'The folder is back: checking it again.');
    await this.startWatching();
  }

  /** Saves the app folders that changed since the last save (a few KB for a few changes). */
  private async saveCache(): Promise<void> {
    const folders = [...this.dirtyFolders];
    this.dirtyFolders.clear();
    if (folders.length === 0) return;
    try {
      await saveIndexCache(this.options.dataDir, this.index, folders);
    } catch {
      for (const folder of folders) this.dirtyFolders.add(folder); // next time
    }
  }

  /**
   * Saves once the folder has been quiet for a while: saving a large app folder takes a few
   * hundred milliseconds, which must not land in the middle of the admin's work. The cache is
   * revalidated at every start anyway, so a missed save only costs a slower relaunch.
   */
  private scheduleCacheSave(): void {
    if (this.cacheTimer) clearTimeout(this.cacheTimer);
    this.cacheTimer = setTimeout(() => {
      this.cacheTimer = null;
      if (!this.closed && rootIdentity(this.root)) void this.enqueue(() => this.saveCache());
    }, this.options.cacheSaveDelayMs);
    this.cacheTimer.unref?.();
  }
}

function isDirectory(folderPath: string): boolean {
  try {
    return lstatSync(folderPath).isDirectory();
  } catch {
    return false;
  }
}
