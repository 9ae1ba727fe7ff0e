/**
 * The browser-mode server's security, over real HTTP on 127.0.0.1: the access token (header, URL
 * once, then an HttpOnly SameSite=Strict cookie), Host and Origin checks against DNS rebinding and
 * cross-site calls, body limits, methods, static files confined to the renderer folder, the
 * security headers, and the event stream.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AppEvent, type Envelope, MAX_REQUEST_BYTES } from '../../shared/contract.js';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp.js';
import {
  makeRendererFixture,
  openEventStream,
  RENDERER_FIXTURE,
  testHooks,
  waitFor,
} from '../../test/support/contractFixture.js';
import {
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  sessionId,
  sessionJson,
  writeFile,
  writeSession,
} from '../../test/support/fixtures.js';
import { AppService } from '../services/appService.js';
import { startWebServer, type WebServer } from './server.js';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: WebServer;
let service: AppService;
let token: string;
let root: string;
let dataDir: string;
let fixture: { base: string; rendererDir: string };
const logged: unknown[] = [];

/** One raw HTTP request: the path is sent exactly as given (no client-side normalisation). */
function request(
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        // A connection per request, closed after it: nothing keeps the server from closing.
        agent: false,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers: options.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const bearer = () => ({ authorization: `Bearer ${token}` });
const api = (method: string, params: unknown = {}, headers: Record<string, string> = bearer()) =>
  request({
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(params),
  });
const envelopeOf = (answer: Answer) => JSON.parse(answer.body) as Envelope<unknown>;

beforeAll(async () => {
  root = await makeTempDir('ms-web-root-');
  dataDir = await makeTempDir('ms-web-data-');
  fixture = await makeRendererFixture();
  for (const status of ['accepted', 'pending', 'pending']) await writeSession(root, { status });
  service = new AppService({
    dataDir,
    hooks: testHooks('browser', async () => root),
  });
  await service.handlers.openRoot({ root });
  token = randomBytes(24).toString('base64url');
  server = await startWebServer({
    service,
    rendererDir: fixture.rendererDir,
    host: '127.0.0.1',
    port: 0,
    token,
    log: (message, error) => logged.push({ message, error }),
  });
});

afterAll(async () => {
  await server?.close();
  await service?.close();
  await removeDir(root);
  await removeDir(dataDir);
  await removeDir(fixture.base);
});

describe('the browser-mode server', () => {
  it('prints its URL on loopback with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`);
  });

  it('refuses every request without the token (401)', async () => {
    const answers = [
      await request({ path: '/' }),
      await request({ path: '/index.html' }),
      await request({ path: '/assets/app.js' }),
      await request({ path: '/api/events' }),
      await api('getState', {}, {}),
      await api('setStatus', { refs: ['x/ab'], status: 'accepted' }, {}),
    ];
    expect(answers.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401]);
    for (const answer of answers) {
      expect(answer.body).not.toContain(RENDERER_FIXTURE.indexHtml);
      expect(envelopeOf(answer)).toMatchObject({
        ok: false,
        error: { message: expect.stringMatching(/token/) },
      });
    }
  });

  it('refuses a wrong token (401), wherever it comes from', async () => {
    const wrong = randomBytes(24).toString('base64url');
    const answers = [
      await api('getState', {}, { authorization: `Bearer ${wrong}` }),
      await api('getState', {}, { authorization: `Bearer ${token.slice(0, -1)}` }),
      await api('getState', {}, { authorization: `Bearer ${token}x` }),
      await api('getState', {}, { authorization: `Basic ${token}` }),
      await api('getState', {}, { authorization: token }),
      await api('getState', {}, { cookie: `mobile_sessions_token=${wrong}` }),
      await api('getState', {}, { cookie: `other_cookie=${token}` }),
      await request({ path: `/?token=${wrong}` }),
      await request({ path: `/?token=${token.toUpperCase()}` }),
      await request({ path: '/?token=' }),
    ];
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 401));
    expect(answers.some((a) => 'set-cookie' in a.headers)).toBe(false);
  });

  it('accepts the token in the URL once, then as an HttpOnly SameSite=Strict cookie', async () => {
    const first = await request({ path: `/?token=${token}` });
    expect(first.status).toBe(200);
    expect(first.body).toBe(RENDERER_FIXTURE.indexHtml);
    expect(first.headers['content-type']).toMatch(/^text\/html/);
    const setCookie = first.headers['set-cookie']?.[0] ?? '';
    expect(setCookie).toMatch(new RegExp(`^mobile_sessions_token=${token};`));
    const attributes = setCookie
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attributes).toEqual(expect.arrayContaining(['httponly', 'samesite=strict', 'path=/']));

    const cookie = setCookie.split(';')[0] as string;
    const script = await request({ path: '/assets/app.js', headers: { cookie } });
    expect(script.status).toBe(200);
    expect(script.body).toBe(RENDERER_FIXTURE.appJs);
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    const state = await api('getState', {}, { cookie: `theme=dark; ${cookie}` });
    expect(state.status).toBe(200);
    expect(envelopeOf(state)).toMatchObject({ ok: true, result: { root } });
    // A page loaded with the cookie gets no new cookie.
    expect((await request({ path: '/', headers: { cookie } })).headers['set-cookie']).toBeUndefined();
  });

  it('answers only to its own Host (403 otherwise, against DNS rebinding)', async () => {
    const port = server.port;
    for (const host of [
      `evil.example:${port}`,
      'evil.example',
      `127.0.0.1:${port + 1}`,
      `127.0.0.2:${port}`,
    ]) {
      const answer = await request({ path: `/?token=${token}`, headers: { host } });
      expect(answer.status, host).toBe(403);
      expect(answer.body).not.toContain(RENDERER_FIXTURE.indexHtml);
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect((await api('getState', {}, { ...bearer(), host })).status, host).toBe(403);
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await api('getState', {}, { ...bearer(), host })).status, host).toBe(200);
    }
  });

  it('refuses a foreign Origin (403), accepts its own', async () => {
    const port = server.port;
    for (const origin of [
      'http://evil.example',
      `http://evil.example:${port}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port}.evil.example`,
      'null',
    ]) {
      const answer = await api('setStatus', { refs: ['x/ab'], status: 'accepted' }, { ...bearer(), origin });
      expect(answer.status, origin).toBe(403);
    }
    expect((await api('getState', {}, { ...bearer(), origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });

  it('refuses a body over MAX_REQUEST_BYTES (413) and stays up', async () => {
    const big = JSON.stringify({ ref: 'a'.repeat(MAX_REQUEST_BYTES) });
    const declared = await api('getSession', { ref: 'a'.repeat(MAX_REQUEST_BYTES) });
    expect(declared.status).toBe(413);
    expect(envelopeOf(declared)).toMatchObject({ ok: false, error: { code: 'bad-request' } });

    // Without a Content-Length (chunked): counted as it arrives.
    const chunked = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/api/getSession',
          headers: { ...bearer(), 'transfer-encoding': 'chunked' },
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      // The server may answer and close before the whole body is sent.
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
      });
      const bytes = Buffer.from(big);
      for (let i = 0; i < bytes.length; i += 64 * 1024) req.write(bytes.subarray(i, i + 64 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);

    expect((await api('getState')).status).toBe(200);
  });

  it('refuses a body that is not JSON (400)', async () => {
    for (const body of ['{not json', "{'ref': 1}", '\u0000', 'undefined']) {
      const answer = await request({ method: 'POST', path: '/api/getSession', headers: bearer(), body });
      expect(answer.status, body).toBe(400);
      expect(envelopeOf(answer)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
  });

  it('answers a malformed request with 400 and the contract error, an unknown method too', async () => {
    const malformed = await api('getSession', { ref: 42 });
    expect(malformed.status).toBe(400);
    expect(envelopeOf(malformed)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect((await api('noSuchRequest')).status).toBe(400);
    // A failure that is not the request's fault is a 200 with the error in the envelope.
    const unknown = await api('getSession', { ref: `${IOS_FOLDER}/${'d'.repeat(40)}` });
    expect(unknown.status).toBe(200);
    expect(envelopeOf(unknown)).toMatchObject({ ok: false, error: { code: 'unknown-ref' } });
  });

  it('wants requests POSTed (405) and serves files only to GET and HEAD', async () => {
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      expect((await request({ method, path: '/api/getState', headers: bearer() })).status, method).toBe(405);
    }
    for (const method of ['POST', 'PUT', 'DELETE']) {
      expect((await request({ method, path: '/index.html', headers: bearer() })).status, method).toBe(405);
    }
    const head = await request({ method: 'HEAD', path: '/', headers: bearer() });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('never serves a file outside the renderer folder (404)', async () => {
    const attempts = [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/%2E%2E/secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fpackage.json',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/index.html%00.js',
      '/assets/app.js%00',
      '/%00',
      '/%E0%A4%A',
      '//etc/passwd',
      '/%2fetc%2fpasswd',
      `/${encodeURIComponent(path.join(fixture.base, 'secret.txt'))}`,
      '/assets',
      '/assets/',
      '/missing.js',
    ];
    for (const attempt of attempts) {
      const answer = await request({ path: attempt, headers: bearer() });
      expect(answer.status, attempt).toBe(404);
      expect(answer.body, attempt).not.toMatch(/SECRET|outside-the-renderer|root:/);
    }
    expect((await request({ path: '/assets/app.js', headers: bearer() })).status).toBe(200);
  });

  it('never follows a link out of the renderer folder', async () => {
    const link = path.join(fixture.rendererDir, 'assets', 'link.js');
    await fs.symlink(path.join(fixture.base, 'secret.txt'), link);
    try {
      const answer = await request({ path: '/assets/link.js', headers: bearer() });
      expect(answer.status).toBe(404);
      expect(answer.body).not.toContain('SECRET');
    } finally {
      await fs.rm(link);
    }
  });

  it('sends the Content-Security-Policy and nosniff with every response', async () => {
    const answers = {
      page: await request({ path: '/', headers: bearer() }),
      script: await request({ path: '/assets/app.js', headers: bearer() }),
      api: await api('getState'),
      badRequest: await api('getSession', {}),
      unauthorized: await request({ path: '/' }),
      forbidden: await request({ path: '/', headers: { ...bearer(), host: 'evil.example' } }),
      notFound: await request({ path: '/nope', headers: bearer() }),
    };
    for (const [name, answer] of Object.entries(answers)) {
      expect(answer.headers['content-security-policy'], name).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers['x-content-type-options'], name).toBe('nosniff');
    }
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|\*/);
  });

  it('streams an AppEvent over /api/events after a change on disk', async () => {
    const events: AppEvent[] = [];
    const close = await openEventStream(`http://127.0.0.1:${server.port}/api/events`, bearer(), (event) =>
      events.push(event),
    );
    try {
      const id = sessionId();
      const ref = `${IOS_FOLDER}/${id}`;
      await writeFile(root, IOS_FOLDER, id, sessionJson({ id, status: 'pending' }));
      const added = await waitFor(
        () =>
          events
            .flatMap((event) => (event.type === 'deltas' ? event.deltas : []))
            .find((delta) => delta.type === 'session-added' && delta.ref === ref),
        'a session-added delta on the event stream',
      );
      expect(added).toMatchObject({ type: 'session-added', ref, session: { status: 'pending', id } });
    } finally {
      close();
    }
  });

  it('the event stream needs the token too, and is GET only', async () => {
    expect((await request({ path: '/api/events' })).status).toBe(401);
    expect((await request({ method: 'POST', path: '/api/events', headers: bearer() })).status).toBe(400);
  });

  it('logged no unexpected failure', () => {
    expect(logged).toEqual([]);
  });
});
