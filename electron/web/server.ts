/**
 * The browser mode's front door: the built renderer and the contract over HTTP (requests), a
 * WebSocket (the same requests, faster: requestSocket.ts) and Server-Sent Events (events). It maps
 * its transports onto `dispatch` and nothing more.
 *
 * Security: bound to loopback unless told otherwise; every request needs the access token (from
 * the URL once, then an HttpOnly SameSite=Strict cookie, or an `Authorization: Bearer` header);
 * a `Host` or `Origin` that is not the server's own is refused (DNS rebinding, cross-site
 * requests); request bodies are size-limited.
 */
import { timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import type { Duplex } from 'node:stream';
import { type AppEvent, MAX_REQUEST_BYTES } from '../../shared/contract.js';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.js';
import { AppError } from '../../shared/errors.js';
import { REQUEST_SOCKET_PATH } from '../../shared/requestSocket.js';
import { LOOPBACK_HOSTS } from '../../shared/text.js';
import type { AppService } from '../services/appService.js';
import { dispatch } from '../services/dispatch.js';
import { readStaticFile } from '../services/staticFiles.js';
import { type Refusal, refuseUpgrade, requestSockets } from './requestSocket.js';

export interface WebServerOptions {
  service: AppService;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  host: string;
  /** More host names to answer to (a DNS name of this machine, a reverse proxy's name). */
  allowedHosts?: readonly string[];
  /** 0: any free port. */
  port: number;
  token: string;
  log?: (message: string, error?: unknown) => void;
}

export interface WebServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const TOKEN_COOKIE = 'mobile_sessions_token';
const HEARTBEAT_MS = 15_000;

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(request: IncomingMessage, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return null;
}

function send(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
  extra: Record<string, string> = {},
) {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    ...extra,
  });
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown) =>
  send(response, status, JSON.stringify(value), 'application/json; charset=utf-8');

const refuse = (response: ServerResponse, status: number, message: string) =>
  sendJson(response, status, {
    ok: false,
    error: { code: 'bad-request', message },
  });

async function readBody(request: IncomingMessage): Promise<string | null> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_REQUEST_BYTES) return null;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total > MAX_REQUEST_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A host as it appears in a URL or a Host header: IPv6 in brackets. */
const urlHost = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The names this server answers to, besides those given with --allowed-host: the address it is
 * bound to; on loopback, the loopback names; on every address (0.0.0.0, ::), this machine's own
 * addresses and host name too, so `http://<this machine>:port` works and a rebinding name does not.
 */
export function ownNames(host: string): string[] {
  const names = [host];
  if (LOOPBACK_HOSTS.has(host) || WILDCARD_HOSTS.has(host)) names.push('127.0.0.1', 'localhost', '::1');
  if (WILDCARD_HOSTS.has(host)) {
    const hostname = os.hostname().toLowerCase();
    names.push(hostname, `${hostname}.local`);
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const address of addresses ?? []) names.push(address.address.replace(/%.*$/, ''));
    }
  }
  return [...new Set(names)];
}

