/**
 * The 4D Server double: a small HTTP(S) server, for tests and demos, that answers like the 4D code
 * of docs/push.md and keeps a session table the way MOBILE APP REFRESH SESSIONS is documented to.
 * It is a test double, not a 4D Server.
 *
 * What it does:
 * - listens on 127.0.0.1 only (port 0: a free port), over HTTP, or HTTPS with the certificate given;
 * - `POST /mobile-sessions/refresh` (the HTTP request handler route): checks
 *   `Authorization: Bearer <secret>` (401 otherwise), refreshes, answers
 *   `{"success": …, "errors": [{"component", "code", "message"}]}`;
 * - `POST /rest/$catalog/authentify` and `POST /rest/$catalog/refreshMobileSessions` (the REST class
 *   function route): with `restLogin`, the refresh needs the session cookie set by a successful
 *   login (401 otherwise); answers wrapped in `{"result": …}` as the 4D REST server wraps a
 *   function's value;
 * - loads its in-memory session table from the folder at start (the engine's scan: the files that
 *   pass the format page's checks); on refresh, reloads the files that changed (or are new),
 *   removes the deleted ones, drops the ones failing the checks and returns one `mobi` error per
 *   failing file, its message naming the file;
 * - plays devices logging in (`login`): writes a new valid session file, pending or accepted, as 4D
 *   would, and adds it to the table;
 * - on request: a delay before answering, garbage answers, a wrong-shape answer, a 500.
 *
 * What it does not do: run 4D code or 4D's real checks (it uses this app's reading of them, with
 * this app's wording in the messages: 4D's own messages may not name the file); serve anything
 * else of 4D's web or REST servers (other URLs answer 404, other verbs 405, REST errors have its
 * own shape); know how 4D treats files it cannot read at all (links, unreadable, oversized): it
 * drops them and reports mobi 2, a guess; whether 4D loads a file that appears on disk
 * (an undone delete): it does; authenticate devices, send push notifications, count licenses,
 * expire sessions.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { SessionStatus } from '../../../shared/session.js';
import { scanRoot } from '../live/scanRoot.js';
import { splitAppFolderName } from '../session/sessionNames.js';
import type { FileStamp } from '../session/sessionReader.js';
import { encodeSessionToken } from './demoFolder.js';

/** `garbage`: an HTML page; `wrong-shape`: JSON that is not the Push answer; `server-error`: HTTP 500. */
export type DoubleAnswerMode = 'normal' | 'garbage' | 'wrong-shape' | 'server-error';

export interface FourDServerDoubleOptions {
  /** The MobileApps folder the "server" owns. */
  root: string;
  /** 0 (default): a free port. The host is always 127.0.0.1. */
  port?: number;
  /** The bearer secret of the HTTP handler route; null: no check (not what docs/push.md installs). */
  secret?: string | null;
  /** Forced login on the REST route: the refresh needs a session logged in with these. */
  restLogin?: { user: string; password: string } | null;
  handlerPath?: string;
  loginFunction?: string;
  restFunction?: string;
  /** Milliseconds to wait before answering each request. */
  delayMs?: number;
  answer?: DoubleAnswerMode;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer } | null;
}

export interface DoubleRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the last refresh did to the table. */
export interface DoubleRefresh {
  reloaded: string[];
  removed: string[];
  dropped: string[];
  errors: { component: string; code: number; message: string }[];
}

export interface DoubleLogin {
  /** The app folder: `<team id>.<bundle id>` (iOS) or `<bundle id>` (Android). */
  folder: string;
  email?: string;
  status: SessionStatus;
  appName?: string;
  /** Device fields to set (description, os, version, id, simulator…). */
  device?: Record<string, unknown>;
}

interface TableEntry {
  status: SessionStatus;
  stamp: FileStamp | undefined;
}

/** The texts of 4D's documented mobi errors (MOBILE APP REFRESH SESSIONS). */
const MOBI_TEXT: Record<number, string> = {
  1: 'The json file location does not match its content',
  2: 'The json file is not correctly formed',
  3: 'The json file does not validate the json schema',
  4: 'Connection token is not compliant with the current information',
};

const SESSION_COOKIE = '4DSID_MobileSessionsDouble';
const MAX_BODY_BYTES = 64 * 1024;

const sameStamp = (a: FileStamp | undefined, b: FileStamp | undefined) =>
  a !== undefined &&
  b !== undefined &&
  a.ino === b.ino &&
  a.size === b.size &&
  a.mtimeMs === b.mtimeMs &&
  a.ctimeMs === b.ctimeMs;

export class FourDServerDouble {
  /** The in-memory session table: status by ref, as the "server" knows it. */
  private readonly table = new Map<string, TableEntry>();
  private readonly sessions = new Map<string, { privileged: boolean }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly requests: DoubleRequest[] = [];
  refreshCount = 0;
  lastRefresh: DoubleRefresh | null = null;
  delayMs: number;
  answer: DoubleAnswerMode;
  readonly root: string;
  private server!: http.Server;
  private port = 0;

