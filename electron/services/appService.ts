/**
 * The engine behind the contract: one open MobileApps folder at a time, with its workspace
 * (index + watcher), its actions (status, delete, undo) and the table's queries. Every front door
 * (Electron IPC, browser-mode HTTP) calls these methods and nothing else; what differs per
 * platform (revealing a file, the trash, where the demo lives) comes in as hooks.
 */
import path from 'node:path';
import type { ChangeReport } from '../../shared/changes.js';
import type {
  AppEvent,
  AppState,
  PushState,
  RequestName,
  RequestResults,
  ResolvedParams,
  SessionDetails,
} from '../../shared/contract.js';
import type { WorkspaceDelta } from '../../shared/deltas.js';
import { AppError } from '../../shared/errors.js';
import type { SessionSummary } from '../../shared/session.js';
import { olderSessionsOf, previewCleanup } from './cleanup/cleanupRules.js';
import type { FourDServerDouble } from './demo/fourDServerDouble.js';
import { SessionActions } from './history/sessionActions.js';
import { SessionQuery, sessionsToCsv } from './live/sessionQuery.js';
import { Workspace, type WorkspaceOptions } from './live/workspace.js';
import { PushService } from './push/pushService.js';
import { CliSecretStore, MemorySecretStore, type SecretStore } from './push/secretStore.js';
import { RecentRoots } from './recentRoots.js';
import { maskSecrets } from './session/secretMask.js';
import { parseSessionBytes } from './session/sessionFile.js';
import { parseRef } from './session/sessionRefs.js';
import { readSessionBytes, type TrashFunction } from './session/sessionWriter.js';

export interface PlatformHooks {
  platform: AppState['platform'];
  /** Where push secrets live: the OS keychain (desktop); by default memory, then the environment. */
  secrets?: SecretStore;
  /** Shows the file in the file manager; the browser mode cannot and returns false. */
  revealFile?: (file: string) => Promise<boolean>;
  trash?: TrashFunction;
  /** Makes (or finds) the demo folder and returns its path. */
  createDemo: () => Promise<string>;
}

export interface AppServiceOptions {
  dataDir: string;
  hooks: PlatformHooks;
  workspace?: Partial<WorkspaceOptions>;
}

type Handlers = { [M in RequestName]: (params: ResolvedParams<M>) => Promise<RequestResults[M]> };

export class AppService {
  private workspace: Workspace | null = null;
  private actions: SessionActions | null = null;
  private demoRoot: string | null = null;
  private demoServer: FourDServerDouble | null = null;
  private scan: AppState['scan'] = null;
  private unsubscribeWorkspace: (() => void) | null = null;
  private readonly listeners = new Set<(event: AppEvent) => void>();
  private readonly recent: RecentRoots;
  private readonly query = new SessionQuery((folder) => this.sessionsOf(folder));
  readonly push: PushService;

  constructor(private readonly options: AppServiceOptions) {
    this.recent = new RecentRoots(options.dataDir);
    const secrets = options.hooks.secrets ?? new MemorySecretStore(new CliSecretStore({ env: process.env }));
    this.push = new PushService({ dataDir: options.dataDir, secrets });
  }

