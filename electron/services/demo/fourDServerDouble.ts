/**
 * The 4D Server double: a small HTTP(S) server, for tests and demos, that plays a 4D Server
 * running the 4D code of docs/push.md, as faithfully as 4D's documentation allows. It is a test
 * double, not a 4D Server: no 4D Server can run where the tests run.
 *
 * What it plays, and where each behaviour comes from:
 * - Route A, the HTTP request handler (HTTPHandlers.json, 4D 20 R8): the handler code of
 *   docs/push.md step by step: the SHA-256 digest read from `<data folder>/MobileSessions/
 *   push-secret.sha256`, `Authorization: Bearer` checked against it, the answer built with a
 *   4D.OutgoingMessage (fourDWeb.ts: `setBody(Object)` makes it application/json, a Text would
 *   make it text/plain). Set-up faults on request: the handler not loaded (web server not
 *   restarted: a 404, or the `On Web Connection` page), "Cannot find singleton",
 *   "Cannot find singleton function", and guest without "execute" in roles.json (403).
 * - Route B, the REST function (DataStore class): forced login (roles.json `forceLogin`): only
 *   `authentify` runs in a guest session; the docs' login function answers `{"success": …}`, or
 *   4D's own example login, which returns a Text ("Wrong password"); `Session.setPrivileges()`
 *   takes a 4D Client licence and fails when none is free; the session cookie `4DSID_<project>`
 *   lasts 60 minutes idle. A session without the privilege gets 4D's `__ERROR` (dbmg 1561,
 *   "No permission to execute method …"). The REST server can be off ("Expose as REST server").
 * - MOBILE APP REFRESH SESSIONS: re-reads the folder, reloads changed files, removes deleted
 *   ones, drops failing ones, and reports one mobi error per failing file, in 4D's documented
 *   wording (which does not name the file), judged by its own reading of 4D's checks
 *   (fourDSessionRules.ts), not by this app's.
 * - Devices logging in (`login`): a new session file written as 4D writes one, known at once.
 * - On request: a delay, garbage, a wrong-shape answer, a 500.
 *
 * What is inferred, not documented (so the app stays tolerant of it): the HTTP status of a
 * permission refusal (403 here) and of "Cannot find singleton" (500 here, as plain text); how
 * 4D refuses a legacy-mode REST session when no licence is free (403 with an `__ERROR` here);
 * whether 4D reports one error per failing file; what it does with files it cannot read at all
 * (mobi 2 here); that `Set-Cookie` comes again with each answer, with the new expiry; and
 * whether it reloads a file that reappears (an undone delete; it does here).
 * What it does not do: authenticate devices, send notifications, serve anything else of 4D.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { promises as fs, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import type { SessionStatus } from '../../../shared/session.js';
import { encodeSessionToken } from './demoFolder.js';
import { compileSessionSchema, FORMAT_PAGE_SCHEMA, MOBI_TEXT, mobiCodeOf } from './fourDSessionRules.js';
import {
  OutgoingMessageDouble,
  permits,
  pushRolesJson,
  type RolesJson,
  SESSION_IDLE_MS,
  type WebSession,
  WebSessions,
} from './fourDWeb.js';

/** `garbage`: an HTML page; `wrong-shape`: JSON that is not the Push answer; `server-error`: HTTP 500. */
export type DoubleAnswerMode = 'normal' | 'garbage' | 'wrong-shape' | 'server-error';

/** How HTTPHandlers.json is set up on the "server". */
export type DoubleHandlerSetup = 'loaded' | 'not-loaded' | 'no-singleton' | 'no-function';

