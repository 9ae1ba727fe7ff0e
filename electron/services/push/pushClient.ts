/**
 * The HTTP side of Push: one POST to the endpoint (after the 4D REST login when asked), with
 * node:http / node:https and per-request TLS settings only (nothing global changes), and every
 * failure told in words an admin can act on.
 *
 * - A pinned certificate (trust this self-signed server) is checked during the handshake, before
 *   a single byte of the request (and its secret) is sent.
 * - Redirects are not followed: a secret is never sent anywhere but the configured URL.
 * - The answer is read up to 1 MiB.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { PushAuthKind, PushFailure, PushFailureKind, PushFix } from '../../../shared/push.js';
import { errnoCode } from '../fsErrors.js';
import { describeBody, parseRefreshAnswer, type RefreshAnswer } from './serverAnswer.js';
import {
  fetchServerCertificate,
  hostAndPort,
  normalizeFingerprint,
  sameFingerprint,
  serverNameFor,
} from './serverCertificate.js';

export interface PushTarget {
  url: string;
  auth: PushAuthKind;
  user: string | null;
  secret: string | null;
  loginFunction: string;
  timeoutMs: number;
  /** The pinned certificate of a server trusted for its self-signed certificate. */
  fingerprint256: string | null;
}

export type RefreshOutcome =
  | { ok: true; answer: RefreshAnswer; status: number }
  | { ok: false; failure: PushFailure };

const MAX_ANSWER_BYTES = 1024 * 1024;
const USER_AGENT = 'Mobile-Sessions-Push/1';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

class PushTimeoutError extends Error {
  readonly code = 'PUSH_TIMEOUT';
}

class PinMismatchError extends Error {
  readonly code = 'PUSH_PIN_MISMATCH';
  constructor(readonly seen: string | null) {
    super('The server certificate is not the pinned one.');
  }
}

class AnswerTooLargeError extends Error {
  readonly code = 'PUSH_ANSWER_TOO_LARGE';
}

const failure = (
  kind: PushFailureKind,
  message: string,
  extra: { status?: number | null; fingerprint256?: string | null; fix?: PushFix } = {},
): { ok: false; failure: PushFailure } => ({
  ok: false,
  failure: {
    kind,
    message,
    fix: extra.fix ?? null,
    status: extra.status ?? null,
    fingerprint256: extra.fingerprint256 ?? null,
  },
});

/** A TLS connection that is handed to HTTP only once the server showed the pinned certificate. */
function pinnedConnection(url: URL, pinned: string, sockets: Socket[]) {
  const { host, port } = hostAndPort(url);
  return (_options: unknown, done: (error: Error | null, socket: Socket) => void): Socket => {
    const socket = tls.connect({ host, port, servername: serverNameFor(host), rejectUnauthorized: false });
    sockets.push(socket);
    socket.once('secureConnect', () => {
      const seen = socket.getPeerCertificate()?.fingerprint256 ?? null;
      if (seen && sameFingerprint(seen, pinned)) {
        done(null, socket);
      } else {
        socket.destroy();
        done(new PinMismatchError(seen ? normalizeFingerprint(seen) : null), socket);
      }
    });
    socket.once('error', (error) => done(error, socket));
    // Returning nothing tells http to wait for `done` (no request byte goes out before the check).
    return undefined as unknown as Socket;
  };
}

interface PostOptions {
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  fingerprint256: string | null;
}

function post(url: URL, options: PostOptions): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const { host, port } = hostAndPort(url);
    const sockets: Socket[] = [];
    const body = Buffer.from(options.body, 'utf8');
    const requestOptions: https.RequestOptions = {
      method: 'POST',
      host,
      port,
      path: `${url.pathname}${url.search}`,
      servername: serverNameFor(host),
      headers: {
        ...options.headers,
        'Content-Length': String(body.length),
        Connection: 'close',
        'User-Agent': USER_AGENT,
      },
    };
    if (secure && options.fingerprint256) {
      requestOptions.createConnection = pinnedConnection(url, options.fingerprint256, sockets);
    } else {
      requestOptions.agent = false; // a fresh connection, closed after the answer: nothing pooled
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
      for (const socket of sockets) socket.destroy();
      finish(error);
    }, options.timeoutMs);
    request.on('error', (error) => finish(error));
    request.end(body);
  });
}

const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

const UNTRUSTED_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'it is signed by a self-signed authority',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is unknown',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is made out to another name',
};

/** A path as a shell argument: as is when safe, else single-quoted. */
export const shellArgument = (text: string): string =>
  /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;

