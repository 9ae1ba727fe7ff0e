/**
 * The page's side of the request socket (renderer/src/api/requestSocket.ts) against the real
 * browser-mode server on 127.0.0.1, with `ws`'s WebSocket in place of the browser's (the same
 * API): requests go over the socket once it is open; while it is connecting, closed or refused
 * the page is told to use HTTP; a request whose answer never came fails plainly, never silently;
 * a closed socket is opened again, at most once per retry interval.
 * (The e2e `web` project drives the same code in Chromium.)
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Envelope } from '../../shared/contract.js';
import {
  type RequestSocket,
  requestSocket,
  SocketClosedError,
  type SocketLike,
  socketUrl,
} from '../../shared/requestSocket.js';
import { makeRendererFixture, testHooks, waitFor } from '../../test/support/contractFixture.js';
import { makeTempDir, removeDir, writeSession } from '../../test/support/fixtures.js';
import { AppService } from '../services/appService.js';
import { startWebServer, type WebServer } from './server.js';

let server: WebServer;
let service: AppService;
let token: string;
let root: string;
let dataDir: string;
let fixture: { base: string; rendererDir: string };

/** A page at the server's address: its sockets carry the cookie and Origin a browser would send. */
function pageSocket(options: { cookieToken?: string; retryMs?: number; now?: () => number } = {}) {
  const opened: WebSocket[] = [];
  const pageUrl = `http://127.0.0.1:${server.port}/`;
  const socket = requestSocket({
    pageUrl,
    retryMs: options.retryMs,
    now: options.now,
    open: (url) => {
      const ws = new WebSocket(url, {
        headers: {
          origin: `http://127.0.0.1:${server.port}`,
          cookie: `mobile_sessions_token=${options.cookieToken ?? token}`,
        },
      });
      ws.on('error', () => {}); // the page sees the close
      opened.push(ws);
      return ws as unknown as SocketLike;
    },
  });
  return { socket, opened };
}

const isOpen = (socket: RequestSocket) => () => {
  const sent = socket.send('getState', {});
  return sent === null ? false : sent;
};

beforeAll(async () => {
  root = await makeTempDir('ms-page-socket-root-');
  dataDir = await makeTempDir('ms-page-socket-data-');
  fixture = await makeRendererFixture();
  await writeSession(root, { status: 'pending' });
  service = new AppService({ dataDir, hooks: testHooks('browser', async () => root) });
  await service.handlers.openRoot({ root });
  token = randomBytes(24).toString('base64url');
  server = await startWebServer({
    service,
    rendererDir: fixture.rendererDir,
    host: '127.0.0.1',
    port: 0,
    token,
  });
});

afterAll(async () => {
  await server?.close();
  await service?.close();
  await removeDir(root);
  await removeDir(dataDir);
  await removeDir(fixture.base);
});

describe("the page's request socket", () => {
  it('goes to the same host as the page, wss: under https:', () => {
    expect(socketUrl('http://127.0.0.1:4000/?token=x')).toBe('ws://127.0.0.1:4000/api/socket');
    expect(socketUrl('https://admin.example/sub/page')).toBe('wss://admin.example/api/socket');
  });

  it('says "use HTTP" until the socket is open, then answers over it', async () => {
    const { socket, opened } = pageSocket();
    try {
      expect(socket.send('getState', {})).toBeNull(); // still connecting
      const answer = await waitFor(isOpen(socket), 'the socket open');
      expect(await answer).toMatchObject({ ok: true, result: { root } });
      const apps = (await socket.send('listApps', {})) as Envelope<{ counts: { pending: number } }[]>;
      expect(apps).toMatchObject({ ok: true, result: [{ counts: { sessions: 1, pending: 1 } }] });
      expect(opened).toHaveLength(1);
    } finally {
      socket.close();
    }
  });

  it('fails the requests in flight when the socket closes, then opens a new one after the retry interval', async () => {
    let clock = 0;
    const { socket, opened } = pageSocket({ retryMs: 1000, now: () => clock });
    try {
      await waitFor(isOpen(socket), 'the socket open');
      // The server drops the connection while a request is in flight.
      const inFlight = socket.send('listApps', {});
      opened[0]?.terminate();
      await expect(inFlight).rejects.toBeInstanceOf(SocketClosedError);
      await expect(inFlight).rejects.toThrow(/closed before it answered/);

      // Within the retry interval: HTTP, and no new socket.
      expect(socket.send('getState', {})).toBeNull();
      expect(opened).toHaveLength(1);
      // After it: a new socket, and requests over it again.
      clock = 1000;
      expect(socket.send('getState', {})).toBeNull(); // connecting
      expect(opened).toHaveLength(2);
      expect(await await waitFor(isOpen(socket), 'the new socket open')).toMatchObject({ ok: true });
    } finally {
      socket.close();
    }
  });

  it('refused (a wrong token): HTTP every time, and one attempt per retry interval', async () => {
    let clock = 0;
    const { socket, opened } = pageSocket({ cookieToken: 'wrong', retryMs: 1000, now: () => clock });
    try {
      await waitFor(() => opened[0]?.readyState === WebSocket.CLOSED, 'the refused socket closed');
      for (let i = 0; i < 20; i += 1) expect(socket.send('getState', {})).toBeNull();
      expect(opened).toHaveLength(1);
      clock = 1000;
      expect(socket.send('getState', {})).toBeNull();
      expect(opened).toHaveLength(2);
    } finally {
      socket.close();
    }
  });

  it('ignores an answer for no request of its own, and keeps answering', async () => {
    const { socket, opened } = pageSocket();
    try {
      await waitFor(isOpen(socket), 'the socket open');
      opened[0]?.emit(
        'message',
        Buffer.from('{"id":999999,"envelope":{"ok":true,"result":"forged"}}'),
        false,
      );
      expect(await socket.send('getState', {})).toMatchObject({ ok: true, result: { root } });
    } finally {
      socket.close();
    }
  });
});
