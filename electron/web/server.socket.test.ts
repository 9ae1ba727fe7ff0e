/**
 * The browser mode's request socket, over real HTTP and real WebSockets (`ws`'s client) on
 * 127.0.0.1: the same requests and envelopes as POST /api/<method>, writes included; the upgrade
 * passes the same checks as any request plus the page's own Origin; a frame that is not a request
 * closes its socket, saying why, and the server stays up.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Envelope, MAX_REQUEST_BYTES } from '../../shared/contract.js';
import { REQUEST_SOCKET_PATH, SOCKET_CLOSE, type SocketAnswer } from '../../shared/requestSocket.js';
import { makeRendererFixture, testHooks } from '../../test/support/contractFixture.js';
import { makeTempDir, removeDir, writeSession } from '../../test/support/fixtures.js';
import { AppService } from '../services/appService.js';
import { startWebServer, type WebServer } from './server.js';

let server: WebServer;
let service: AppService;
let token: string;
let root: string;
let dataDir: string;
let fixture: { base: string; rendererDir: string };
let pending: { ref: string; file: string };
const logged: unknown[] = [];

const address = () => `127.0.0.1:${server.port}`;
const ownOrigin = () => `http://${address()}`;

interface Opened {
  socket: WebSocket;
  ask(method: string, params?: unknown): Promise<Envelope<unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

/** A socket as the page opens one: its own Origin and the token's cookie, unless told otherwise. */
async function openSocket(
  options: { headers?: Record<string, string>; path?: string; origin?: string | null } = {},
): Promise<Opened> {
  const headers: Record<string, string> = {
    cookie: `mobile_sessions_token=${token}`,
    ...(options.origin === null ? {} : { origin: options.origin ?? ownOrigin() }),
    ...options.headers,
  };
  const socket = new WebSocket(`ws://${address()}${options.path ?? REQUEST_SOCKET_PATH}`, { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`refused: ${response.statusCode}`)),
    );
  });
  const answers = new Map<number, (envelope: Envelope<unknown>) => void>();
  socket.on('message', (data) => {
    const answer = JSON.parse(data.toString()) as SocketAnswer;
    answers.get(answer.id)?.(answer.envelope);
  });
  let id = 0;
  return {
    socket,
    closed,
    ask: (method, params = {}) =>
      new Promise((resolve) => {
        id += 1;
        answers.set(id, resolve);
        socket.send(JSON.stringify({ id, method, params }));
      }),
  };
}