/** Why the server could not listen, in one sentence for the admin. */
function listenError(error: unknown, host: string, port: number): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `${urlHost(host)}:${port}`;
  if (code === 'EADDRINUSE')
    return new AppError(
      'io',
      `Port ${port} is already in use on ${host}: choose another with --port (0 picks a free one).`,
    );
  if (code === 'EADDRNOTAVAIL')
    return new AppError('io', `${host} is not an address of this machine: choose another --host.`);
  if (code === 'EACCES')
    return new AppError(
      'io',
      `Not allowed to listen on ${where}: ports below 1024 need privileges; choose another --port.`,
    );
  return new AppError('io', `Cannot listen on ${where}: ${(error as Error).message}`);
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const log = options.log ?? (() => {});
  let allowedHosts = new Set<string>();
  const clients = new Set<ServerResponse>();

  const ownOrigin = (origin: string) => allowedHosts.has(origin.replace(/^http:\/\//, ''));

  /** The checks every request passes, the request socket's upgrade included. */
  function admit(request: IncomingMessage): Refusal | null {
    const host = (request.headers.host ?? '').toLowerCase();
    if (!allowedHosts.has(host))
      return { status: 403, message: 'This server only answers to its own address.' };
    const origin = request.headers.origin?.toLowerCase();
    if (origin !== undefined && !ownOrigin(origin))
      return { status: 403, message: 'Cross-site requests are refused.' };
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const fromUrl = new URL(request.url ?? '/', 'http://any').searchParams.get('token');
    const authorized = [bearer, fromUrl, cookie(request, TOKEN_COOKIE)].some((t) =>
      sameToken(t, options.token),
    );
    if (!authorized)
      return { status: 401, message: 'Missing or wrong access token: open the URL that `serve` printed.' };
    return null;
  }

  const sockets = requestSockets({ service: options.service, admit, ownOrigin, log });

  const server = http.createServer(async (request, response) => {
    try {
      const refusal = admit(request);
      if (refusal) return refuse(response, refusal.status, refusal.message);
      const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
      const fromUrl = url.searchParams.get('token');

      if (url.pathname.startsWith('/api/')) {
        if (url.pathname === '/api/events' && request.method === 'GET') return openEventStream(response);
        if (request.method !== 'POST') return refuse(response, 405, 'Requests are POSTed.');
        const body = await readBody(request);
        if (body === null)
          return refuse(response, 413, `The request body is larger than ${MAX_REQUEST_BYTES} bytes.`);
        let params: unknown;
        try {
          params = body === '' ? {} : JSON.parse(body);
        } catch {
          return refuse(response, 400, 'The request body is not JSON.');
        }
        const envelope = await dispatch(options.service, url.pathname.slice('/api/'.length), params, log);
        return sendJson(response, envelope.ok || envelope.error.code !== 'bad-request' ? 200 : 400, envelope);
      }

      if (request.method !== 'GET' && request.method !== 'HEAD')
        return refuse(response, 405, 'Method not allowed.');
      const file = await readStaticFile(options.rendererDir, url.pathname);
      if (!file) return refuse(response, 404, 'Not found.');
      // The token came in the URL once: from now on the browser sends it as a cookie no other site can use.
      const extra = fromUrl
        ? { 'Set-Cookie': `${TOKEN_COOKIE}=${options.token}; HttpOnly; SameSite=Strict; Path=/` }
        : undefined;
      return send(response, 200, file.body, file.contentType, extra);
    } catch (error) {
      log('browser-mode request failed', error);
      if (!response.headersSent) refuse(response, 500, 'Internal error.');
      else response.end();
    }
  });

  function openEventStream(response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    clients.add(response);
    const unsubscribe = options.service.subscribe((event: AppEvent) => {
      response.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), HEARTBEAT_MS);
    response.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      clients.delete(response);
    });
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => {}); // a page gone mid-upgrade
    try {
      if (new URL(request.url ?? '/', 'http://any').pathname !== REQUEST_SOCKET_PATH)
        return refuseUpgrade(socket, { status: 404, message: 'Not found.' });
      sockets.upgrade(request, socket, head);
    } catch (error) {
      log('browser-mode upgrade failed', error);
      refuseUpgrade(socket, { status: 400, message: 'Bad request.' });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(listenError(error, options.host, options.port)));
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = urlHost(options.host);
  allowedHosts = new Set(
    [...ownNames(options.host), ...(options.allowedHosts ?? [])].map(
      (name) => `${urlHost(name.toLowerCase())}:${port}`,
    ),
  );

  return {
    url: `http://${hostForUrl}:${port}/?token=${options.token}`,
    port,
    close: async () => {
      for (const client of clients) client.end();
      sockets.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // idle keep-alive connections would hold close() for seconds
      await closed;
    },
  };
}