/** Turns a transport error into the failure an admin reads. */
async function transportFailure(
  error: unknown,
  url: URL,
  target: PushTarget,
): Promise<{ ok: false; failure: PushFailure }> {
  const where = url.host;
  if (error instanceof PushTimeoutError) {
    return failure(
      'timeout',
      `No answer from ${where} within ${target.timeoutMs} ms: the server may be busy or unreachable through a firewall that drops packets; try again, or allow more time.`,
      { fix: { setting: 'timeout', currentMs: target.timeoutMs } },
    );
  }
  if (error instanceof PinMismatchError) {
    return failure(
      'tls-changed',
      `The certificate of ${where} is not the one pinned for this server: it shows ${error.seen ?? 'no certificate'}, ` +
        `the pinned one is ${target.fingerprint256}. If the server's certificate was renewed, check the new fingerprint on the server and trust it; ` +
        'otherwise someone may be intercepting the connection.',
      { fingerprint256: error.seen, fix: { setting: 'trust-certificate', fingerprint256: error.seen } },
    );
  }
  if (error instanceof AnswerTooLargeError) {
    return failure(
      'bad-answer',
      `${where} sent an answer over 1 MiB: that is not the Push endpoint of docs/push.md.`,
    );
  }
  const code = errnoCode(error) ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return failure(
        'unreachable',
        `Nothing answers at ${where} (connection refused): is the 4D Server's web server started, and is ${hostAndPort(url).port} the right port?`,
      );
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return failure('unreachable', `The server name ${url.hostname} cannot be found (DNS): check the URL.`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
      return failure(
        'unreachable',
        `No network route to ${url.hostname}: check the network, the VPN or the firewall.`,
      );
    case 'ETIMEDOUT':
      return failure(
        'timeout',
        `The connection to ${where} timed out: the server or a firewall does not answer.`,
      );
    case 'ECONNRESET':
    case 'EPIPE':
      return failure(
        'unreachable',
        `${where} closed the connection before answering${url.protocol === 'http:' ? ' (is it an HTTPS port? then use https://)' : ''}.`,
      );
  }
  if (UNTRUSTED_CODES.has(code)) {
    const seen = await fetchServerCertificate(url.href, Math.min(target.timeoutMs, 10_000)).catch(() => null);
    const fingerprint = seen?.fingerprint256 ?? null;
    const reason = UNTRUSTED_REASONS[code] ?? `the system does not trust it (${code})`;
    return failure(
      'tls-untrusted',
      `The certificate of ${where} is not trusted: ${reason}.` +
        (fingerprint ? ` Its SHA-256 fingerprint is ${fingerprint}.` : '') +
        ` If it is your 4D Server's own certificate (compare the fingerprint on the server), trust it for this server only.`,
      { fingerprint256: fingerprint, fix: { setting: 'trust-certificate', fingerprint256: fingerprint } },
    );
  }
  if (/^ERR_SSL_|^EPROTO$/.test(code) || (error instanceof Error && /SSL|TLS/.test(error.message))) {
    return failure(
      'tls-handshake',
      `The secure connection to ${where} failed (${code || (error as Error).message}): is this port serving HTTPS? If the 4D web server only speaks HTTP there, use an http:// URL (on a trusted network only).`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return failure('unreachable', `Could not reach ${where}: ${message}${code ? ` (${code})` : ''}.`);
}

function authorization(target: PushTarget): string | null {
  if (target.auth === 'bearer') return `Bearer ${target.secret}`;
  if (target.auth === 'basic')
    return `Basic ${Buffer.from(`${target.user}:${target.secret}`, 'utf8').toString('base64')}`;
  return null;
}

/** Where the 4D REST login function lives: beside the endpoint's `/rest/`, else at the server's root. */
export function loginUrl(endpoint: URL, loginFunction: string): URL {
  const index = endpoint.pathname.indexOf('/rest/');
  const base = index >= 0 ? endpoint.pathname.slice(0, index) : '';
  return new URL(`${base}/rest/$catalog/${loginFunction}`, endpoint.origin);
}

/** `name=value` pairs from Set-Cookie headers, ready for a Cookie header. */
export function cookiesFrom(headers: http.IncomingHttpHeaders): string | null {
  const pairs = (headers['set-cookie'] ?? [])
    .map((cookie) => cookie.split(';')[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='));
  return pairs.length ? pairs.join('; ') : null;
}

function httpFailure(
  response: RawResponse,
  url: URL,
  target: PushTarget,
  what: string,
): { ok: false; failure: PushFailure } {
  const { status } = response;
  if (status === 401) {
    return failure(
      'credentials-refused',
      `The server refused the credentials (HTTP 401) for ${what}: check that the ${target.auth === 'rest-login' ? 'password' : 'secret'} given here ` +
        'is the one the server expects.',
      { status, fix: { setting: 'secret' } },
    );
  }
  if (status === 403) {
    return failure(
      'credentials-refused',
      `The server refused access (HTTP 403) to ${what}: the credentials are not allowed to run it. With forced login, roles.json must grant "execute" on the function to the privilege your login function sets (docs/push.md).`,
      { status },
    );
  }
  if (status === 404) {
    return failure(
      'endpoint-missing',
      `There is no Push endpoint at ${url.href} (HTTP 404): install the 4D code of docs/push.md on the server (restart it after editing HTTPHandlers.json or roles.json), or fix the URL.`,
      { status },
    );
  }
  if (status >= 300 && status < 400) {
    const location = response.headers.location;
    return failure(
      'redirect',
      `The server redirects ${url.href} to ${location ?? 'another address'} (HTTP ${status}); redirects are not followed, so the secret only goes where you said: ` +
        'set the final URL instead.',
      { status, fix: { setting: 'url', suggested: location ?? null } },
    );
  }
  if (status >= 500) {
    const answer = parseRefreshAnswer(response.body);
    const detail = answer?.errors
      .map((e) => e.message)
      .filter(Boolean)
      .join('; ');
    return failure(
      'server-error',
      `The server failed while handling the push (HTTP ${status})${detail ? `: ${detail}` : ''}. Its sessions may not have been reloaded; check the 4D Server's logs, then push again.`,
      { status },
    );
  }
  return failure(
    'bad-answer',
    `The server answered HTTP ${status} with ${describeBody(response.body, response.headers['content-type'])}: that is not the Push endpoint's answer (docs/push.md).`,
    { status },
  );
}

type Sent =
  | { response: RawResponse; failed?: undefined }
  | { response?: undefined; failed: { ok: false; failure: PushFailure } };

async function send(
  url: URL,
  target: PushTarget,
  headers: Record<string, string>,
  body: string,
): Promise<Sent> {
  try {
    return {
      response: await post(url, {
        headers,
        body,
        timeoutMs: target.timeoutMs,
        fingerprint256: target.fingerprint256,
      }),
    };
  } catch (error) {
    return { failed: await transportFailure(error, url, target) };
  }
}

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

/** The 4D REST login: calls the exposed login function, returns the session cookie (or a failure). */
async function restLogin(
  endpoint: URL,
  target: PushTarget,
): Promise<{ cookie: string | null } | { ok: false; failure: PushFailure }> {
  const url = loginUrl(endpoint, target.loginFunction);
  const sent = await send(
    url,
    target,
    JSON_HEADERS,
    JSON.stringify([{ user: target.user, password: target.secret }]),
  );
  if (sent.failed) return sent.failed;
  const response = sent.response;
  if (response.status === 404) {
    return failure(
      'endpoint-missing',
      `There is no login function at ${url.href} (HTTP 404): add the exposed "${target.loginFunction}" function of docs/push.md to the DataStore class, or set the right name (--login-function).`,
      { status: 404 },
    );
  }
  if (response.status < 200 || response.status >= 300)
    return httpFailure(response, url, target, `the login function "${target.loginFunction}"`);
  let result: unknown;
  try {
    result = (JSON.parse(response.body.toString('utf8').replace(/^\uFEFF/, '')) as { result?: unknown })
      .result;
  } catch {
    result = undefined;
  }
  const refused =
    result === false ||
    (result !== null && typeof result === 'object' && 'success' in result && result.success === false);
  if (refused) {
    return failure(
      'credentials-refused',
      `The login function "${target.loginFunction}" refused user "${target.user}": check the user name and password.`,
      { status: response.status },
    );
  }
  return { cookie: cookiesFrom(response.headers) };
}

/** Asks the server to run MOBILE APP REFRESH SESSIONS; returns its answer or why there is none. */
export async function requestRefresh(target: PushTarget): Promise<RefreshOutcome> {
  const url = new URL(target.url);
  if (target.auth !== 'none' && !target.secret) {
    return failure('no-secret', `The "${target.auth}" authentication needs a secret, and none was given.`);
  }
  const headers: Record<string, string> = { ...JSON_HEADERS };
  const auth = authorization(target);
  if (auth) headers.Authorization = auth;
  if (target.auth === 'rest-login') {
    const login = await restLogin(url, target);
    if ('ok' in login) return login;
    if (login.cookie) headers.Cookie = login.cookie;
  }
  // `[]`: the REST server wants the function's parameters as a JSON array; the handler ignores it.
  const sent = await send(url, target, headers, '[]');
  if (sent.failed) return sent.failed;
  const response = sent.response;
  if (response.status < 200 || response.status >= 300)
    return httpFailure(response, url, target, 'the Push endpoint');
  const answer = parseRefreshAnswer(response.body);
  if (!answer) {
    return failure(
      'bad-answer',
      `The server answered with ${describeBody(response.body, response.headers['content-type'])}, not the Push answer ({"success": …, "errors": […]}): ` +
        'is the URL the endpoint of docs/push.md?',
      { status: response.status },
    );
  }
  return { ok: true, answer, status: response.status };
}
