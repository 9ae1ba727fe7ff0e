/**
 * The real push client against the 4D Server double, over real HTTP and HTTPS on 127.0.0.1:
 * every answer and every transport failure an admin can meet.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  writeFile,
  writeSession,
} from '../../../test/support/fixtures.js';
import {
  makeSelfSignedCert,
  opensslMissing,
  type SelfSignedCert,
} from '../../../test/support/selfSignedCert.js';
import { FourDServerDouble, type FourDServerDoubleOptions } from '../demo/fourDServerDouble.js';
import { cookiesFrom, loginUrl, type PushTarget, requestRefresh, shellArgument } from './pushClient.js';
import { fetchServerCertificate } from './serverCertificate.js';

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

describe('requestRefresh over HTTP', () => {
  it('succeeds: the server reloads and answers success', async () => {
    const session = await writeSession(root, { status: 'pending' });
    const d = await start();
    const outcome = await requestRefresh(target(d.handlerUrl));
    expect(outcome).toEqual({ ok: true, status: 200, answer: { success: true, errors: [] } });
    expect(d.refreshCount).toBe(1);
    expect(d.requests[0]?.headers.authorization).toBe('Bearer s3cret');
    expect(d.statusOf(session.ref)).toBe('pending');
  });

  it('returns the 4D errors the server reports', async () => {
    await writeSession(root);
    const d = await start();
    await writeFile(root, IOS_FOLDER, 'abcdef01', '{broken');
    const outcome = await requestRefresh(target(d.handlerUrl));
    expect(outcome.ok).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.answer.success).toBe(false);
    expect(outcome.answer.errors).toEqual([
      { component: 'mobi', code: 2, message: expect.stringContaining(`${IOS_FOLDER}/abcdef01`) },
    ]);
  });

  it('401: the credentials are refused', async () => {
    const d = await start();
    const outcome = await requestRefresh(target(d.handlerUrl, { secret: 'wrong' }));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'credentials-refused', status: 401 } });
    if (!outcome.ok) expect(outcome.failure.message).toMatch(/secret/);
    expect(d.refreshCount).toBe(0);
  });

  it('404: the endpoint is not installed, and the message points to docs/push.md', async () => {
    const d = await start();
    const outcome = await requestRefresh(target(`${d.origin}/not/installed`));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'endpoint-missing', status: 404 } });
    if (!outcome.ok) expect(outcome.failure.message).toContain('docs/push.md');
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
    const outcome = await requestRefresh(target(d.handlerUrl, { timeoutMs: 3000 }));
    expect(outcome).toMatchObject({ ok: true, answer: { success: true } });
  });

  it('reports an unreachable server (nothing listens on the port)', async () => {
    const port = await closedPort();
    const outcome = await requestRefresh(target(`http://127.0.0.1:${port}/mobile-sessions/refresh`));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'unreachable' } });
    if (!outcome.ok) expect(outcome.failure.message).toMatch(/connection refused/);
  });

  it('reports a garbage answer: not JSON, or JSON of another shape', async () => {
    const d = await start({ answer: 'garbage' });
    const garbage = await requestRefresh(target(d.handlerUrl));
    expect(garbage).toMatchObject({ ok: false, failure: { kind: 'bad-answer' } });
    if (!garbage.ok) expect(garbage.failure.message).toMatch(/text\/html "<html>/);
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
    if (!outcome.ok) expect(outcome.failure.message).toContain('The double was told to fail.');
  });

  it('needs a secret for an authenticated route', async () => {
    const d = await start();
    const outcome = await requestRefresh(target(d.handlerUrl, { secret: null }));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'no-secret' } });
    expect(d.requests).toHaveLength(0);
  });

  it('is harmless twice in a row', async () => {
    await writeSession(root);
    const d = await start();
    expect(await requestRefresh(target(d.handlerUrl))).toMatchObject({ ok: true, answer: { success: true } });
    expect(await requestRefresh(target(d.handlerUrl))).toMatchObject({ ok: true, answer: { success: true } });
    expect(d.lastRefresh).toMatchObject({ reloaded: [], removed: [], dropped: [] });
  });
});

describe('requestRefresh with the 4D REST login flow', () => {
  const restTarget = (d: FourDServerDouble, password: string) =>
    target(d.restUrl, { auth: 'rest-login', user: 'push', secret: password });

  it('logs in, keeps the session cookie, calls the function and unwraps its result', async () => {
    const d = await start({ restLogin: { user: 'push', password: 'pw' } });
    const outcome = await requestRefresh(restTarget(d, 'pw'));
    expect(outcome).toEqual({ ok: true, status: 200, answer: { success: true, errors: [] } });
    const [login, refresh] = d.requests;
    expect(login?.path).toBe('/rest/$catalog/authentify');
    expect(JSON.parse(login?.body ?? '')).toEqual([{ user: 'push', password: 'pw' }]);
    expect(refresh?.headers.cookie).toMatch(/^4DSID_MobileSessionsDouble=/);
    expect(refresh?.body).toBe('[]');
  });

  it('reports a refused login as refused credentials, without calling the function', async () => {
    const d = await start({ restLogin: { user: 'push', password: 'pw' } });
    const outcome = await requestRefresh(restTarget(d, 'bad'));
    expect(outcome).toMatchObject({ ok: false, failure: { kind: 'credentials-refused' } });
    expect(d.refreshCount).toBe(0);
    expect(d.requests).toHaveLength(1);
  });

  it('finds the login function beside /rest/, and reads cookies', () => {
    expect(loginUrl(new URL('https://h:8443/rest/$catalog/refreshMobileSessions'), 'authentify').href).toBe(
      'https://h:8443/rest/$catalog/authentify',
    );
    expect(loginUrl(new URL('https://h/mobile-sessions/refresh'), 'logMeIn').href).toBe(
      'https://h/rest/$catalog/logMeIn',
    );
    expect(cookiesFrom({ 'set-cookie': ['a=1; Path=/; HttpOnly', 'b=2'] })).toBe('a=1; b=2');
    expect(cookiesFrom({})).toBeNull();
  });

  it('writes a root as a shell argument in its advice', () => {
    expect(shellArgument('/srv/4D/Data/MobileApps')).toBe('/srv/4D/Data/MobileApps');
    expect(shellArgument("/Volumes/My Server/Bob's/MobileApps")).toBe(
      `'/Volumes/My Server/Bob'\\''s/MobileApps'`,
    );
  });
});

const noOpenssl = opensslMissing();

describe.skipIf(noOpenssl !== null)(
  `requestRefresh over HTTPS ${noOpenssl ? `(skipped: ${noOpenssl})` : ''}`,
  () => {
    let certDir: string;
    let cert: SelfSignedCert;
    let other: SelfSignedCert;
    beforeAll(async () => {
      certDir = await makeTempDir('ms-cert-');
      cert = makeSelfSignedCert(certDir, 'localhost');
      other = makeSelfSignedCert(certDir, 'other');
    });
    afterAll(async () => {
      await removeDir(certDir);
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
      if (!outcome.ok) {
        expect(outcome.failure.message).toContain(cert.fingerprint256);
        expect(outcome.failure.message).toContain('self-signed');
        // The engine speaks no door's language: each door words the fix (a command, a settings field).
        expect(outcome.failure.message).not.toMatch(/--|mobile-sessions |MOBILE_SESSIONS_/);
      }
      expect(d.requests).toHaveLength(0);
    });

    it('succeeds with the certificate pinned for this server', async () => {
      const d = await start({ tls: cert });
      const outcome = await requestRefresh(target(d.handlerUrl, { fingerprint256: cert.fingerprint256 }));
      expect(outcome).toMatchObject({ ok: true, answer: { success: true } });
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
      ).toMatchObject({
        ok: false,
        failure: { kind: 'timeout' },
      });
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
      const outcome = await requestRefresh(target(d.handlerUrl.replace('http:', 'https:')));
      expect(outcome).toMatchObject({ ok: false, failure: { kind: 'tls-handshake' } });
    });

    it('reads a server certificate for pinning', async () => {
      const d = await start({ tls: cert });
      const seen = await fetchServerCertificate(d.handlerUrl, 3000);
      expect(seen).toMatchObject({
        fingerprint256: cert.fingerprint256,
        selfSigned: true,
        trustedBySystem: false,
        untrustedReason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      });
      expect(d.requests).toHaveLength(0);
    });
  },
);
