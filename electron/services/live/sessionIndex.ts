/**
 * The in-memory index of one MobileApps folder: apps, session summaries, broken files and the
 * file stamps that make refresh incremental. Every change goes through `applyRead` and friends,
 * which return the deltas it caused, so listeners never need whole lists.
 */
import { isDeepStrictEqual } from 'node:util';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import type { AppSummary, FileProblem, SessionSummary } from '../../../shared/session.js';
import type { FileStamp, SessionFileRead } from '../session/sessionReader.js';
import { type AppManifest, AppTally, describeApp } from './appFolder.js';
import { StampBook } from './stampBook.js';

export interface AppEntry {
  folder: string;
  manifest: AppManifest | null;
  /** By file name. */
  sessions: Map<string, SessionSummary>;
  /** Files that are not usable sessions, by file name (or '' for the folder itself). */
  broken: Map<string, FileProblem>;
  /**
   * By file name: the version of each file the index reflects. Kept per folder, under the name
   * the listing already holds, rather than under a `<folder>/<file>` key made for each file.
   */
  stamps: StampBook;
  /** Counts and label votes of the sessions, kept as they change. */
  tally: AppTally;
}

export interface IndexedApp extends AppSummary {
  sessions: SessionSummary[];
}

export interface IndexSnapshot {
  root: string;
  apps: IndexedApp[];
  problems: FileProblem[];
}

const fileKey = (folder: string, fileName: string) => `${folder}/${fileName}`;

const replaced = new WeakMap<WorkspaceDelta, SessionSummary>();

/**
 * The summary a `session-changed` or `session-removed` delta replaced: what keeps a sorted list
 * up to date finds its old place by it (sessionQuery.ts). Not part of the delta itself, which
 * travels to the renderer.
 */
export function replacedSummary(delta: WorkspaceDelta): SessionSummary | undefined {
  return replaced.get(delta);
}

export class SessionIndex {
  readonly apps = new Map<string, AppEntry>();

  /**
   * First-seen times the engine keeps (the app's own rewrites make new inodes): preferred to the
   * file's birth time. A session already indexed keeps its first-seen time whatever its inode.
   */
  firstSeen: ReadonlyMap<string, string> = new Map();

  /** The app summaries last reported, so count changes are reported once per batch. */
  private readonly reportedApps = new Map<string, AppSummary>();

  constructor(readonly root: string) {}

  /** The version of a file the index reflects, if it holds one. */
  stampOf(folder: string, fileName: string): FileStamp | undefined {
    return this.apps.get(folder)?.stamps.get(fileName);
  }

  /** Every file's stamp, by `<folder>/<file>` (a copy: for scan results and tests). */
  allStamps(): Map<string, FileStamp> {
    const all = new Map<string, FileStamp>();
    for (const [folder, entry] of this.apps) {
      for (const [name, stamp] of entry.stamps) all.set(fileKey(folder, name), stamp);
    }
    return all;
  }

  /** `app-changed` deltas for the given apps whose summary (counts, labels) differs from the last reported. */
  appChanges(folders: Iterable<string>): WorkspaceDelta[] {
    const deltas: WorkspaceDelta[] = [];
    for (const folder of new Set(folders)) {
      const app = this.summarizeApp(folder);
      if (!app || isDeepStrictEqual(app, this.reportedApps.get(folder))) continue;
      this.reportedApps.set(folder, app);
      deltas.push({ type: 'app-changed', folder, app });
    }
    return deltas;
  }

  summarizeApp(folder: string): AppSummary | null {
    const entry = this.apps.get(folder);
    if (!entry) return null;
    const app = describeApp(folder, entry.manifest, entry.tally);
    app.counts.problems = entry.broken.size + entry.tally.withProblems;
    return app;
  }

  /** Puts back a whole app folder as the cache kept it. */
  restoreApp(entry: Omit<AppEntry, 'tally'>): void {
    const tally = new AppTally();
    for (const session of entry.sessions.values()) tally.add(session);
    this.apps.set(entry.folder, { ...entry, tally });
  }

  addApp(folder: string, manifest: AppManifest | null): WorkspaceDelta[] {
    const existing = this.apps.get(folder);
    if (existing) {
      existing.manifest = manifest;
      return this.appChanges([folder]);
    }
    this.apps.set(folder, {
      folder,
      manifest,
      sessions: new Map(),
      broken: new Map(),
      stamps: new StampBook(),
      tally: new AppTally(),
    });
    const app = this.summarizeApp(folder) as AppSummary;
    this.reportedApps.set(folder, app);
    return [{ type: 'app-added', folder, app }];
  }

