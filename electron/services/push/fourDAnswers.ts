/**
 * What a 4D Server's refusals mean, per route, in 4D's terms, each with the one sentence that
 * fixes it (docs/push.md, section 7). The pieces of 4D behind each case:
 *
 * - Route A (HTTP request handler): "Cannot find singleton" / "Cannot find singleton function"
 *   when the class or the function named in HTTPHandlers.json is missing; HTTPHandlers.json is
 *   read when the web server starts, so a handler added since is not loaded (a 404, or whatever
 *   `On Web Connection` answers); in a project whose roles.json restricts functions, the guest
 *   session needs "execute" on the singleton method, else 4D refuses (403).
 * - Route B (REST): the REST server answers only when "Expose as REST server" is on; with forced
 *   login only `authentify` runs before the login, and every other function needs a privilege
 *   roles.json grants (4D's error: `__ERROR`, dbmg 1561 "No permission to execute method …");
 *   each logged-in session holds a 4D Client licence.
 */
import type { PushAuthKind, PushFailure, PushFailureKind, PushFix } from '../../../shared/push.js';
import { describeBody, parseRefreshAnswer } from './serverAnswer.js';
import type { RawResponse } from './transport.js';

/** A: an HTTP request handler (any path but /rest/); B: a REST function (/rest/…). */
export type PushRoute = 'handler' | 'rest';