  private constructor(private readonly options: FourDServerDoubleOptions) {
    this.root = path.resolve(options.root);
    this.delayMs = options.delayMs ?? 0;
    this.answer = options.answer ?? 'normal';
  }

  /** Loads the table from the folder, then listens on 127.0.0.1. */
  static async start(options: FourDServerDoubleOptions): Promise<FourDServerDouble> {
    const double = new FourDServerDouble(options);
    await double.load();
    await double.listen();
    return double;
  }

  get protocol(): 'http' | 'https' {
    return this.options.tls ? 'https' : 'http';
  }

  /** `http://127.0.0.1:<port>` */
  get origin(): string {
    return `${this.protocol}://127.0.0.1:${this.port}`;
  }

  get handlerPath(): string {
    return this.options.handlerPath ?? '/mobile-sessions/refresh';
  }

  get handlerUrl(): string {
    return `${this.origin}${this.handlerPath}`;
  }

  get restUrl(): string {
    return `${this.origin}/rest/$catalog/${this.options.restFunction ?? 'refreshMobileSessions'}`;
  }

  get loginUrl(): string {
    return `${this.origin}/rest/$catalog/${this.options.loginFunction ?? 'authentify'}`;
  }

  /** The status the "server" holds in memory for a ref, or undefined when it holds no such session. */
  statusOf(ref: string): SessionStatus | undefined {
    return this.table.get(ref)?.status;
  }

  /** Every ref in memory, sorted. */
  refs(): string[] {
    return [...this.table.keys()].sort();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // --- the session table -----------------------------------------------------------------------

  private async load(): Promise<void> {
    const scan = await scanRoot(this.root);
    for (const app of scan.apps) {
      for (const session of app.sessions) {
        if (session.problems.length === 0 && session.status) {
          this.table.set(session.ref, { status: session.status, stamp: scan.stamps.get(session.ref) });
        }
      }
    }
  }

  /** What MOBILE APP REFRESH SESSIONS does, as documented: re-read, reload, remove, drop, report. */
  async refresh(): Promise<DoubleRefresh> {
    this.refreshCount += 1;
    const scan = await scanRoot(this.root);
    const result: DoubleRefresh = { reloaded: [], removed: [], dropped: [], errors: [] };
    const valid = new Set<string>();
    for (const app of scan.apps) {
      for (const session of app.sessions) {
        if (session.problems.length > 0 || !session.status) continue;
        valid.add(session.ref);
        const stamp = scan.stamps.get(session.ref);
        const known = this.table.get(session.ref);
        if (!known || !sameStamp(known.stamp, stamp)) {
          this.table.set(session.ref, { status: session.status, stamp });
          result.reloaded.push(session.ref);
        }
      }
    }
    const failing = new Map<string, number>();
    for (const problem of scan.problems)
      if (!failing.has(problem.path)) failing.set(problem.path, problem.mobi ?? 2);
    for (const [file, code] of failing) {
      if (this.table.delete(file)) result.dropped.push(file);
      result.errors.push({ component: 'mobi', code, message: `${MOBI_TEXT[code]}: ${file}` });
    }
    for (const ref of [...this.table.keys()]) {
      if (!valid.has(ref) && !failing.has(ref)) {
        this.table.delete(ref);
        result.removed.push(ref);
      }
    }
    this.lastRefresh = result;
    return result;
  }

  /** A device logs in: 4D writes its new session file (pending or accepted) and knows it at once. */
  async login(device: DoubleLogin): Promise<{ ref: string; id: string; file: string }> {
    const { teamId, bundleId } = splitAppFolderName(device.folder);
    const id = randomBytes(20).toString('hex');
    const ios = teamId !== null;
    const json = {
      application: { id: bundleId, name: device.appName ?? bundleId.split('.').at(-1), version: '1.0.0' },
      ...(teamId ? { team: { id: teamId } } : {}),
      language: { id: 'en_US', code: 'en', region: 'US' },
      email: device.email ?? '',
      device: {
        ...(ios
          ? { description: 'iPhone 15 Pro', version: '17.5.1', id: randomUUID().toUpperCase(), os: 'iOS' }
          : {
              description: 'Pixel 8',
              version: '34 (Android UPSIDE_DOWN_CAKE)',
              id: randomBytes(8).toString('hex'),
              os: 'Android',
              simulator: false,
            }),
        ...device.device,
      },
      ...(ios ? { send: 'link' } : {}),
      session: { id, ip: '::ffff:127.0.0.1' },
      status: device.status,
      token: encodeSessionToken(bundleId, id, teamId),
    };
    const folder = path.join(this.root, device.folder);
    await fs.mkdir(folder, { recursive: true });
    const file = path.join(folder, id);
    await fs.writeFile(file, JSON.stringify(json, null, 2), { flag: 'wx' });
    const stats = await fs.lstat(file);
    const ref = `${device.folder}/${id}`;
    this.table.set(ref, {
      status: device.status,
      stamp: { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs },
    });
    return { ref, id, file };
  }

  // --- HTTP ------------------------------------------------------------------------------------

  private listen(): Promise<void> {
    const handler = (request: http.IncomingMessage, response: http.ServerResponse) => {
      this.receive(request, response);
    };
    this.server = this.options.tls
      ? https.createServer({ key: this.options.tls.key, cert: this.options.tls.cert }, handler)
      : http.createServer(handler);
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => {
        this.port = (this.server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private receive(request: http.IncomingMessage, response: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      this.requests.push({
        method: request.method ?? '',
        path: url.pathname,
        headers: request.headers,
        body,
      });
      const answer = () => {
        this.route(request.method ?? '', url.pathname, request.headers, body, response).catch(
          (error: unknown) => {
            this.json(response, 500, {
              success: false,
              errors: [{ component: 'double', code: 500, message: String(error) }],
            });
          },
        );
      };
      if (this.delayMs > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          answer();
        }, this.delayMs);
        this.timers.add(timer);
      } else {
        answer();
      }
    });
  }

