/**
 * One HTTP(S) POST of a push, with node:http / node:https and per-request settings only (nothing
 * global changes):
 *
 * - a pinned certificate (trust this self-signed server) is checked during the handshake, before
 *   a single byte of the request (and its secret) is sent;
 * - through an HTTP proxy when one is given: a CONNECT tunnel for https:// (the TLS session,
 *   and the pin check, run end to end inside it), an absolute-URI request for http://;
 * - extra certificate authorities (the system's, `--ca`) when given;
 * - redirects are not followed; the answer is read up to 1 MiB; one timeout covers it all.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { hostAndPort, serverNameFor } from './address.js';
import { proxyAuthorization } from './proxy.js';
import { normalizeFingerprint, sameFingerprint } from './serverCertificate.js';
import { destroyLayered, tunnel } from './tunnel.js';

export const MAX_ANSWER_BYTES = 1024 * 1024;
const USER_AGENT = 'Mobile-Sessions-Push/1';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** The pinned certificate of a server trusted for its self-signed certificate. */
  fingerprint256: string | null;
  /** The HTTP proxy to go through, or null. */
  proxy: URL | null;
  /** The certificate authorities to trust instead of Node's defaults (trust.ts), or undefined. */
  ca: string[] | undefined;
}

export class PushTimeoutError extends Error {
  readonly code = 'PUSH_TIMEOUT';
}

export class PinMismatchError extends Error {
  readonly code = 'PUSH_PIN_MISMATCH';
  constructor(readonly seen: string | null) {
    super('The server certificate is not the pinned one.');
  }
}

export class AnswerTooLargeError extends Error {
  readonly code = 'PUSH_ANSWER_TOO_LARGE';
}

/**
 * An https:// connection handed to HTTP only once TLS is up: through the tunnel when there is a
 * proxy, and, with a pin, only once the server showed the pinned certificate.
 */
function secureConnection(url: URL, options: PostOptions, sockets: Socket[]) {
  const { host, port } = hostAndPort(url);
  const pinned = options.fingerprint256;
  return (_options: unknown, done: (error: Error | null, socket: Duplex) => void): Duplex => {
    const connect = async (): Promise<tls.TLSSocket> => {
      const tunnelled = options.proxy ? await tunnel(options.proxy, host, port, sockets) : undefined;
      return tls.connect({
        ...(tunnelled ? { socket: tunnelled } : { host, port }),
        servername: serverNameFor(host),
        // A pinned certificate is accepted whatever its issuer, name or dates: the pin decides.
        rejectUnauthorized: !pinned,
        ...(options.ca ? { ca: options.ca } : {}),
      });
    };
    connect().then(
      (socket) => {
        sockets.push(socket);
        socket.once('secureConnect', () => {
          if (!pinned) return done(null, socket);
          const seen = socket.getPeerCertificate()?.fingerprint256 ?? null;
          if (seen && sameFingerprint(seen, pinned)) {
            done(null, socket);
          } else {
            socket.destroy();
            done(new PinMismatchError(seen ? normalizeFingerprint(seen) : null), socket);
          }
        });
        socket.once('error', (error) => done(error, socket));
      },
      (error: Error) => done(error, undefined as unknown as Duplex),
    );
    // Returning nothing tells http to wait for `done` (no request byte goes out before the check).
    return undefined as unknown as Duplex;
  };
}

export function post(url: URL, options: PostOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const { host, port } = hostAndPort(url);
    const sockets: Socket[] = [];
    const body = Buffer.from(options.body, 'utf8');
    const headers: Record<string, string> = {
      ...options.headers,
      'Content-Length': String(body.length),
      Connection: 'close',
      'User-Agent': USER_AGENT,
    };
    let requestOptions: https.RequestOptions;
    if (secure) {
      requestOptions = { method: 'POST', host, port, path: `${url.pathname}${url.search}`, headers };
      if (options.fingerprint256 || options.proxy) {
        requestOptions.createConnection = secureConnection(url, options, sockets);
      } else {
        requestOptions.servername = serverNameFor(host);
        requestOptions.agent = false; // a fresh connection, closed after the answer: nothing pooled
        if (options.ca) requestOptions.ca = options.ca;
      }
    } else if (options.proxy) {
      // A plain HTTP proxy takes the absolute URL as the path, and the server's host in Host.
      const proxy = hostAndPort(options.proxy);
      const auth = proxyAuthorization(options.proxy);
      requestOptions = {
        method: 'POST',
        host: proxy.host,
        port: proxy.port,
        path: url.href,
        headers: { ...headers, Host: url.host, ...(auth ? { 'Proxy-Authorization': auth } : {}) },
        agent: false,
      };
    } else {
      requestOptions = {
        method: 'POST',
        host,
        port,
        path: `${url.pathname}${url.search}`,
        headers,
        agent: false,
      };
    }
    let settled = false;
    const finish = (error: Error | null, response?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolve(response as RawResponse);
    };
    const request = (secure ? https : http).request(requestOptions, (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_ANSWER_BYTES) {
          request.destroy(new AnswerTooLargeError(`The answer is larger than ${MAX_ANSWER_BYTES} bytes.`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () =>
        finish(null, {
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
      response.on('error', (error) => finish(error));
    });
    const timer = setTimeout(() => {
      const error = new PushTimeoutError(`No answer within ${options.timeoutMs} ms.`);
      request.destroy(error);
      destroyLayered(sockets);
      finish(error);
    }, options.timeoutMs);
    request.on('error', (error) => finish(error));
    request.end(body);
  });
}