/** The status and body of an upgrade the server refuses (and that no socket was opened). */
function refusedUpgrade(
  headers: Record<string, string>,
  requestPath = REQUEST_SOCKET_PATH,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${address()}${requestPath}`, { headers });
    socket.once('open', () => reject(new Error('the upgrade was accepted')));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
      );
    });
  });
}

/** POST /api/<method>, to compare the two transports. */
function post(method: string, params: unknown = {}): Promise<Envelope<unknown>> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: '127.0.0.1',
        port: server.port,
        agent: false,
        method: 'POST',
        path: `/api/${method}`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(params));
  });
}

beforeAll(async () => {
  root = await makeTempDir('ms-socket-root-');
  dataDir = await makeTempDir('ms-socket-data-');
  fixture = await makeRendererFixture();
  pending = await writeSession(root, { status: 'pending' });
  await writeSession(root, { status: 'accepted' });
  service = new AppService({ dataDir, hooks: testHooks('browser', async () => root) });
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

describe('the request socket', () => {
  it('answers the requests POST answers, with the same envelopes', async () => {
    const { socket, ask } = await openSocket();
    try {
      for (const [method, params] of [
        ['listApps', {}],
        ['querySessions', { filter: { search: '' }, offset: 0, limit: 10 }],
        ['getSession', { ref: pending.ref }],
      ] as const) {
        expect(await ask(method, params), method).toEqual(await post(method, params));
      }
      const page = (await ask('querySessions', {
        filter: { search: '' },
        offset: 0,
        limit: 10,
      })) as Envelope<{
        matching: number;
      }>;
      expect(page).toMatchObject({ ok: true, result: { matching: 2 } });
    } finally {
      socket.close();
    }
  });

  it('answers several requests in flight, each with its own id', async () => {
    const { socket, ask } = await openSocket();
    try {
      const answers = await Promise.all([ask('listApps'), ask('getState'), ask('recentRoots')]);
      expect(answers.map((a) => a.ok)).toEqual([true, true, true]);
      expect(answers[0]).toEqual(await post('listApps'));
      expect(answers[2]).toEqual(await post('recentRoots'));
    } finally {
      socket.close();
    }
  });

  it('writes through the same service: an accepted session is accepted on disk', async () => {
    const { socket, ask } = await openSocket();
    try {
      const before = await fs.readFile(pending.file, 'utf8');
      expect(JSON.parse(before).status).toBe('pending');
      expect(await ask('setStatus', { refs: [pending.ref], status: 'accepted' })).toMatchObject({ ok: true });
      expect(JSON.parse(await fs.readFile(pending.file, 'utf8')).status).toBe('accepted');
      expect(await ask('setStatus', { refs: [pending.ref], status: 'pending' })).toMatchObject({ ok: true });
      expect(await fs.readFile(pending.file, 'utf8')).toBe(before);
    } finally {
      socket.close();
    }
  });

  it('answers an unknown request or wrong parameters with the contract error, and stays open', async () => {
    const { socket, ask } = await openSocket();
    try {
      expect(await ask('rmRf', {})).toEqual(await post('rmRf', {}));
      expect(await ask('rmRf', {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      const wrong = await ask('setStatus', { refs: [pending.ref], status: 'owned' });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      expect(await ask('__proto__', {})).toMatchObject({ ok: false, error: { code: 'bad-request' } });
      expect((await ask('getState')).ok).toBe(true);
    } finally {
      socket.close();
    }
  });

  it('takes the token from the cookie, the URL or a Bearer header, and refuses a socket without it (401)', async () => {
    const tokenHeaders: Record<string, string>[] = [
      { cookie: `mobile_sessions_token=${token}` },
      { cookie: '', authorization: `Bearer ${token}` },
    ];
    for (const headers of tokenHeaders) {
      const { socket, ask } = await openSocket({ headers });
      expect((await ask('getState')).ok).toBe(true);
      socket.close();
    }
    const fromUrl = await openSocket({
      headers: { cookie: '' },
      path: `${REQUEST_SOCKET_PATH}?token=${token}`,
    });
    expect((await fromUrl.ask('getState')).ok).toBe(true);
    fromUrl.socket.close();

    const origin = ownOrigin();
    const wrongHeaders: Record<string, string>[] = [
      { origin },
      { origin, cookie: 'mobile_sessions_token=wrong' },
      { origin, authorization: 'Bearer wrong' },
    ];
    for (const headers of wrongHeaders) {
      const refused = await refusedUpgrade(headers);
      expect(refused.status, JSON.stringify(headers)).toBe(401);
      expect(JSON.parse(refused.body)).toMatchObject({ ok: false, error: { message: /access token/ } });
    }
  });

  it("refuses a foreign Host, a foreign Origin and no Origin (403): only the server's page may use it", async () => {
    const cookie = `mobile_sessions_token=${token}`;
    const origin = ownOrigin();
    expect((await refusedUpgrade({ cookie, origin, host: `rebound.example:${server.port}` })).status).toBe(
      403,
    );
    expect((await refusedUpgrade({ cookie, origin: 'http://evil.example' })).status).toBe(403);
    expect((await refusedUpgrade({ cookie, origin: `https://${address()}` })).status).toBe(403);
    const noOrigin = await refusedUpgrade({ cookie });
    expect(noOrigin.status).toBe(403);
    expect(JSON.parse(noOrigin.body)).toMatchObject({ error: { message: /page this server serves/ } });
  });

  it('upgrades no other path (404)', async () => {
    const headers = { cookie: `mobile_sessions_token=${token}`, origin: ownOrigin() };
    expect((await refusedUpgrade(headers, '/api/events')).status).toBe(404);
    expect((await refusedUpgrade(headers, '/')).status).toBe(404);
    expect((await refusedUpgrade(headers, '/api/socket/../socket2')).status).toBe(404);
  });

  it('closes a socket that sends anything but a request, saying why, and stays up', async () => {
    const cases: [string, string | Buffer, number][] = [
      ['binary', Buffer.from('{"id":1,"method":"getState"}'), SOCKET_CLOSE.notText],
      ['not JSON', '{"id":1,', SOCKET_CLOSE.notARequest],
      ['an array', '[1,"getState"]', SOCKET_CLOSE.notARequest],
      ['no id', '{"method":"getState"}', SOCKET_CLOSE.notARequest],
      ['an id that is not an integer', '{"id":"1","method":"getState"}', SOCKET_CLOSE.notARequest],
      ['no method', '{"id":1}', SOCKET_CLOSE.notARequest],
      ['a frame over the request limit', `"${'x'.repeat(MAX_REQUEST_BYTES + 1)}"`, 1009],
    ];
    for (const [what, frame, code] of cases) {
      const { socket, closed } = await openSocket();
      socket.send(frame);
      expect((await closed).code, what).toBe(code);
    }
    const { socket, ask } = await openSocket();
    expect((await ask('getState')).ok).toBe(true);
    socket.close();
  });

  it('logged no unexpected failure', () => {
    expect(logged).toEqual([]);
  });
});

describe('closing the server', () => {
  it('closes its open sockets and does not wait for them', async () => {
    const own = await startWebServer({
      service,
      rendererDir: fixture.rendererDir,
      host: '127.0.0.1',
      port: 0,
      token,
    });
    const socket = new WebSocket(`ws://127.0.0.1:${own.port}${REQUEST_SOCKET_PATH}`, {
      headers: { cookie: `mobile_sessions_token=${token}`, origin: `http://127.0.0.1:${own.port}` },
    });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
    // A socket left open would hold server.close() until the page went away (the test's timeout).
    await own.close();
    expect(await closed).toBe(1006); // dropped, not waited for
  });
});