export interface FourDServerDoubleOptions {
  /** The MobileApps folder the "server" owns. */
  root: string;
  /** 0 (default): a free port. The host is always 127.0.0.1. */
  port?: number;
  /** Serve HTTPS with this key and certificate (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer } | null;
  /** The data folder (4D's `Folder("/DATA")`); default: a temporary folder of its own, removed on close. */
  dataFolder?: string;
  /**
   * The push secret: its SHA-256 is written to `<data folder>/MobileSessions/push-secret.sha256`
   * at start, as docs/push.md section 2 has the admin do. The double then reads that file, never
   * this value. null or absent: no file (the handler answers that no secret is set up).
   */
  secret?: string | null;
  /** The project name: the session cookie is `4DSID_<project>`. */
  project?: string;
  handlerPath?: string;
  handler?: DoubleHandlerSetup;
  /** What the `On Web Connection` database method answers to a URL nothing else handles (else a 404 page). */
  onWebConnection?: string | null;
  /** Whether "Expose as REST server" is on (default true). */
  restServer?: boolean;
  /** The user the docs' login function accepts (default `mobile-sessions`). */
  restUser?: string;
  /** `docs`: docs/push.md's authentify; `4d-example`: 4D's documentation example, which returns a Text. */
  loginFunction?: 'docs' | '4d-example';
  restFunction?: string;
  /** roles.json (default: a 20 R6+ project's, with docs/push.md's entries); `forceLogin` picks the login mode. */
  roles?: RolesJson;
  /** 4D Client licences the "server" has (default 5). */
  licences?: number;
  /** The double's clock (session expiry); default Date.now. */
  now?: () => number;
  /** The schema 4D validates sessions with (4D's mobileSessionSchema.json); default: the format page's table. */
  sessionSchema?: object;
  /** Name the file in each mobi error's message (this app's wording, not 4D's). */
  errorsNameFiles?: boolean;
  /** Milliseconds to wait before answering each request. */
  delayMs?: number;
  answer?: DoubleAnswerMode;
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

interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

interface TableEntry {
  status: SessionStatus;
  stamp: FileStamp;
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

const MAX_BODY_BYTES = 64 * 1024;
const MAX_SESSION_BYTES = 1024 * 1024;
const HEX_NAME = /^[0-9a-f]+$/i;

const sameStamp = (a: FileStamp, b: FileStamp) =>
  a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs;

const json = (status: number, value: unknown, headers: Record<string, string> = {}): Answer => ({
  status,
  headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
  body: Buffer.from(JSON.stringify(value), 'utf8'),
});

const text = (status: number, body: string, type = 'text/html'): Answer => ({
  status,
  headers: { 'Content-Type': type },
  body: Buffer.from(body, 'utf8'),
});

/** 4D's REST error answer (https://developer.4d.com/docs/REST/{dataClass}_{method}). */
const restError = (status: number, message: string, errCode: number) =>
  json(status, { __ERROR: [{ message, componentSignature: 'dbmg', errCode }] });

export class FourDServerDouble {
  /** The in-memory session table: status by ref, as the "server" knows it. */
  private readonly table = new Map<string, TableEntry>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly validate: ValidateFunction;
  private readonly ownDataFolder: string | null;
  readonly dataFolder: string;
  readonly requests: DoubleRequest[] = [];
  readonly web: WebSessions;
  roles: RolesJson;
  handler: DoubleHandlerSetup;
  restServer: boolean;
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
    this.handler = options.handler ?? 'loaded';
    this.restServer = options.restServer ?? true;
    this.roles = options.roles ?? pushRolesJson();
    this.validate = compileSessionSchema(options.sessionSchema ?? FORMAT_PAGE_SCHEMA);
    this.ownDataFolder = options.dataFolder ? null : mkdtempSync(path.join(os.tmpdir(), 'ms-4d-data-'));
    this.dataFolder = options.dataFolder ?? (this.ownDataFolder as string);
    this.web = new WebSessions(
      `4DSID_${options.project ?? 'MobileSessionsDouble'}`,
      options.licences ?? 5,
      options.now ?? Date.now,
      SESSION_IDLE_MS,
    );
  }

