/**
 * The HTTP side of Push: one POST to the endpoint (after the 4D REST login when asked and when
 * no logged-in session is kept), and every failure told in words an admin can act on.
 *
 * - The 4D session cookie is kept per server (restSessions.ts) and sent back with every push:
 *   one REST login, so one 4D Client licence, serves every push until 4D refuses the session
 *   (it expired, the server restarted); then the client logs in again, once, and retries.
 * - The transport (transport.ts) pins, tunnels through a proxy, and trusts extra CAs; redirects
 *   are never followed, so a secret only goes to the configured URL.
 */
import type { PushAuthKind } from '../../../shared/push.js';
import { errnoCode } from '../fsErrors.js';
import { hostAndPort } from './address.js';
import {
  type AnswerContext,
  callFailure,
  type Failed,
  failure,
  isPermissionRefusal,
  loginOutcome,
  routeOf,
} from './fourDAnswers.js';
import { directConnection, type ProxyResolver } from './proxy.js';
import {
  applySetCookies,
  cookieHeader,
  MemoryRestSessions,
  type RestSessionStore,
  restSessionKey,
} from './restSessions.js';
import { describeBody, parseRefreshAnswer, type RefreshAnswer } from './serverAnswer.js';
import { fetchServerCertificate } from './serverCertificate.js';
import {
  AnswerTooLargeError,
  MAX_ANSWER_BYTES,
  PinMismatchError,
  PushTimeoutError,
  post,
  type RawResponse,
} from './transport.js';
import { ProxyError } from './tunnel.js';

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

/** How pushes reach servers: the kept 4D sessions, the proxy, the trusted CAs, the clock. */
export interface PushConnection {
  sessions: RestSessionStore;
  proxy: ProxyResolver;
  /** The certificate authorities to trust (trust.ts), or undefined for Node's defaults. */
  ca: string[] | undefined;
  now: () => number;
}

export const defaultConnection = (): PushConnection => ({
  sessions: new MemoryRestSessions(),
  proxy: directConnection,
  ca: undefined,
  now: Date.now,
});

export type RefreshOutcome = { ok: true; answer: RefreshAnswer; status: number } | Failed;

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

function proxyFailure(error: ProxyError): Failed {
  const where = error.proxy.host;
  if (error.status === 407) {
    return failure(
      'unreachable',
      `The proxy ${where} wants credentials (HTTP 407): put them in the proxy URL (http://user:password@${where}).`,
    );
  }
  if (error.status) {
    return failure(
      'unreachable',
      `The proxy ${where} refused to connect to the server (HTTP ${error.status} to CONNECT): it may block this host or port; ask its administrator, or list the server in NO_PROXY.`,
    );
  }
  const code = errnoCode(error.reason) ?? '';
  return failure(
    'unreachable',
    `The proxy ${where} cannot be reached${code ? ` (${code})` : ''}: check the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY, or the system's).`,
  );
}

