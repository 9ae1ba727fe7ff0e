/**
 * The engine behind the contract: one open MobileApps folder at a time, with its workspace
 * (index + watcher), its actions (status, delete, undo) and the table's queries. Every front door
 * (Electron IPC, browser-mode HTTP, the command line) calls these methods through `dispatch` and nothing else; what differs per
 * platform (revealing a file, the trash, where the demo lives) comes in as hooks.
 */
import { promises as fs } from 'node:fs';
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
import type { SessionState } from '../../shared/push.js';
import type { SessionSummary } from '../../shared/session.js';
import { folderOf } from '../../shared/text.js';
import { olderSessionsOf, previewCleanup } from './cleanup/cleanupRules.js';
import type { FourDServerDouble } from './demo/fourDServerDouble.js';
import { inspectFolder } from './folderKind.js';
import { SessionActions } from './history/sessionActions.js';
import { SessionQuery, sessionsToCsv } from './live/sessionQuery.js';
import { Workspace, type WorkspaceOptions } from './live/workspace.js';
import { PushService, type PushTransportOptions } from './push/pushService.js';
import {
  MemorySecretStore,
  pushSecretKey,
  type SecretStore,
  SecretStoreWithMemoryKeys,
} from './push/secretStore.js';
import { RecentRoots } from './recentRoots.js';
import { maskSecrets } from './session/secretMask.js';
import {
  useSessionSchema as applySessionSchema,
  findFourDSessionSchema,
  sessionSchemaInUse,
} from './session/sessionChecks.js';
import { parseSessionBytes } from './session/sessionFile.js';
import { parseRef } from './session/sessionRefs.js';
import { readSessionBytes, type TrashFunction } from './session/sessionWriter.js';

export interface PlatformHooks {
  platform: AppState['platform'];
  /** Where push secrets live, as the door chooses: the OS keychain (desktop), memory and the environment (browser mode), the environment or a file (CLI); by default this process's memory. */
  secrets?: SecretStore;
  /** How pushes travel: kept 4D sessions (memory by default), proxy, extra CAs (push/pushService.ts). */
  push?: PushTransportOptions;
  /** Shows the file in the file manager; the browser mode cannot and returns false. */
  revealFile?: (file: string) => Promise<boolean>;
  trash?: TrashFunction;
  /** Makes (or finds) the demo folder and returns its path. */
  createDemo: () => Promise<string>;
  /**
   * 4D's `mobileSessionSchema.json` (the file, or a 4D application folder) to check sessions
   * with (the CLI's --schema); absent: a 4D installation at its standard place, else the built-in schema.
   */
  sessionSchema?: string | null;
}

export interface AppServiceOptions {
  dataDir: string;
  hooks: PlatformHooks;
  workspace?: Partial<WorkspaceOptions>;
  /**
   * The only folders `openRoot` may open (the browser mode: the folder it serves and those named
   * with --allow-root), compared after resolving links; absent: any folder (the desktop app, the CLI).
   */
  openableRoots?: readonly string[];
}

/**
 * The schema sessions are checked with: the one given (refused with its reason when it cannot be
 * used), else 4D's own from an installation at its standard place, else the built-in one.
 */