  private json(
    response: http.ServerResponse,
    status: number,
    value: unknown,
    headers: Record<string, string> = {},
  ): void {
    if (response.writableEnded || response.destroyed) return;
    response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(value));
  }

  private async route(
    method: string,
    pathname: string,
    headers: http.IncomingHttpHeaders,
    body: string,
    response: http.ServerResponse,
  ): Promise<void> {
    const routes = [this.handlerPath, new URL(this.restUrl).pathname, new URL(this.loginUrl).pathname];
    if (!routes.includes(decodeURIComponent(pathname))) {
      response.writeHead(404, { 'Content-Type': 'text/html' });
      response.end('<html><body>404 Not Found</body></html>');
      return;
    }
    if (method !== 'POST') {
      response.writeHead(405, { Allow: 'POST' });
      response.end();
      return;
    }
    if (this.answer === 'garbage') {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<html><body><h1>It works!</h1></body></html>');
      return;
    }
    if (this.answer === 'wrong-shape') return this.json(response, 200, { status: 'ok', reloaded: true });
    if (this.answer === 'server-error') {
      return this.json(response, 500, {
        success: false,
        errors: [{ component: 'MobileSessions', code: 500, message: 'The double was told to fail.' }],
      });
    }
    const target = decodeURIComponent(pathname);
    if (target === this.handlerPath) return this.handlerRoute(headers, response);
    if (target === new URL(this.loginUrl).pathname) return this.loginRoute(headers, body, response);
    return this.restRoute(headers, response);
  }

  /** The HTTP request handler of docs/push.md (4D 20 R8+): bearer secret, then refresh. */
  private async handlerRoute(
    headers: http.IncomingHttpHeaders,
    response: http.ServerResponse,
  ): Promise<void> {
    const secret = this.options.secret;
    if (secret !== null && secret !== undefined && headers.authorization !== `Bearer ${secret}`) {
      return this.json(response, 401, {
        success: false,
        errors: [{ component: 'MobileSessions', code: 401, message: 'Missing or wrong secret.' }],
      });
    }
    const { errors } = await this.refresh();
    this.json(response, 200, { success: errors.length === 0, errors });
  }

  private sessionOf(headers: http.IncomingHttpHeaders): string | null {
    const cookie = headers.cookie ?? '';
    const match = new RegExp(`(?:^|;\\s*)${SESSION_COOKIE}=([^;]+)`).exec(cookie);
    return match?.[1] ?? null;
  }

  /** The exposed login function of docs/push.md, called by the REST login flow. */
  private loginRoute(headers: http.IncomingHttpHeaders, body: string, response: http.ServerResponse): void {
    let sessionId = this.sessionOf(headers);
    const setCookie: Record<string, string> = {};
    if (!sessionId || !this.sessions.has(sessionId)) {
      sessionId = randomUUID().replace(/-/g, '').toUpperCase();
      this.sessions.set(sessionId, { privileged: false });
      setCookie['Set-Cookie'] = `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly`;
    }
    let credentials: unknown;
    try {
      credentials = (JSON.parse(body) as unknown[])[0];
    } catch {
      credentials = null;
    }
    const expected = this.options.restLogin;
    const given = credentials as { user?: unknown; password?: unknown } | null;
    const ok =
      expected !== null &&
      expected !== undefined &&
      given?.user === expected.user &&
      given?.password === expected.password;
    (this.sessions.get(sessionId) as { privileged: boolean }).privileged = ok;
    this.json(response, 200, { result: { success: ok } }, setCookie);
  }

  /** The exposed DataStore function of docs/push.md (the REST route). */
  private async restRoute(headers: http.IncomingHttpHeaders, response: http.ServerResponse): Promise<void> {
    if (this.options.restLogin) {
      const session = this.sessions.get(this.sessionOf(headers) ?? '');
      if (!session?.privileged) {
        return this.json(response, 401, {
          __ERROR: [{ message: "This session has no privilege to run the function (the double's wording)." }],
        });
      }
    }
    const { errors } = await this.refresh();
    this.json(response, 200, { result: { success: errors.length === 0, errors } });
  }
}