/** Turns a transport error into the failure an admin reads. */
async function transportFailure(
  error: unknown,
  url: URL,
  target: PushTarget,
  connection: PushConnection,
  proxy: URL | null,
): Promise<Failed> {
  const where = url.host;
  if (error instanceof PushTimeoutError) {
    return failure(
      'timeout',
      `No answer from ${where} within ${target.timeoutMs} ms: the server may be busy or unreachable through a firewall that drops packets; try again, or allow more time.`,
      { fix: { setting: 'timeout', currentMs: target.timeoutMs } },
    );
  }
  if (error instanceof ProxyError) return proxyFailure(error);
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
      `${where} sent an answer over ${MAX_ANSWER_BYTES / 1024 / 1024} MiB: that is not the Push endpoint of docs/push.md.`,
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
    const seen = await fetchServerCertificate(url.href, Math.min(target.timeoutMs, 10_000), {
      proxy,
      ca: connection.ca,
    }).catch(() => null);
    const fingerprint = seen?.fingerprint256 ?? null;
    const reason = UNTRUSTED_REASONS[code] ?? `the system does not trust it (${code})`;
    return failure(
      'tls-untrusted',
      `The certificate of ${where} is not trusted: ${reason}.` +
        (fingerprint ? ` Its SHA-256 fingerprint is ${fingerprint}.` : '') +
        " If it is your 4D Server's own certificate (compare the fingerprint on the server), trust it for this server only;" +
        " if your company's certificate authority signed it, add that authority to the system's trust store (or give its file as the CA).",
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

/** The generic reading of an HTTP status that is not the answer (redirects, 5xx, anything else). */
function httpFailure(response: RawResponse, url: URL, what: string): Failed {
  const { status } = response;
  if (status >= 300 && status < 400) {
    const location = response.headers.location;
    return failure(
      'redirect',
      `The server redirects ${url.href} to ${location ?? 'another address'} (HTTP ${status}); redirects are not followed, so the secret only goes where you said: ` +
        'set the final URL instead.',
      { status, fix: { setting: 'url', suggested: location ?? null } },
    );
  }
  if (status === 401 || status === 403) {
    return failure(
      'credentials-refused',
      `The server refused ${what} (HTTP ${status}): check the secret and the user name given here.`,
      { status, fix: { setting: 'secret' } },
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

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };

/** One push: the target, how to reach it, and the 4D session kept for it. */
class PushExchange {
  readonly url: URL;
  readonly context: AnswerContext;
  private readonly key: string;

  constructor(
    readonly target: PushTarget,
    readonly connection: PushConnection,
  ) {
    this.url = new URL(target.url);
    this.context = {
      url: this.url,
      route: routeOf(this.url),
      auth: target.auth,
      loginFunction: target.loginFunction,
    };
    this.key = restSessionKey(this.url, target.auth === 'rest-login' ? target.user : null);
  }

  async hasSession(): Promise<boolean> {
    return cookieHeader(await this.connection.sessions.get(this.key), this.connection.now()) !== null;
  }

  /** Sends with the kept cookie, keeps what the server sets; a failure is the admin's reading of it. */
  async send(
    to: URL,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ response: RawResponse } | { failed: Failed }> {
    const { sessions, now } = this.connection;
    const cookie = cookieHeader(await sessions.get(this.key), now());
    const proxy = await this.connection.proxy(to);
    try {
      const response = await post(to, {
        headers: cookie ? { ...headers, Cookie: cookie } : headers,
        body,
        timeoutMs: this.target.timeoutMs,
        fingerprint256: this.target.fingerprint256,
        proxy,
        ca: this.connection.ca,
      });
      if (proxy && response.status === 407) return { failed: proxyFailure(new ProxyError(proxy, 407, null)) };
      const setCookie = response.headers['set-cookie'];
      if (setCookie?.length) {
        const next = applySetCookies(await sessions.get(this.key), setCookie, now());
        if (next) await sessions.set(this.key, next);
        else await sessions.delete(this.key);
      }
      return { response };
    } catch (error) {
      return { failed: await transportFailure(error, to, this.target, this.connection, proxy) };
    }
  }

  /** The 4D REST login: calls the exposed login function in the kept (guest) session. */
  async login(): Promise<Failed | null> {
    const url = loginUrl(this.url, this.target.loginFunction);
    const sent = await this.send(
      url,
      JSON_HEADERS,
      JSON.stringify([{ user: this.target.user, password: this.target.secret }]),
    );
    if ('failed' in sent) return sent.failed;
    const refused = loginOutcome(sent.response, { ...this.context, url });
    if (refused) return refused;
    if (sent.response.status < 200 || sent.response.status >= 300)
      return httpFailure(sent.response, url, `the login function "${this.target.loginFunction}"`);
    return null;
  }
}

/** Asks the server to run MOBILE APP REFRESH SESSIONS; returns its answer or why there is none. */
export async function requestRefresh(
  target: PushTarget,
  connection: PushConnection = defaultConnection(),
): Promise<RefreshOutcome> {
  if (target.auth !== 'none' && !target.secret) {
    return failure('no-secret', `The "${target.auth}" authentication needs a secret, and none was given.`);
  }
  const exchange = new PushExchange(target, connection);
  const headers: Record<string, string> = { ...JSON_HEADERS };
  const auth = authorization(target);
  if (auth) headers.Authorization = auth;
  const restLogin = target.auth === 'rest-login';

  let loggedIn = false;
  if (restLogin && !(await exchange.hasSession())) {
    const refused = await exchange.login();
    if (refused) return refused;
    loggedIn = true;
  }
  // `[]`: the REST server wants the function's parameters as a JSON array; the handler ignores it.
  let sent = await exchange.send(exchange.url, headers, '[]');
  if ('failed' in sent) return sent.failed;
  if (restLogin && !loggedIn && isPermissionRefusal(sent.response)) {
    // The kept session is gone (expired, server restarted) or lost its privileges: log in again, once.
    const refused = await exchange.login();
    if (refused) return refused;
    loggedIn = true;
    sent = await exchange.send(exchange.url, headers, '[]');
    if ('failed' in sent) return sent.failed;
  }
  const { response } = sent;
  const fourD = callFailure(response, exchange.context, loggedIn);
  if (fourD) return fourD;
  if (response.status < 200 || response.status >= 300) return httpFailure(response, exchange.url, 'the push');
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
