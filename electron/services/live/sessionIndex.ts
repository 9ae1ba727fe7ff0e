/**
 * The in-memory index of one MobileApps folder: apps, session summaries, broken files and the
 * file stamps that make refresh incremental. Every change goes through `applyRead` and friends,
 * which return the deltas it caused, so listeners never need whole lists.
 */
import { isDeepStrictEqual } from 'node:util';
import type { WorkspaceDelta } from '../../../shared/deltas.js';
import type { AppSummary, FileProblem, SessionSummary } from '../../../shared/session.js';
import type { FileStamp, SessionFileRead } from '../session/sessionReader.js';
import { type AppManifest, describeApp } from './appFolder.js';

export interface AppEntry {
  folder: string;
  manifest: AppManifest | null;
  /** By file name. */
  sessions: Map<string, SessionSummary>;
  /** Files that are not usable sessions, by file name (or '' for the folder itself). */
  broken: Map<string, FileProblem>;
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

export class SessionIndex {
  readonly apps = new Map<string, AppEntry>();
  /** By `<folder>/<file>`: the version of each file the index reflects. */
  readonly stamps = new Map<string, FileStamp>();

  /**
   * First-seen times the engine keeps (the app's own rewrites make new inodes): preferred to the
   * file's birth time. A session already indexed keeps its first-seen time whatever its inode.
   */
  firstSeen: ReadonlyMap<string, string> = new Map();

  /** The app summaries last reported, so count changes are reported once per batch. */
  private readonly reportedApps = new Map<string, AppSummary>();

  constructor(readonly root: string) {}

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
    const sessions = [...entry.sessions.values()];
    const app = describeApp(folder, entry.manifest, sessions);
    app.counts.problems = entry.broken.size + sessions.filter((s) => s.problems.length > 0).length;
    return app;
  }

  addApp(folder: string, manifest: AppManifest | null): WorkspaceDelta[] {
    const existing = this.apps.get(folder);
    if (existing) {
      existing.manifest = manifest;
      return this.appChanges([folder]);
    }
    this.apps.set(folder, { folder, manifest, sessions: new Map(), broken: new Map() });
    const app = this.summarizeApp(folder) as AppSummary;
    this.reportedApps.set(folder, app);
    return [{ type: 'app-added', folder, app }];
  }

  removeApp(folder: string): WorkspaceDelta[] {
    const entry = this.apps.get(folder);
    if (!entry) return [];
    for (const name of [...entry.sessions.keys(), ...entry.broken.keys()])
      this.stamps.delete(fileKey(folder, name));
    this.apps.delete(folder);
    this.reportedApps.delete(folder);
    return [{ type: 'app-removed', folder }];
  }

  /** Records what a fresh read of one file found; returns the deltas (none when nothing changed). */
  applyRead(folder: string, fileName: string, read: SessionFileRead): WorkspaceDelta[] {
    const entry = this.apps.get(folder);
    if (!entry) return [];
    const key = fileKey(folder, fileName);
    const deltas: WorkspaceDelta[] = [];
    const wasSession = entry.sessions.get(fileName);
    const wasBroken = entry.broken.get(fileName);

    if (read.kind === 'absent') this.stamps.delete(key);
    else if (read.stamp) this.stamps.set(key, read.stamp);
    else this.stamps.delete(key);

    if (read.kind === 'session') {
      const firstSeen = this.firstSeen.get(key) ?? wasSession?.firstSeen;
      if (firstSeen !== undefined && firstSeen !== read.summary.firstSeen) read.summary.firstSeen = firstSeen;
      entry.sessions.set(fileName, read.summary);
      if (!wasSession) deltas.push({ type: 'session-added', ref: key, folder, session: read.summary });
      else if (!isDeepStrictEqual(wasSession, read.summary)) {
        deltas.push({ type: 'session-changed', ref: key, folder, session: read.summary });
      }
    } else if (wasSession) {
      entry.sessions.delete(fileName);
      deltas.push({ type: 'session-removed', ref: key, folder });
    }

    if (read.kind === 'broken') {
      entry.broken.set(fileName, read.problem);
      if (!isDeepStrictEqual(wasBroken, read.problem)) {
        deltas.push({ type: 'problems-changed', path: key, folder, problems: [read.problem] });
      }
    } else if (wasBroken) {
      entry.broken.delete(fileName);
      deltas.push({ type: 'problems-changed', path: key, folder, problems: [] });
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
