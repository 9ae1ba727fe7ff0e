/**
 * The real push client against the 4D Server double, over real HTTP and HTTPS on 127.0.0.1:
 * every answer and every transport failure an admin can meet, 4D's refusals per route in 4D's
 * terms, one REST login for many pushes, proxies and company certificate authorities.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CompanyCa, makeCompanyCa } from '../../../test/support/companyCa.js';
import {
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  writeFile,
  writeSession,
} from '../../../test/support/fixtures.js';
import { startTestProxy, type TestProxy } from '../../../test/support/httpProxy.js';
import {
  makeSelfSignedCert,
  opensslMissing,
  type SelfSignedCert,
} from '../../../test/support/selfSignedCert.js';
import { FourDServerDouble, type FourDServerDoubleOptions } from '../demo/fourDServerDouble.js';
import { pushRolesJson } from '../demo/fourDWeb.js';
import {
  defaultConnection,
  loginUrl,
  type PushConnection,
  type PushTarget,
  requestRefresh,
  shellArgument,
} from './pushClient.js';
import { MemoryRestSessions } from './restSessions.js';
import { fetchServerCertificate } from './serverCertificate.js';
import { trustedCertificates } from './trust.js';

let root: string;
let double: FourDServerDouble | null = null;
beforeEach(async () => {
  root = await makeTempDir();
});
afterEach(async () => {
  await double?.close();
  double = null;
  await removeDir(root);
});

async function start(options: Partial<FourDServerDoubleOptions> = {}) {
  double = await FourDServerDouble.start({ root, secret: 's3cret', ...options });
  return double;
}

const target = (url: string, overrides: Partial<PushTarget> = {}): PushTarget => ({
  url,
  auth: 'bearer',
  user: null,
  secret: 's3cret',
  loginFunction: 'authentify',
  timeoutMs: 3000,
  fingerprint256: null,
  ...overrides,
});

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const failureOf = (outcome: Awaited<ReturnType<typeof requestRefresh>>) =>
  outcome.ok ? null : outcome.failure;

describe('requestRefresh over HTTP (route A)', () => {
  it('succeeds: the server reloads and answers success', async () => {
    const session = await writeSession(root, { status: 'pending' });
    const d = await start();
    const outcome = await requestRefresh(target(d.handlerUrl));
    expect(outcome).toEqual({ ok: true, status: 200, answer: { success: true, errors: [] } });
    expect(d.refreshCount).toBe(1);
    expect(d.requests[0]?.headers.authorization).toBe('Bearer s3cret');
    expect(d.statusOf(session.ref)).toBe('pending');
  });

  it("returns the 4D errors the server reports, in 4D's words", async () => {
    await writeSession(root);
    const d = await start();
    await writeFile(root, IOS_FOLDER, 'abcdef01', '{broken');
    const outcome = await requestRefresh(target(d.handlerUrl));
    expect(outcome).toMatchObject({
      ok: true,
      answer: {
        success: false,
        errors: [{ component: 'mobi', code: 2, message: 'The json file is not correctly formed' }],
      },
    });
  });

  it('401: the secret is refused, and the fix is the secret', async () => {
    const d = await start();
    const outcome = await requestRefresh(target(d.handlerUrl, { secret: 'wrong' }));
    expect(outcome).toMatchObject({
      ok: false,
      failure: { kind: 'credentials-refused', status: 401, fix: { setting: 'secret' } },
    });
    expect(failureOf(outcome)?.message).toMatch(/push-secret\.sha256/);
    expect(d.refreshCount).toBe(0);
  });

  it('403: guest lacks "execute" on the singleton method in roles.json, and says so', async () => {
    const roles = pushRolesJson();
    roles.permissions.allowed = roles.permissions.allowed.filter((p) => p.type !== 'singletonMethod');
    const d = await start({ roles });
    const outcome = await requestRefresh(target(d.handlerUrl));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'not-allowed', status: 403 } });
    const message = failureOf(outcome)?.message ?? '';
    expect(message).toMatch(/guest/);
    expect(message).toContain(
      '"applyTo": "MobileSessionsHandler.refresh", "type": "singletonMethod", "execute": ["guest"]',
    );
    expect(message).not.toMatch(/forced login/i);
  });

  it('"Cannot find singleton" and "Cannot find singleton function": what HTTPHandlers.json must name', async () => {
    const d = await start({ handler: 'no-singleton' });
    const noClass = failureOf(await requestRefresh(target(d.handlerUrl)));
    expect(noClass).toMatchObject({ kind: 'endpoint-missing' });
    expect(noClass?.message).toMatch(
      /"Cannot find singleton".*shared singleton Class constructor\(\).*restart the web server/,
    );
    d.handler = 'no-function';
    const noFunction = failureOf(await requestRefresh(target(d.handlerUrl)));
    expect(noFunction).toMatchObject({ kind: 'endpoint-missing' });
    expect(noFunction?.message).toMatch(/"Cannot find singleton function".*"method".*restart the web server/);
  });

  it('a handler that is not loaded: a 404, or the On Web Connection page, means restart the web server', async () => {
    const d = await start({ handler: 'not-loaded' });
    const missing = failureOf(await requestRefresh(target(d.handlerUrl)));
    expect(missing).toMatchObject({ kind: 'endpoint-missing', status: 404 });
    expect(missing?.message).toMatch(/not loaded.*restart the web server/);
    await d.close();
    const page = await start({
      handler: 'not-loaded',
      onWebConnection: '<html><body>Our intranet</body></html>',
    });
    const other = failureOf(await requestRefresh(target(page.handlerUrl)));
    expect(other).toMatchObject({ kind: 'bad-answer', status: 200 });
    expect(other?.message).toMatch(
      /text\/html "<html><body>Our intranet.*On Web Connection.*Restart the web server/,
    );
  });

  it('times out when the server takes longer than allowed', async () => {
    const d = await start({ delayMs: 1500 });
    const started = Date.now();
    const outcome = await requestRefresh(target(d.handlerUrl, { timeoutMs: 200 }));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('waits for a slow server that answers within the timeout', async () => {
    const d = await start({ delayMs: 300 });
    expect(await requestRefresh(target(d.handlerUrl, { timeoutMs: 3000 }))).toMatchObject({
      ok: true,
      answer: { success: true },
    });
  });

  it('reports an unreachable server (nothing listens on the port)', async () => {
    const port = await closedPort();
    const outcome = await requestRefresh(target(`http://127.0.0.1:${port}/mobile-sessions/refresh`));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'unreachable' } });
    expect(failureOf(outcome)?.message).toMatch(/connection refused/);
  });

  it('reports a garbage answer: not JSON, or JSON of another shape', async () => {
    const d = await start({ answer: 'garbage' });
    const garbage = await requestRefresh(target(d.handlerUrl));
    expect(garbage).toMatchObject({ ok: false, failure: { kind: 'bad-answer' } });
    expect(failureOf(garbage)?.message).toMatch(/text\/html "<html>/);
    d.answer = 'wrong-shape';
    expect(await requestRefresh(target(d.handlerUrl))).toMatchObject({
      ok: false,
      failure: { kind: 'bad-answer' },
    });
  });

  it('reports a server failure (HTTP 500) with what the server said', async () => {
    const d = await start({ answer: 'server-error' });
    const outcome = await requestRefresh(target(d.handlerUrl));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'server-error', status: 500 } });
    expect(failureOf(outcome)?.message).toContain('The double was told to fail.');
  });

  it('needs a secret for an authenticated route', async () => {
    const d = await start();
    expect(await requestRefresh(target(d.handlerUrl, { secret: null }))).toMatchObject({
      ok: false,
      failure: { kind: 'no-secret' },
    });
    expect(d.requests).toHaveLength(0);
  });

  it('is harmless twice in a row, and sends back the session cookie 4D set', async () => {
    await writeSession(root);
    const d = await start();
    const connection = defaultConnection();
    expect(await requestRefresh(target(d.handlerUrl), connection)).toMatchObject({ ok: true });
    expect(await requestRefresh(target(d.handlerUrl), connection)).toMatchObject({ ok: true });
    expect(d.lastRefresh).toMatchObject({ reloaded: [], removed: [], dropped: [] });
    expect(d.requests[1]?.headers.cookie).toMatch(/^4DSID_MobileSessionsDouble=/);
  });
});

describe('requestRefresh with the 4D REST login (route B)', () => {
  const restTarget = (d: FourDServerDouble, password = 's3cret') =>
    target(d.restUrl, { auth: 'rest-login', user: 'mobile-sessions', secret: password });

  it('logs in, keeps the session cookie, calls the function and unwraps its result', async () => {
    const d = await start();
    const outcome = await requestRefresh(restTarget(d));
    expect(outcome).toEqual({ ok: true, status: 200, answer: { success: true, errors: [] } });
    const [login, refresh] = d.requests;
    expect(login?.path).toBe('/rest/$catalog/authentify');
    expect(JSON.parse(login?.body ?? '')).toEqual([{ user: 'mobile-sessions', password: 's3cret' }]);
    expect(refresh?.headers.cookie).toMatch(/^4DSID_MobileSessionsDouble=/);
    expect(refresh?.body).toBe('[]');
  });

  it('several pushes cost one login, so one 4D Client licence', async () => {
    const d = await start({ licences: 1 });
    const connection: PushConnection = { ...defaultConnection(), sessions: new MemoryRestSessions() };
    for (let i = 0; i < 4; i += 1) {
      expect(await requestRefresh(restTarget(d), connection)).toMatchObject({ ok: true });
    }
    expect(d.refreshCount).toBe(4);
    expect(d.web.logins).toBe(1);
    expect(d.requests.filter((r) => r.path.endsWith('/authentify'))).toHaveLength(1);
    expect(d.licencesInUse).toBe(1);
  });

  it('logs in again, once, only when 4D refuses the kept session (expired, or the server restarted)', async () => {
    let now = Date.now();
    const d = await start({ licences: 1, now: () => now });
    const connection = defaultConnection();
    expect(await requestRefresh(restTarget(d), connection)).toMatchObject({ ok: true });
    d.restartWebServer();
    expect(await requestRefresh(restTarget(d), connection)).toMatchObject({ ok: true });
    now += 61 * 60 * 1000; // idle past 4D's 60 minutes
    expect(await requestRefresh(restTarget(d), connection)).toMatchObject({ ok: true });
    expect(d.requests.filter((r) => r.path.endsWith('/authentify'))).toHaveLength(3);
    expect(d.requests.filter((r) => r.path.endsWith('/refreshMobileSessions'))).toHaveLength(5);
    expect(d.licencesInUse).toBe(1);
  });

  it('no free licence: the login is refused, and the message says what holds the licences', async () => {
    const d = await start({ licences: 1 });
    expect(await requestRefresh(restTarget(d), defaultConnection())).toMatchObject({ ok: true });
    const other = await requestRefresh(restTarget(d), defaultConnection()); // another machine: its own session
    expect(other).toMatchObject({ ok: false, failure: { kind: 'no-licence' } });
    expect(failureOf(other)?.message).toMatch(/no free 4D Client licence.*60 minutes/);
    expect(d.refreshCount).toBe(1);
  });

  it('a refused login is a refused login, with what the login function said', async () => {
    const d = await start();
    const outcome = await requestRefresh(restTarget(d, 'bad'));
    expect(outcome).toMatchObject({
      ok: false,
      failure: { kind: 'credentials-refused', fix: { setting: 'secret' } },
    });
    expect(failureOf(outcome)?.message).toContain('Wrong user or secret.');
    expect(d.requests).toHaveLength(1);
    expect(d.refreshCount).toBe(0);
  });

  it("4D's own example login answers a Text: refused, quoted, and the function is not called", async () => {
    const d = await start({ loginFunction: '4d-example' });
    const outcome = await requestRefresh(restTarget(d, 'bad'));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'credentials-refused' } });
    expect(failureOf(outcome)?.message).toContain('"Wrong password"');
    expect(d.requests).toHaveLength(1);
    // Its success is an empty Text, not the documented {"success": true}: not taken for a login.
    const ok = await requestRefresh(restTarget(d));
    expect(ok).toMatchObject({ ok: false, failure: { kind: 'credentials-refused' } });
    expect(failureOf(ok)?.message).toMatch(/instead of \{"success": true\}/);
  });

  it('logged in, but roles.json does not grant the function: says which entry to add', async () => {
    const roles = pushRolesJson();
    roles.permissions.allowed = roles.permissions.allowed.filter((p) => p.type !== 'method');
    const d = await start({ roles });
    const outcome = await requestRefresh(restTarget(d));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'not-allowed', status: 403 } });
    expect(failureOf(outcome)?.message).toMatch(
      /login worked.*ds\.refreshMobileSessions.*mobileSessionsPush.*restart/,
    );
    expect(failureOf(outcome)?.message).toContain('No permission to execute method refreshMobileSessions');
  });

  it('calling the function without the REST login under forced login: not allowed, set rest-login', async () => {
    const d = await start();
    const outcome = await requestRefresh(target(d.restUrl));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'not-allowed' } });
    expect(failureOf(outcome)?.message).toMatch(/rest-login/);
  });

  it('the REST server is off: "Expose as REST server"', async () => {
    const d = await start({ restServer: false });
    const outcome = await requestRefresh(restTarget(d));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'endpoint-missing', status: 404 } });
    expect(failureOf(outcome)?.message).toMatch(/Expose as REST server/);
  });

  it('a function the DataStore class does not expose: 404, naming it', async () => {
    const d = await start();
    const outcome = await requestRefresh({
      ...restTarget(d),
      url: `${d.origin}/rest/$catalog/refreshSessions`,
    });
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'endpoint-missing', status: 404 } });
    expect(failureOf(outcome)?.message).toMatch(/no exposed function "refreshSessions"/);
    expect(failureOf(outcome)?.message).toMatch(/Expose as REST server/);
  });

  it('finds the login function beside /rest/, and writes a root as a shell argument', () => {
    expect(loginUrl(new URL('https://h:8443/rest/$catalog/refreshMobileSessions'), 'authentify').href).toBe(
      'https://h:8443/rest/$catalog/authentify',
    );
    expect(loginUrl(new URL('https://h/mobile-sessions/refresh'), 'logMeIn').href).toBe(
      'https://h/rest/$catalog/logMeIn',
    );
    expect(shellArgument('/srv/4D/Data/MobileApps')).toBe('/srv/4D/Data/MobileApps');
    expect(shellArgument("/Volumes/My Server/Bob's/MobileApps")).toBe(
      `'/Volumes/My Server/Bob'\\''s/MobileApps'`,
    );
  });
});

describe('requestRefresh through an HTTP proxy', () => {
  let proxy: TestProxy;
  afterEach(async () => {
    await proxy?.close();
  });

  it('sends an http:// push to the proxy, which alone can reach the server', async () => {
    proxy = await startTestProxy();
    const d = await start();
    const port = new URL(d.origin).port;
    const url = `http://fourd.test:${port}/mobile-sessions/refresh`;
    const viaProxy: PushConnection = { ...defaultConnection(), proxy: async () => new URL(proxy.url) };
    expect(await requestRefresh(target(url), viaProxy)).toMatchObject({ ok: true });
    expect(proxy.records).toMatchObject([{ method: 'POST', target: url }]);
    expect(await requestRefresh(target(url))).toMatchObject({ ok: false, failure: { kind: 'unreachable' } });
  });

  it('says when the proxy wants credentials, and passes those of the proxy URL', async () => {
    proxy = await startTestProxy({ credentials: 'ann:pa ss' });
    const d = await start();
    const url = `http://fourd.test:${new URL(d.origin).port}/mobile-sessions/refresh`;
    const without: PushConnection = { ...defaultConnection(), proxy: async () => new URL(proxy.url) };
    const refused = await requestRefresh(target(url), without);
    expect(refused).toMatchObject({ ok: false, failure: { kind: 'unreachable' } });
    expect(failureOf(refused)?.message).toMatch(/proxy 127\.0\.0\.1:\d+ wants credentials \(HTTP 407\)/);
    const withCredentials: PushConnection = {
      ...defaultConnection(),
      proxy: async () => new URL(proxy.url.replace('http://', 'http://ann:pa%20ss@')),
    };
    expect(await requestRefresh(target(url), withCredentials)).toMatchObject({ ok: true });
  });
});

const noOpenssl = opensslMissing();

describe.skipIf(noOpenssl !== null)(
  `requestRefresh over HTTPS ${noOpenssl ? `(skipped: ${noOpenssl})` : ''}`,
  () => {
    let certDir: string;
    let cert: SelfSignedCert;
    let other: SelfSignedCert;
    let company: CompanyCa;
    let proxy: TestProxy | null = null;
    beforeAll(async () => {
      certDir = await makeTempDir('ms-cert-');
      cert = makeSelfSignedCert(certDir, 'localhost');
      other = makeSelfSignedCert(certDir, 'other');
      company = makeCompanyCa(certDir);
    });
    afterAll(async () => {
      await removeDir(certDir);
    });
    afterEach(async () => {
      await proxy?.close();
      proxy = null;
    });

    it('refuses a self-signed certificate by default, naming its fingerprint and how to trust it', async () => {
      const d = await start({ tls: cert });
      const outcome = await requestRefresh(target(d.handlerUrl));
      expect(outcome).toMatchObject({
        ok: false,
        failure: {
          kind: 'tls-untrusted',
          fingerprint256: cert.fingerprint256,
          fix: { setting: 'trust-certificate', fingerprint256: cert.fingerprint256 },
        },
      });
      const message = failureOf(outcome)?.message ?? '';
      expect(message).toContain(cert.fingerprint256);
      expect(message).toContain('self-signed');
      // The engine speaks no door's language: each door words the fix (a command, a settings field).
      expect(message).not.toMatch(/--|mobile-sessions |MOBILE_SESSIONS_/);
      expect(d.requests).toHaveLength(0);
    });

    it('succeeds with the certificate pinned for this server', async () => {
      const d = await start({ tls: cert });
      expect(
        await requestRefresh(target(d.handlerUrl, { fingerprint256: cert.fingerprint256 })),
      ).toMatchObject({
        ok: true,
        answer: { success: true },
      });
    });

    it("trusts a company CA's certificate without pinning: from the system's store, or given as a file", async () => {
      const d = await start({ tls: company });
      expect(await requestRefresh(target(d.handlerUrl))).toMatchObject({
        ok: false,
        failure: { kind: 'tls-untrusted' },
      });
      // The OS trust store (tls.getCACertificates('system') where the runtime has it), stood in for here.
      const systemHasTheCa: PushConnection = {
        ...defaultConnection(),
        ca: trustedCertificates([], [company.caCert]),
      };
      expect(await requestRefresh(target(d.handlerUrl), systemHasTheCa)).toMatchObject({ ok: true });
      const givenAsFile: PushConnection = {
        ...defaultConnection(),
        ca: trustedCertificates([company.caCert], []),
      };
      expect(await requestRefresh(target(d.handlerUrl), givenAsFile)).toMatchObject({ ok: true });
    });

    it('tunnels an https:// push through the proxy (CONNECT), the CA or the pin checked end to end', async () => {
      proxy = await startTestProxy();
      const viaProxy = (extra: Partial<PushConnection> = {}): PushConnection => ({
        ...defaultConnection(),
        proxy: async () => new URL((proxy as TestProxy).url),
        ...extra,
      });
      const d = await start({ tls: company });
      const url = `https://fourd.test:${new URL(d.origin).port}/mobile-sessions/refresh`;
      expect(
        await requestRefresh(target(url), viaProxy({ ca: trustedCertificates([company.caCert], []) })),
      ).toMatchObject({
        ok: true,
      });
      expect(proxy.records).toMatchObject([
        { method: 'CONNECT', target: `fourd.test:${new URL(d.origin).port}` },
      ]);
      // The proxy saw a tunnel, never the secret.
      expect(JSON.stringify(proxy.records)).not.toContain('s3cret');
      const untrusted = await requestRefresh(target(url), viaProxy());
      expect(untrusted).toMatchObject({
        ok: false,
        failure: { kind: 'tls-untrusted', fingerprint256: company.fingerprint256 },
      });
      const pinned = await requestRefresh(
        target(url, { fingerprint256: company.fingerprint256 }),
        viaProxy(),
      );
      expect(pinned).toMatchObject({ ok: true });
      // Still checked: the CA vouches for the names it signed, and no other.
      const otherName = url.replace('fourd.test', 'other.test');
      const wrongName = await requestRefresh(
        target(otherName),
        viaProxy({ ca: trustedCertificates([company.caCert], []) }),
      );
      expect(wrongName).toMatchObject({ ok: false, failure: { kind: 'tls-untrusted' } });
      expect(failureOf(wrongName)?.message).toMatch(/made out to another name/);
    });

    it('returns 4D errors, 401 and 404 over HTTPS too', async () => {
      const d = await start({ tls: cert });
      await writeFile(root, IOS_FOLDER, 'abcdef01', '{broken');
      const pinned = { fingerprint256: cert.fingerprint256 };
      expect(await requestRefresh(target(d.handlerUrl, pinned))).toMatchObject({
        ok: true,
        answer: { success: false, errors: [{ component: 'mobi', code: 2 }] },
      });
      expect(await requestRefresh(target(d.handlerUrl, { ...pinned, secret: 'no' }))).toMatchObject({
        ok: false,
        failure: { kind: 'credentials-refused' },
      });
      expect(await requestRefresh(target(`${d.origin}/nope`, pinned))).toMatchObject({
        ok: false,
        failure: { kind: 'endpoint-missing' },
      });
    });

    it('refuses another certificate than the pinned one, before sending anything', async () => {
      const d = await start({ tls: other });
      const outcome = await requestRefresh(target(d.handlerUrl, { fingerprint256: cert.fingerprint256 }));
      expect(outcome).toMatchObject({
        ok: false,
        failure: { kind: 'tls-changed', fingerprint256: other.fingerprint256 },
      });
      expect(d.requests).toHaveLength(0);
    });

    it('times out over HTTPS too, and reports a garbage answer', async () => {
      const d = await start({ tls: cert, delayMs: 1500 });
      expect(
        await requestRefresh(target(d.handlerUrl, { fingerprint256: cert.fingerprint256, timeoutMs: 200 })),
      ).toMatchObject({ ok: false, failure: { kind: 'timeout' } });
      d.delayMs = 0;
      d.answer = 'garbage';
      expect(
        await requestRefresh(target(d.handlerUrl, { fingerprint256: cert.fingerprint256 })),
      ).toMatchObject({
        ok: false,
        failure: { kind: 'bad-answer' },
      });
    });

    it('says when an https:// URL points at a plain HTTP port', async () => {
      const d = await start();
      expect(await requestRefresh(target(d.handlerUrl.replace('http:', 'https:')))).toMatchObject({
        ok: false,
        failure: { kind: 'tls-handshake' },
      });
    });

    it('reads a server certificate for pinning, through the proxy too', async () => {
      const d = await start({ tls: cert });
      const seen = await fetchServerCertificate(d.handlerUrl, 3000);
      expect(seen).toMatchObject({
        fingerprint256: cert.fingerprint256,
        selfSigned: true,
        trustedBySystem: false,
        untrustedReason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      });
      proxy = await startTestProxy();
      const tunnelled = await fetchServerCertificate(`https://fourd.test:${new URL(d.origin).port}/`, 3000, {
        proxy: new URL(proxy.url),
      });
      expect(tunnelled.fingerprint256).toBe(cert.fingerprint256);
      expect(d.requests).toHaveLength(0);
    });
  },
);