  subscribe(listener: (event: AppEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The contract's requests, by name: what the front doors dispatch to after validating parameters. */
  readonly handlers: Handlers = {
    getState: async () => this.state(),
    openRoot: async ({ root, polling }) => this.open(root, polling === true),
    openDemo: async () => {
      const root = await this.options.hooks.createDemo();
      const state = await this.open(root, false);
      this.demoRoot = root;
      // The demo pushes to a 4D Server double, so Push can be tried without a 4D Server.
      // Loaded only now: the demo and the double stay off the engine's core path.
      const { startDemoServer } = await import('./demo/demoServer.js');
      this.demoServer = await startDemoServer(root, this.push);
      return { ...state, demo: true };
    },
    closeRoot: async () => {
      await this.close();
      return this.state();
    },
    recentRoots: async () => this.recent.list(),
    listApps: async () => this.requireWorkspace().apps(),
    querySessions: async ({ filter, offset, limit }) => {
      this.requireWorkspace();
      return this.query.page(filter, offset, limit);
    },
    getSession: async ({ ref }) => this.details(ref),
    listProblems: async () => this.requireWorkspace().problems(),
    setStatus: async ({ refs, status }) => this.applied(this.requireActions().setStatus(refs, status)),
    setStatusMatching: async ({ filter, status }) => {
      this.requireWorkspace();
      const refs = this.query.matching(filter).rows.map((s) => s.ref);
      if (refs.length === 0) return { batch: null, results: [] };
      return this.applied(this.requireActions().setStatus(refs, status));
    },
    deleteSessions: async ({ refs, permanent }) =>
      this.applied(this.requireActions().delete(refs, { permanent })),
    deleteMatching: async ({ filter, permanent }) => {
      this.requireWorkspace();
      const refs = this.query.matching(filter).rows.map((s) => s.ref);
      if (refs.length === 0) return { batch: null, results: [] };
      return this.applied(this.requireActions().delete(refs, { permanent }));
    },
    previewCleanup: async ({ folder, rules }) => {
      this.requireWorkspace();
      return previewCleanup(this.sessionsOf(folder), rules);
    },
    cleanup: async ({ folder, rules, token, except, permanent }) => {
      this.requireWorkspace();
      const preview = previewCleanup(this.sessionsOf(folder), rules);
      if (preview.token !== token) {
        throw new AppError(
          'conflict',
          'The sessions changed since the preview: nothing was removed. Preview again.',
        );
      }
      const unticked = new Set(except);
      const refs = preview.candidates.map((c) => c.ref).filter((ref) => !unticked.has(ref));
      if (refs.length === 0) return { batch: null, results: [] };
      return this.applied(this.requireActions().delete(refs, { permanent }));
    },
    undo: async ({ batch }) => this.applied(this.requireActions().undo({ batch: batch ?? null })),
    reveal: async ({ ref }) => {
      const file = this.fileOf(ref);
      const revealed = (await this.options.hooks.revealFile?.(file)) ?? false;
      return { path: file, revealed };
    },
    refresh: async () => ({ changes: (await this.requireWorkspace().refresh()).length }),
    exportCsv: async ({ filter }) => {
      this.requireWorkspace();
      const name = filter.folder ?? 'all-apps';
      return {
        fileName: `mobile-sessions-${name}.csv`,
        csv: sessionsToCsv(this.query.matching(filter).rows),
      };
    },
    getPushState: async () => this.pushState(),
    saveServerSettings: async ({ settings, secret }) => {
      const root = this.requireWorkspace().root;
      await this.push.saveSettings(root, settings);
      if (secret !== undefined) await this.push.setSecret(root, secret);
      return this.pushState();
    },
    prePushCheck: async () => {
      const workspace = this.requireWorkspace();
      return this.push.check(workspace.root, { problems: workspace.problems() });
    },
    push: async () => {
      const workspace = this.requireWorkspace();
      return this.push.push(workspace.root, { problems: workspace.problems() });
    },
  };

  /**
   * The engine's own writes reach its index (and every listener, as deltas) before the change
   * returns: the Status control never snaps back while the watcher has yet to see the file.
   */
  private async applied(change: Promise<ChangeReport>): Promise<ChangeReport> {
    const report = await change;
    await this.workspace?.reread(report.results.map((result) => result.ref));
    return report;
  }

  private async pushState(): Promise<PushState> {
    const root = this.requireWorkspace().root;
    return { settings: await this.push.getSettings(root), unpushed: await this.push.unpushed(root) };
  }

  async close(): Promise<void> {
    this.unsubscribeWorkspace?.();
    this.unsubscribeWorkspace = null;
    const workspace = this.workspace;
    this.workspace = null;
    this.actions = null;
    this.demoRoot = null;
    await this.demoServer?.close();
    this.demoServer = null;
    this.scan = null;
    this.query.invalidate();
    await workspace?.close();
  }

  state(): AppState {
    return {
      root: this.workspace?.root ?? null,
      demo: this.workspace !== null && this.workspace.root === this.demoRoot,
      watcher: this.workspace?.watcherState ?? { state: 'stopped', message: 'No folder open.' },
      scan: this.scan,
      revealKind: this.options.hooks.revealFile ? 'file-manager' : 'path',
      platform: this.options.hooks.platform,
    };
  }

  private async open(root: string, polling: boolean): Promise<AppState> {
    const absolute = path.resolve(root);
    await this.close();
    const actions = new SessionActions({
      root: absolute,
      dataDir: this.options.dataDir,
      trash: this.options.hooks.trash,
    });
    // What a crashed run left (files moved aside, intents without outcome) is settled before the scan.
    await actions.start().catch(() => {});
    const workspace = await Workspace.open(absolute, {
      dataDir: this.options.dataDir,
      polling,
      firstSeen: actions.firstSeen(),
      ...this.options.workspace,
    });
    this.workspace = workspace;
    this.actions = actions;
    this.unsubscribeWorkspace = workspace.subscribe((deltas) => this.onDeltas(deltas));
    await this.recent.add(absolute);
    await workspace.ready;
    this.scan = null;
    this.query.invalidate();
    void workspace.settled.then(() => this.query.warmUp()).catch(() => {});
    const state = this.state();
    this.emit({ type: 'state', state });
    return state;
  }

  private onDeltas(deltas: WorkspaceDelta[]): void {
    let stateChanged = false;
    for (const delta of deltas) {
      if (delta.type === 'scan-progress') {
        this.scan = delta.scanned < delta.total ? { scanned: delta.scanned, total: delta.total } : null;
        stateChanged = true;
      } else if (delta.type === 'watcher-state') {
        stateChanged = true;
      }
    }
    const changes = deltas.filter((d) => d.type !== 'scan-progress' && d.type !== 'watcher-state');
    if (changes.length > 0) {
      this.query.invalidate();
      this.emit({ type: 'deltas', deltas: changes });
    }
    if (stateChanged) this.emit({ type: 'state', state: this.state() });
  }

  private emit(event: AppEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One broken listener (a closed connection) must not stop the others.
      }
    }
  }

