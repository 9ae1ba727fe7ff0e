/**
 * The command line's one way into the engine: an AppService for the length of one command, and
 * every request through `dispatch`, so the contract's schemas and limits apply here exactly as at
 * the desktop's and the browser mode's doors. A command opens its folder, sends requests, words
 * the answers, and closes the folder.
 */
import type {
  AppEvent,
  AppState,
  Envelope,
  RequestName,
  RequestParams,
  RequestResult,
} from '../../shared/contract.js';
import { AppError, type ErrorShape } from '../../shared/errors.js';
import { AppService } from '../services/appService.js';
import { defaultDataDir } from '../services/dataDir.js';
import { dispatch } from '../services/dispatch.js';
import { FileRestSessions } from '../services/push/restSessions.js';
import { CliSecretStore } from '../services/push/secretStore.js';
import { UsageError } from './exitCodes.js';
import { shellArgument } from './format.js';
import type { CliIo } from './io.js';

export interface CliEngineOptions {
  /** Read the push secret from this file (else MOBILE_SESSIONS_PUSH_SECRET). */
  secretFile?: string | null;
  /** Trust the certificate authorities of this PEM file too when pushing (`push --ca`). */
  caFile?: string | null;
}

export interface OpenOptions {
  polling?: boolean;
  /**
   * The command reads nothing from the index (the history, the push settings, changes to named
   * sessions, which read the disk): no need to wait while a cached index is checked against it.
   */
  indexUnused?: boolean;
}

/** An error answer, thrown so that runCli words it (exit 1); the whole shape stays on it. */
export class RequestFailed extends AppError {
  constructor(readonly shape: ErrorShape) {
    super(shape.code, shape.message);
  }
}

/** What AppState says about the command line's platform: the OS it runs on. */
function platformOf(os: NodeJS.Platform): AppState['platform'] {
  return os === 'darwin' || os === 'win32' ? os : 'linux';
}

export class CliEngine {
  readonly dataDir: string;
  /** Where the push secret comes from, in words (the `server` command shows it). */
  readonly secretSource: string;
  private readonly service: AppService;

  constructor(
    private readonly io: CliIo,
    options: CliEngineOptions = {},
  ) {
    this.dataDir = defaultDataDir(io.env);
    // The command line never stores a secret: it reads one from the environment or a file.
    const secrets = new CliSecretStore({ env: io.env, secretFile: options.secretFile ?? null });
    this.secretSource = secrets.description;
    const dataDir = this.dataDir;
    this.service = new AppService({
      dataDir,
      hooks: {
        // --schema: refused with its reason (exit 1) when it cannot be used; else a 4D installation, else built in.
        ...(io.schema !== undefined ? { sessionSchema: io.schema } : {}),
        platform: platformOf(process.platform),
        secrets,
        // One 4D REST session per server across runs (one licence, not one per push), owner-only.
        push: { sessions: new FileRestSessions(dataDir), caFile: options.caFile ?? null },
        // `call openDemo`: the demo generator loads only when a demo is asked for.
        createDemo: async () => (await import('../services/demo/demoFolder.js')).ensureDemo(dataDir),
      },
    });
  }

  /** One request as it travels between doors: any name and parameters in, an envelope out. */
  send(method: unknown, params: unknown): Promise<Envelope<unknown>> {
    return sendTo(this.service, this.io, method, params);
  }

  /** One request's result; an error answer is thrown as RequestFailed. */
  request<M extends RequestName>(method: M, params: RequestParams<M>): Promise<RequestResult<M>> {
    return requestTo(this.service, this.io, method, params);
  }

  /**
   * Opens a folder for this command, not remembered among the desktop's recent folders. By
   * default answered only once the index is the disk's (a cached index is checked first).
   */
  async open(root: string, options: OpenOptions = {}): Promise<AppState> {
    await this.checkLooksRight(root);
    return this.request('openRoot', {
      root,
      remember: false,
      settled: options.indexUnused !== true,
      ...(options.polling ? { polling: true } : {}),
    });
  }

  /**
   * A usage error for an empty root, an app folder given as the root (its parent is offered), or
   * a folder that does not look like a MobileApps folder unless --force: a wrong folder named by
   * mistake (".", /etc) would otherwise list its subfolders as apps.
   */
  private async checkLooksRight(root: string): Promise<void> {
    if (root.trim() === '')
      throw new UsageError('The MobileApps folder is empty: name a folder (for example ".").');
    const found = await this.request('inspectFolder', { root });
    if (found.kind === 'app-folder') {
      const parent = found.parent ?? '..';
      throw new UsageError(`${found.message} Try: mobile-sessions <command> ${shellArgument(parent)}`);
    }
    if (found.kind === 'unrecognised' && this.io.force !== true) {
      throw new UsageError(`${found.message} Add --force to open it anyway.`);
    }
  }

  /** The engine's events (deltas, state), as the other doors get them. */
  subscribe(listener: (event: AppEvent) => void): () => void {
    return this.service.subscribe(listener);
  }

  close(): Promise<void> {
    return this.service.close();
  }
}

/** One request to `service` through `dispatch`; what fails unexpectedly is written to stderr whole. */
export function sendTo(
  service: AppService,
  io: CliIo,
  method: unknown,
  params: unknown,
): Promise<Envelope<unknown>> {
  return dispatch(service, method, params, (message, error) =>
    io.stderr(
      `mobile-sessions: unexpected error: ${message}: ${error instanceof Error ? error.stack : String(error)}\n`,
    ),
  );
}

/** One request's result; an error answer is thrown as RequestFailed (runCli words it, exit 1). */
export async function requestTo<M extends RequestName>(
  service: AppService,
  io: CliIo,
  method: M,
  params: RequestParams<M>,
): Promise<RequestResult<M>> {
  const envelope = await sendTo(service, io, method, params);
  if (!envelope.ok) throw new RequestFailed(envelope.error);
  return envelope.result as RequestResult<M>;
}

/** Runs `work` with an engine, closed whatever happens. */
export async function withEngine<T>(
  io: CliIo,
  work: (engine: CliEngine) => Promise<T>,
  options: CliEngineOptions = {},
): Promise<T> {
  const engine = new CliEngine(io, options);
  try {
    return await work(engine);
  } finally {
    await engine.close();
  }
}

/** Runs `work` with `root` open (its state as the engine answered it), closed whatever happens. */
export function withFolder<T>(
  io: CliIo,
  root: string,
  work: (engine: CliEngine, state: AppState) => Promise<T>,
  options: CliEngineOptions & OpenOptions = {},
): Promise<T> {
  return withEngine(io, async (engine) => work(engine, await engine.open(root, options)), options);
}