export const routeOf = (url: URL): PushRoute => (/(^|\/)rest\//.test(url.pathname) ? 'rest' : 'handler');

/** 4D's error for a session whose privileges do not allow the function (component dbmg). */
export const NO_PERMISSION_ERROR = 1561;

export interface FourDError {
  message: string;
  component: string;
  code: number | string | null;
}

export type Failed = { ok: false; failure: PushFailure };

export function failure(
  kind: PushFailureKind,
  message: string,
  extra: { status?: number | null; fingerprint256?: string | null; fix?: PushFix | null } = {},
): Failed {
  return {
    ok: false,
    failure: {
      kind,
      message,
      fix: extra.fix ?? null,
      status: extra.status ?? null,
      fingerprint256: extra.fingerprint256 ?? null,
    },
  };
}

function jsonOf(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return undefined;
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** The errors of a 4D REST error answer (`{"__ERROR": [{message, componentSignature, errCode}]}`). */
export function fourDErrorsIn(body: Buffer): FourDError[] {
  const json = jsonOf(body);
  if (!isRecord(json) || !Array.isArray(json.__ERROR)) return [];
  return json.__ERROR.filter(isRecord).map((error) => ({
    message: typeof error.message === 'string' ? error.message : '',
    component: typeof error.componentSignature === 'string' ? error.componentSignature : '',
    code: typeof error.errCode === 'number' || typeof error.errCode === 'string' ? error.errCode : null,
  }));
}

const quoteErrors = (errors: FourDError[]): string =>
  errors
    .map(
      (e) =>
        `"${e.message}"${e.component || e.code !== null ? ` (${[e.component, e.code].filter((p) => p !== null && p !== '').join(' ')})` : ''}`,
    )
    .join('; ');

/** Whether 4D refused the call for the session's privileges: 401/403, or dbmg 1561 in the body. */
export function isPermissionRefusal(response: RawResponse): boolean {
  if (response.status === 401 || response.status === 403) return true;
  return fourDErrorsIn(response.body).some(
    (e) => Number(e.code) === NO_PERMISSION_ERROR || /no permission to execute/i.test(e.message),
  );
}

/** Whether a text speaks of licences (4D's "licence"/"license", any case). */
export const mentionsLicence = (text: string): boolean => /licen[cs]e/i.test(text);

const bodyText = (response: RawResponse): string => response.body.toString('utf8');

const NO_LICENCE_FIX =
  'Every logged-in REST session holds a 4D Client licence until it has been idle for its timeout (60 minutes at least): free one (log out or wait for idle REST or Qodly sessions to end) or add licences; this app keeps one session per server and reuses it.';

function noLicence(what: string, status: number | null): Failed {
  return failure('no-licence', `The server has no free 4D Client licence for ${what}. ${NO_LICENCE_FIX}`, {
    status,
  });
}

export interface AnswerContext {
  url: URL;
  route: PushRoute;
  auth: PushAuthKind;
  /** The login function of the REST route (`authentify`). */
  loginFunction: string;
}

/** The name of the function a REST URL calls (`/rest/$catalog/refreshMobileSessions` → refreshMobileSessions). */
const functionOf = (url: URL): string =>
  decodeURIComponent(url.pathname.split('/').filter(Boolean).at(-1) ?? '');

/**
 * The login function's answer: the documented success is `{"result": {"success": true}}` and
 * nothing else. Any other answer is its refusal, reported with what it said (4D's own example
 * login returns a Text such as "Wrong password").
 */
export function loginOutcome(response: RawResponse, context: AnswerContext): Failed | null {
  const where = `the login function "${context.loginFunction}"`;
  const errors = fourDErrorsIn(response.body);
  if (
    mentionsLicence(errors.map((e) => e.message).join(' ') || bodyText(response).slice(0, 2000)) &&
    response.status >= 400
  ) {
    return noLicence('the login', response.status);
  }
  if (response.status === 404) {
    return failure(
      'endpoint-missing',
      `Nothing answers at ${context.url.href} (HTTP 404): the REST server is off ("Expose as REST server" in Settings > Web > Web Features, then restart 4D Server), or the DataStore class has no exposed function "${context.loginFunction}" (docs/push.md, section 4.2).`,
      { status: 404 },
    );
  }
  if (isPermissionRefusal(response)) {
    return failure(
      'not-allowed',
      `4D refused to run ${where} before the login (HTTP ${response.status}${errors.length ? `: ${quoteErrors(errors)}` : ''}): with forced login, the only function a REST guest session may call is the DataStore's exposed "authentify"; name yours so.`,
      { status: response.status },
    );
  }
  if (response.status < 200 || response.status >= 300) return null; // the caller's generic HTTP reading
  const json = jsonOf(response.body);
  const result = isRecord(json) ? json.result : undefined;
  if (isRecord(result) && result.success === true) return null;
  const said =
    typeof result === 'string'
      ? result
      : isRecord(result) && typeof result.message === 'string'
        ? result.message
        : isRecord(result) && typeof result.statusText === 'string'
          ? result.statusText
          : json === undefined
            ? describeBody(response.body, response.headers['content-type'])
            : JSON.stringify(result ?? json).slice(0, 200);
  if (mentionsLicence(said)) return noLicence('the login', response.status);
  return failure(
    'credentials-refused',
    `${where[0]?.toUpperCase()}${where.slice(1)} refused the login: it answered ${typeof result === 'string' ? `"${said}"` : said} instead of {"success": true}. Check the user name and the secret (docs/push.md, section 4.2).`,
    { status: response.status, fix: { setting: 'secret' } },
  );
}

/** Why the handler route (A) did not answer with the Push answer, in 4D's terms. */
function handlerFailure(response: RawResponse, context: AnswerContext): Failed | null {
  const { status } = response;
  const text = bodyText(response);
  if (/Cannot find singleton function/i.test(text)) {
    return failure(
      'endpoint-missing',
      `4D found the handler's class but not its function ("Cannot find singleton function"): the "method" of the HTTPHandlers.json entry must name a function of the class (refresh in docs/push.md); fix it and restart the web server.`,
      { status },
    );
  }
  if (/Cannot find singleton/i.test(text)) {
    return failure(
      'endpoint-missing',
      `4D cannot find the handler's class ("Cannot find singleton"): the "class" of the HTTPHandlers.json entry must name a class that starts with "shared singleton Class constructor()" (MobileSessionsHandler in docs/push.md); fix it and restart the web server.`,
      { status },
    );
  }
  if (status === 403) {
    const errors = fourDErrorsIn(response.body);
    return failure(
      'not-allowed',
      `4D refused to run the handler for the guest session (HTTP 403${errors.length ? `: ${quoteErrors(errors)}` : ''}): roles.json restricts functions, so guest needs "execute" on the singleton method: add {"applyTo": "MobileSessionsHandler.refresh", "type": "singletonMethod", "execute": ["guest"]} to its "allowed" permissions and restart 4D Server (it reads roles.json at startup).`,
      { status },
    );
  }
  if (status === 401) {
    return failure(
      'credentials-refused',
      `The server refused the secret (HTTP 401): the secret given here is not the one whose SHA-256 is in push-secret.sha256 on the server (docs/push.md, section 2).`,
      { status, fix: { setting: 'secret' } },
    );
  }
  if (status === 404) {
    return failure(
      'endpoint-missing',
      `Nothing handles ${context.url.href} (HTTP 404): the HTTP handler is not loaded. 4D reads HTTPHandlers.json when its web server starts: restart the web server (or 4D Server) after adding the entry of docs/push.md, and check its "regexPattern" against the URL.`,
      { status },
    );
  }
  if (status === 405) {
    return failure(
      'endpoint-missing',
      `${context.url.href} refuses POST (HTTP 405): the "verbs" of the HTTPHandlers.json entry must include post; fix it and restart the web server.`,
      { status },
    );
  }
  if (status >= 200 && status < 300 && !parseRefreshAnswer(response.body)) {
    return failure(
      'bad-answer',
      `${context.url.host} answered with ${describeBody(response.body, response.headers['content-type'])}, not the Push answer: the handler is not loaded, and something else answered (the On Web Connection database method, or another page). Restart the web server after editing HTTPHandlers.json, and check the URL (docs/push.md, section 3).`,
      { status },
    );
  }
  return null;
}

/** Why the REST route (B) did not answer with the Push answer, in 4D's terms. */
function restFailure(response: RawResponse, context: AnswerContext, loggedIn: boolean): Failed | null {
  const { status } = response;
  const errors = fourDErrorsIn(response.body);
  const name = functionOf(context.url);
  if (
    status >= 400 &&
    mentionsLicence(errors.map((e) => e.message).join(' ') || bodyText(response).slice(0, 2000))
  ) {
    return noLicence('the REST session', status);
  }
  if (status === 404) {
    return failure(
      'endpoint-missing',
      `Nothing answers at ${context.url.href} (HTTP 404${errors.length ? `: ${quoteErrors(errors)}` : ''}): the REST server is off ("Expose as REST server" in Settings > Web > Web Features, then restart 4D Server), or the DataStore class has no exposed function "${name}" (docs/push.md, section 4.2).`,
      { status },
    );
  }
  if (isPermissionRefusal(response)) {
    if (context.auth === 'rest-login' && loggedIn) {
      return failure(
        'not-allowed',
        `The login worked, but 4D refused to run "${name}" (HTTP ${status}${errors.length ? `: ${quoteErrors(errors)}` : ''}): roles.json must grant "execute" on ds.${name} to the privilege the login function sets (mobileSessionsPush in docs/push.md, section 4.3); 4D reads roles.json at startup, so restart after editing it, and check that Logs/Roles_Errors.json does not exist.`,
        { status },
      );
    }
    return failure(
      'not-allowed',
      `4D refused to run "${name}" for a session that is not logged in (HTTP ${status}${errors.length ? `: ${quoteErrors(errors)}` : ''}): with forced login, set the authentication to the REST login (rest-login, with the user of docs/push.md, section 4.2).`,
      { status, fix: null },
    );
  }
  if (status >= 200 && status < 300 && !parseRefreshAnswer(response.body)) {
    return failure(
      'bad-answer',
      `${context.url.host} answered with ${describeBody(response.body, response.headers['content-type'])}, not a REST answer: the REST server is off ("Expose as REST server" in Settings > Web > Web Features, then restart 4D Server), or another web server answers at this URL.`,
      { status },
    );
  }
  if (errors.length && (status < 200 || status >= 300)) {
    return failure(
      'server-error',
      `4D answered HTTP ${status} with ${quoteErrors(errors)}: read the 4D Server's logs, fix what it says, then push again.`,
      { status },
    );
  }
  return null;
}

/** The function call's refusal in 4D's terms, or null when the generic HTTP reading applies. */
export function callFailure(response: RawResponse, context: AnswerContext, loggedIn: boolean): Failed | null {
  return context.route === 'handler'
    ? handlerFailure(response, context)
    : restFailure(response, context, loggedIn);
}