  /** Writes the secret's digest (when given), loads the table from the folder, then listens on 127.0.0.1. */
  static async start(options: FourDServerDoubleOptions): Promise<FourDServerDouble> {
    const double = new FourDServerDouble(options);
    if (options.secret) await double.setSecret(options.secret);
    double.load();
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

  get restFunction(): string {
    return this.options.restFunction ?? 'refreshMobileSessions';
  }

  get restUrl(): string {
    return `${this.origin}/rest/$catalog/${this.restFunction}`;
  }

  get loginUrl(): string {
    return `${this.origin}/rest/$catalog/authentify`;
  }

  /** `<data folder>/MobileSessions/push-secret.sha256` */
  get secretFile(): string {
    return path.join(this.dataFolder, 'MobileSessions', 'push-secret.sha256');
  }

  /** What docs/push.md section 2 has the admin do: the SHA-256 of the secret, in the data folder. */
  async setSecret(secret: string): Promise<void> {
    await fs.mkdir(path.dirname(this.secretFile), { recursive: true });
    await fs.writeFile(this.secretFile, `${createHash('sha256').update(secret, 'utf8').digest('hex')}\n`);
  }

  /** The status the "server" holds in memory for a ref, or undefined when it holds no such session. */
  statusOf(ref: string): SessionStatus | undefined {
    return this.table.get(ref)?.status;
  }

  /** Every ref in memory, sorted. */
  refs(): string[] {
    return [...this.table.keys()].sort();
  }

  /** 4D Client licences held by REST sessions now. */
  get licencesInUse(): number {
    return this.web.licencesInUse;
  }

  /** What a restart does to the web server: every session closed, every licence released. */
  restartWebServer(): void {
    this.web.closeAll();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    if (this.ownDataFolder) rmSync(this.ownDataFolder, { recursive: true, force: true });
  }

  // --- the session table (MOBILE APP REFRESH SESSIONS) ------------------------------------------

  /** Every candidate session file, with its mobi code (null: loads) and its stamp. */
  private readFolder(): {
    ref: string;
    code: number | null;
    status: SessionStatus | null;
    stamp: FileStamp;
  }[] {
    const files: { ref: string; code: number | null; status: SessionStatus | null; stamp: FileStamp }[] = [];
    const folders = readdirSync(this.root, { withFileTypes: true }).filter(
      (entry) => entry.isDirectory() && !entry.name.startsWith('.'),
    );
    for (const folder of folders) {
      let names: string[];
      try {
        names = readdirSync(path.join(this.root, folder.name));
      } catch {
        continue;
      }
      for (const name of names.filter((n) => HEX_NAME.test(n))) {
        const file = path.join(this.root, folder.name, name);
        let bytes: Buffer | null = null;
        let stamp: FileStamp = { ino: 0, size: 0, mtimeMs: 0, ctimeMs: 0 };
        try {
          const stats = lstatSync(file);
          if (stats.isDirectory()) continue;
          stamp = { ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
          if (stats.isFile() && stats.size <= MAX_SESSION_BYTES) bytes = readFileSync(file);
        } catch {
          bytes = null;
        }
        const code = mobiCodeOf(folder.name, name, bytes, this.validate);
        const status =
          code === null
            ? (JSON.parse((bytes as Buffer).toString('utf8').replace(/^\uFEFF/, '')).status as SessionStatus)
            : null;
        files.push({ ref: `${folder.name}/${name}`, code, status, stamp });
      }
    }
    return files;
  }

  private load(): void {
    for (const file of this.readFolder()) {
      if (file.code === null && file.status)
        this.table.set(file.ref, { status: file.status, stamp: file.stamp });
    }
  }

  /** What MOBILE APP REFRESH SESSIONS does, as documented: re-read, reload, remove, drop, report. */
  refresh(): DoubleRefresh {
    this.refreshCount += 1;
    const result: DoubleRefresh = { reloaded: [], removed: [], dropped: [], errors: [] };
    const seen = new Set<string>();
    for (const file of this.readFolder()) {
      seen.add(file.ref);
      if (file.code !== null) {
        if (this.table.delete(file.ref)) result.dropped.push(file.ref);
        const message = MOBI_TEXT[file.code] ?? '';
        result.errors.push({
          component: 'mobi',
          code: file.code,
          message: this.options.errorsNameFiles ? `${message}: ${file.ref}` : message,
        });
        continue;
      }
      const known = this.table.get(file.ref);
      if (file.status && (!known || !sameStamp(known.stamp, file.stamp))) {
        this.table.set(file.ref, { status: file.status, stamp: file.stamp });
        result.reloaded.push(file.ref);
      }
    }
    for (const ref of [...this.table.keys()]) {
      if (!seen.has(ref)) {
        this.table.delete(ref);
        result.removed.push(ref);
      }
    }
    this.lastRefresh = result;
    return result;
  }

  /** A device logs in: 4D writes its new session file (pending or accepted) and knows it at once. */
  async login(device: DoubleLogin): Promise<{ ref: string; id: string; file: string }> {
    const match = /^([A-Z0-9]{10})\.(.+)$/.exec(device.folder);
    const teamId = match?.[1] ?? null;
    const bundleId = match?.[2] ?? device.folder;
    const id = randomBytes(20).toString('hex');
    const ios = teamId !== null;
    const session = {
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
    await fs.writeFile(file, JSON.stringify(session, null, 2), { flag: 'wx' });
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
      const method = request.method ?? '';
      this.requests.push({ method, path: url.pathname, headers: request.headers, body });
      const send = () => {
        let answer: Answer;
        try {
          answer = this.route(method, decodeURIComponent(url.pathname), request.headers, body);
        } catch (error) {
          answer = json(500, {
            success: false,
            errors: [{ component: 'double', code: 500, message: String(error) }],
          });
        }
        if (response.writableEnded || response.destroyed) return;
        response.writeHead(answer.status, answer.headers);
        response.end(answer.body);
      };
      if (this.delayMs > 0) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          send();
        }, this.delayMs);
        this.timers.add(timer);
      } else {
        send();
      }
    });
  }

  /** What 4D's web server does with a URL nothing else handles: `On Web Connection`, else a 404 page. */
  private defaultWebProcessing(): Answer {
    if (this.options.onWebConnection != null) return text(200, this.options.onWebConnection);
    return text(404, '<html><body><h1>404 Not Found</h1></body></html>');
  }

  private route(method: string, pathname: string, headers: http.IncomingHttpHeaders, body: string): Answer {
    const isHandler = pathname === this.handlerPath;
    const isRest = pathname.startsWith('/rest/');
    if (!isHandler && !(isRest && this.restServer)) return this.defaultWebProcessing();
    if (isHandler && this.handler === 'not-loaded') return this.defaultWebProcessing();
    if (method !== 'POST') return { status: 405, headers: { Allow: 'POST' }, body: Buffer.alloc(0) };
    if (this.answer === 'garbage') return text(200, '<html><body><h1>It works!</h1></body></html>');
    if (this.answer === 'wrong-shape') return json(200, { status: 'ok', reloaded: true });
    if (this.answer === 'server-error') {
      return json(500, {
        success: false,
        errors: [{ component: 'MobileSessions', code: 500, message: 'The double was told to fail.' }],
      });
    }
    const { session } = this.web.sessionFor(headers.cookie);
    const answer = isHandler ? this.handlerRoute(headers, session) : this.restRoute(pathname, body, session);
    // 4D sets the session cookie itself on what it sends (OutgoingMessage's documentation).
    answer.headers['Set-Cookie'] = this.web.setCookie(session);
    return answer;
  }

  // --- Route A: the HTTP request handler of docs/push.md (section 3) ---------------------------

  /** `_secretDigest()`: the 64 hex digits of push-secret.sha256, or "". */
  private secretDigest(): string {
    let digest = '';
    try {
      digest = readFileSync(this.secretFile, 'utf8').slice(0, 64);
    } catch {
      return '';
    }
    return /^[0-9a-fA-F]{64}$/.test(digest) ? digest : '';
  }

  private handlerRoute(headers: http.IncomingHttpHeaders, session: WebSession): Answer {
    if (this.handler === 'no-singleton') return text(500, 'Cannot find singleton', 'text/plain');
    if (this.handler === 'no-function') return text(500, 'Cannot find singleton function', 'text/plain');
    const privileges = session.privileges.size ? session.privileges : ['guest'];
    if (!permits(this.roles, 'MobileSessionsHandler.refresh', privileges)) {
      return restError(
        403,
        'No permission to execute method refresh in singleton MobileSessionsHandler',
        1561,
      );
    }
    // The handler's code, line by line (docs/push.md, section 3.2).
    const response = new OutgoingMessageDouble();
    const answer: { success: boolean; errors: unknown[] } = { success: true, errors: [] };
    const expected = this.secretDigest();
    const header = typeof headers.authorization === 'string' ? headers.authorization : '';
    if (expected === '') {
      response.setStatus(500);
      answer.success = false;
      answer.errors.push({
        component: 'MobileSessions',
        code: 500,
        message: 'No push secret is set up on the server (see docs/push.md, section 2).',
      });
    } else if (
      !header.startsWith('Bearer ') ||
      createHash('sha256').update(header.slice(7), 'utf8').digest('hex') !== expected.toLowerCase()
    ) {
      response.setStatus(401);
      response.setHeader('WWW-Authenticate', 'Bearer');
      answer.success = false;
      answer.errors.push({ component: 'MobileSessions', code: 401, message: 'Missing or wrong secret.' });
    } else {
      const { errors } = this.refresh();
      answer.success = errors.length === 0;
      answer.errors.push(...errors);
      response.setStatus(200);
    }
    response.setBody(answer);
    response.setHeader('Cache-Control', 'no-store');
    return { status: response.status, headers: response.headers, body: response.bytes() };
  }

  // --- Route B: the REST function of docs/push.md (section 4) ----------------------------------

  private get forceLogin(): boolean {
    return this.roles.forceLogin === true;
  }

  private restRoute(pathname: string, body: string, session: WebSession): Answer {
    const name = pathname.split('/').filter(Boolean).at(-1) ?? '';
    if (!pathname.startsWith('/rest/$catalog/') || (name !== 'authentify' && name !== this.restFunction)) {
      return restError(404, `The function ${name} is not an exposed function of the DataStore class.`, 1800);
    }
    if (!this.forceLogin && !this.web.takeLicence(session)) {
      // Legacy login mode: every REST session takes a licence at once (inferred refusal).
      return restError(403, 'No 4D Client license is available for this REST session.', 1003);
    }
    if (name === 'authentify') return this.authentify(body, session);
    const privileges = session.privileges.size ? session.privileges : ['guest'];
    if (this.forceLogin && !permits(this.roles, `ds.${name}`, privileges)) {
      return restError(403, `No permission to execute method ${name} in dataStore`, 1561);
    }
    const { errors } = this.refresh();
    return json(200, { result: { success: errors.length === 0, errors } });
  }

  /** The exposed `authentify()` of docs/push.md (section 4.2), or 4D's own example that returns a Text. */
  private authentify(body: string, session: WebSession): Answer {
    let credentials: Record<string, unknown> = {};
    try {
      const parameters = JSON.parse(body) as unknown[];
      const first = Array.isArray(parameters) ? parameters[0] : null;
      if (first !== null && typeof first === 'object') credentials = first as Record<string, unknown>;
    } catch {
      credentials = {};
    }
    const user = String(credentials.user ?? credentials.name ?? '');
    const password = String(credentials.password ?? '');
    const digest = this.secretDigest().toLowerCase();
    const knownUser = user === (this.options.restUser ?? 'mobile-sessions');
    const rightSecret =
      digest !== '' &&
      password !== '' &&
      createHash('sha256').update(password, 'utf8').digest('hex') === digest;

    if (this.options.loginFunction === '4d-example') {
      if (!knownUser) return json(200, { result: 'Wrong user' });
      if (!rightSecret) return json(200, { result: 'Wrong password' });
      this.web.setPrivileges(session, ['mobileSessionsPush']);
      return json(200, { result: '' });
    }
    if (!knownUser || !rightSecret)
      return json(200, { result: { success: false, message: 'Wrong user or secret.' } });
    if (!this.web.setPrivileges(session, ['mobileSessionsPush'])) {
      return json(200, {
        result: {
          success: false,
          message: 'Session.setPrivileges() failed: no 4D Client licence is free on the server.',
        },
      });
    }
    return json(200, { result: { success: true } });
  }
}