function chooseSessionSchema(given: string | null): void {
  if (given !== null) {
    try {
      applySessionSchema(given);
    } catch (error) {
      throw new AppError('bad-request', error instanceof Error ? error.message : String(error));
    }
    return;
  }
  const found = findFourDSessionSchema();
  try {
    applySessionSchema(found);
  } catch {
    applySessionSchema(null); // a 4D file that cannot be used: the built-in schema, as without 4D
  }
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
  private readonly secrets: SecretStoreWithMemoryKeys;

  constructor(private readonly options: AppServiceOptions) {
    this.recent = new RecentRoots(options.dataDir);
    this.secrets = new SecretStoreWithMemoryKeys(options.hooks.secrets ?? new MemorySecretStore());
    this.push = new PushService({ ...options.hooks.push, dataDir: options.dataDir, secrets: this.secrets });
    chooseSessionSchema(options.hooks.sessionSchema ?? null);
  }

  subscribe(listener: (event: AppEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The contract's requests, by name: what the front doors dispatch to after validating parameters. */
  readonly handlers: Handlers = {
    getState: async () => this.state(),
    openRoot: async ({ root, polling, remember, settled }) => {
      await this.checkOpenable(root);
      return this.open(root, polling === true, { remember: remember !== false, settled: settled === true });
    },
    inspectFolder: async ({ root }) => {
      await this.checkOpenable(root);
      return inspectFolder(root);
    },
    openDemo: async () => {
      const root = await this.options.hooks.createDemo();
      const state = await this.open(root, false);
      this.demoRoot = root;
      // The demo's secret stays in memory: never in the OS keychain, and no keychain needed.
      this.secrets.keepInMemory(pushSecretKey(root));
      try {
        // The demo pushes to a 4D Server double, so Push can be tried without a 4D Server.
        // Loaded only now: the demo and the double stay off the engine's core path.
        const { startDemoServer } = await import('./demo/demoServer.js');
        this.demoServer = await startDemoServer(root, this.push);
      } catch (error) {
        // Nothing half-open: the folder closes with the call that failed (startDemoServer closed its double).
        await this.close();
        throw error;
      }
      return { ...state, demo: true };
    },
    closeRoot: async () => {
      await this.close();
      // Told to every listener, as an open is: the tray's count, the badge and the menus follow
      // the state events, and without one they kept the closed folder's pending count.
      const state = this.state();
      this.emit({ type: 'state', state });
      return state;
    },
    recentRoots: async () => this.recent.list(),
    listApps: async () => this.requireWorkspace().apps(),
    querySessions: async ({ filter, offset, limit }) => {
      this.requireWorkspace();
      return this.query.page(filter, offset, limit);
    },
    getSession: async ({ ref }) => this.details(ref),
    locateSession: async ({ filter, ref }) => {
      this.requireWorkspace();
      return { index: await this.query.locate(filter, ref) };
    },
    listProblems: async ({ folder }) => {
      const problems = this.requireWorkspace().problems();
      return folder == null ? problems : problems.filter((p) => folderOf(p.path) === folder);
    },
    setStatus: async ({ refs, status }) => this.applied(this.requireActions().setStatus(refs, status)),
    setStatusMatching: async ({ filter, status }) => {
      this.requireWorkspace();
      const refs = (await this.query.matching(filter)).rows.map((s) => s.ref);
      if (refs.length === 0) return { batch: null, results: [] };
      return this.applied(this.requireActions().setStatus(refs, status));
    },
    deleteSessions: async ({ refs, permanent }) =>
      this.applied(this.requireActions().delete(refs, { permanent })),
    deleteMatching: async ({ filter, permanent }) => {
      this.requireWorkspace();
      const refs = (await this.query.matching(filter)).rows.map((s) => s.ref);
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
    refresh: async () => {
      const deltas = await this.requireWorkspace().refresh();
      return { changes: deltas.length, deltas };
    },
    readHistory: async ({ from, limit }) => this.requireActions().log.page(from, limit),
    exportCsv: async ({ filter, bom }) => {
      this.requireWorkspace();
      const name = filter.folder ?? 'all-apps';
      return {
        fileName: `mobile-sessions-${name}.csv`,
        csv: sessionsToCsv((await this.query.matching(filter)).rows, { bom: bom === true }),
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
    push: async ({ server, secret }) => {
      const workspace = this.requireWorkspace();
      return this.push.push(workspace.root, {
        problems: workspace.problems(),
        ...(server !== undefined ? { server } : {}),
        ...(secret !== undefined ? { secret } : {}),
      });
    },
    forgetServerSettings: async () => {
      const root = this.requireWorkspace().root;
      const forgotten = await this.push.forgetSettings(root);
      // A secret that cannot be removed now (no keyring) is of no use without the settings anyway.
      await this.push.deleteSecret(root).catch(() => {});
      return { root, forgotten };
    },
    readServerCertificate: async ({ url, timeoutMs }) => {
      try {
        return await this.push.readCertificate(url, timeoutMs);
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError(
          'io',
          `Could not read the certificate of ${url}: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
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

  /** A session's state as the index knows it (a broken file is present, with no status). */
  private indexedState(ref: string): SessionState {
    const workspace = this.requireWorkspace();
    const { folder, id } = parseRef(ref);
    if (folder === null || !workspace.knows(folder, id)) return { present: false };
    return { present: true, status: workspace.session(folder, id)?.status ?? null };
  }

  private async pushState(): Promise<PushState> {
    const root = this.requireWorkspace().root;
    // The unpushed changes as the index knows the sessions: no file is read for the push state.
    return {
      settings: await this.push.getSettings(root),
      unpushed: await this.push.unpushed(root, (ref) => this.indexedState(ref)),
    };
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
      sessionSchema: sessionSchemaInUse(),
      ...(this.workspace ? { openedFrom: this.workspace.fromCache ? 'cache' : 'scan' } : {}),
    };
  }

  private async checkOpenable(root: string): Promise<void> {
    const allowed = this.options.openableRoots;
    if (!allowed) return;
    const real = (folder: string) => fs.realpath(path.resolve(folder)).catch(() => path.resolve(folder));
    const wanted = await real(root);
    const openable = await Promise.all(allowed.map(real));
    if (!openable.includes(wanted)) {
      throw new AppError(
        'not-allowed',
        `This browser-mode server opens only ${openable.join(', ')}: start it with --allow-root ${JSON.stringify(path.resolve(root))} to allow that folder.`,
      );
    }
  }

  private async open(
    root: string,
    polling: boolean,
    { remember = true, settled = false }: { remember?: boolean; settled?: boolean } = {},
  ): Promise<AppState> {
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
    }).catch(async (error: unknown) => {
      // A recent folder that no longer opens leaves the list, which offers only what opens.
      if (error instanceof AppError && error.code === 'root-missing')
        await this.recent.remove(absolute).catch(() => {});
      throw error;
    });
    this.workspace = workspace;
    this.actions = actions;
    this.unsubscribeWorkspace = workspace.subscribe((deltas) => this.onDeltas(deltas));
    if (remember) await this.recent.add(absolute);
    await workspace.ready;
    // A one-shot caller (a CLI command) must see the disk, not the cache it may have started from.
    if (settled) await workspace.settled;
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
      // Orders and the last filter follow the deltas (a scan-sized batch drops them).
      this.query.apply(changes);
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