  removeApp(folder: string): WorkspaceDelta[] {
    const entry = this.apps.get(folder);
    if (!entry) return [];
    this.apps.delete(folder);
    this.reportedApps.delete(folder);
    return [{ type: 'app-removed', folder }];
  }

  /** Records what a fresh read of one file found; returns the deltas (none when nothing changed). */
  applyRead(folder: string, fileName: string, read: SessionFileRead): WorkspaceDelta[] {
    const entry = this.apps.get(folder);
    if (!entry) return [];
    const deltas: WorkspaceDelta[] = [];
    const wasSession = entry.sessions.get(fileName);
    const wasBroken = entry.broken.get(fileName);

    if (read.kind !== 'absent' && read.stamp) entry.stamps.set(fileName, read.stamp);
    else entry.stamps.delete(fileName);

    if (read.kind === 'session') {
      // The summary's ref is this file's `<folder>/<file>`: no key is built for a plain read.
      const key = read.summary.ref;
      const firstSeen =
        (this.firstSeen.size > 0 ? this.firstSeen.get(key) : undefined) ?? wasSession?.firstSeen;
      if (firstSeen !== undefined && firstSeen !== read.summary.firstSeen) read.summary.firstSeen = firstSeen;
      if (!wasSession) {
        entry.sessions.set(fileName, read.summary);
        entry.tally.add(read.summary);
        deltas.push({ type: 'session-added', ref: key, folder, session: read.summary });
      } else if (!isDeepStrictEqual(wasSession, read.summary)) {
        // An unchanged session keeps its object: sorted lists hold it (and the copy is garbage).
        entry.sessions.set(fileName, read.summary);
        entry.tally.remove(wasSession);
        entry.tally.add(read.summary);
        const delta: WorkspaceDelta = { type: 'session-changed', ref: key, folder, session: read.summary };
        replaced.set(delta, wasSession);
        deltas.push(delta);
      }
    } else if (wasSession) {
      entry.sessions.delete(fileName);
      entry.tally.remove(wasSession);
      const delta: WorkspaceDelta = { type: 'session-removed', ref: wasSession.ref, folder };
      replaced.set(delta, wasSession);
      deltas.push(delta);
    }

    if (read.kind === 'broken') {
      entry.broken.set(fileName, read.problem);
      if (!isDeepStrictEqual(wasBroken, read.problem)) {
        deltas.push({
          type: 'problems-changed',
          path: fileKey(folder, fileName),
          folder,
          problems: [read.problem],
        });
      }
    } else if (wasBroken) {
      entry.broken.delete(fileName);
      deltas.push({ type: 'problems-changed', path: fileKey(folder, fileName), folder, problems: [] });
    }
    return deltas;
  }

  /** Records that a whole app folder could not be listed (or can again, with `null`). */
  setFolderProblem(folder: string, problem: FileProblem | null): WorkspaceDelta[] {
    const entry = this.apps.get(folder);
    if (!entry) return [];
    const was = entry.broken.get('');
    if (problem) entry.broken.set('', problem);
    else entry.broken.delete('');
    if (isDeepStrictEqual(was, problem ?? undefined)) return [];
    return [{ type: 'problems-changed', path: `${folder}/`, folder, problems: problem ? [problem] : [] }];
  }

  /** Everything, in a stable order: apps by folder, sessions and problems by file name. */
  snapshot(): IndexSnapshot {
    const apps = [...this.apps.keys()].sort().map((folder) => {
      const entry = this.apps.get(folder) as AppEntry;
      const sessions = [...entry.sessions.keys()]
        .sort()
        .map((name) => entry.sessions.get(name) as SessionSummary);
      return { ...(this.summarizeApp(folder) as AppSummary), sessions };
    });
    return { root: this.root, apps, problems: this.problems() };
  }

  /**
   * Every problem of every file, by folder and file name: without copying or sorting the
   * sessions that have none (the Problems view and Push ask for this, not for everything).
   */
  problems(): FileProblem[] {
    const problems: FileProblem[] = [];
    for (const folder of [...this.apps.keys()].sort()) {
      const entry = this.apps.get(folder) as AppEntry;
      const files: [string, FileProblem[]][] = [...entry.broken].map(([name, problem]) => [name, [problem]]);
      for (const [name, session] of entry.sessions) {
        if (session.problems.length)
          files.push([name, session.problems.map((p) => ({ path: session.ref, ...p }))]);
      }
      files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (const [, list] of files) problems.push(...list);
    }
    return problems;
  }
}