  private requireWorkspace(): Workspace {
    if (!this.workspace) throw new AppError('root-missing', 'No MobileApps folder is open: open one first.');
    return this.workspace;
  }

  private requireActions(): SessionActions {
    this.requireWorkspace();
    return this.actions as SessionActions;
  }

  private sessionsOf(folder: string | null): SessionSummary[] {
    return this.workspace?.sessions(folder) ?? [];
  }

  /**
   * A reference to a file the index knows (a session or a broken file) inside the open root:
   * checked, never a path from the caller.
   */
  private fileOf(ref: string): string {
    const workspace = this.requireWorkspace();
    const { folder, id } = parseRef(ref);
    if (folder === null) throw new AppError('bad-ref', 'Name the session as "<app folder>/<session id>".');
    if (!workspace.knows(folder, id)) throw new AppError('unknown-ref', `No session ${ref} in this folder.`);
    return path.join(workspace.root, folder, id);
  }

  private async details(ref: string): Promise<SessionDetails> {
    const file = this.fileOf(ref);
    const { folder, id } = parseRef(ref);
    const summary = this.requireWorkspace().session(folder ?? '', id);
    if (!summary) throw new AppError('unknown-ref', `No session ${ref} in this folder.`);
    const { bytes } = await readSessionBytes(file);
    const parsed = parseSessionBytes(bytes);
    const json = parsed.ok ? JSON.stringify(maskSecrets(parsed.json), null, 2) : '';
    return { summary, json, path: file, olderSessions: olderSessionsOf(this.sessionsOf(folder), summary) };
  }
}
