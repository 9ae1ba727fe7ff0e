/**
 * The browser mode's requests over a WebSocket (`shared/requestSocket.ts`): each text frame is a
 * request handed to `dispatch`, exactly as `POST /api/<method>` does, and its envelope goes back
 * in a frame with the request's id.
 *
 * Why a socket beside HTTP: shared/requestSocket.ts. HTTP stays: the page uses it whenever the
 * socket is not open.
 *
 * The upgrade passes the same checks as any request (`admit`: Host, token) and needs the page's
 * own Origin: browsers apply no same-origin rule to WebSockets, so without it any site could talk
 * to this server through the admin's browser.
 */
import http, { type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { MAX_REQUEST_BYTES } from '../../shared/contract.js';
import { readSocketRequest, SOCKET_CLOSE, type SocketAnswer } from '../../shared/requestSocket.js';
import type { AppService } from '../services/appService.js';
import { dispatch } from '../services/dispatch.js';

/** Why a request may not go on: its HTTP status and one sentence. */
export interface Refusal {
  status: number;
  message: string;
}

export interface RequestSocketOptions {
  service: AppService;
  /** The checks every request passes (Host, Origin when sent, token); null when admitted. */
  admit: (request: IncomingMessage) => Refusal | null;
  /** Whether an Origin is the server's own. */
  ownOrigin: (origin: string) => boolean;
  log: (message: string, error?: unknown) => void;
}

export interface RequestSockets {
  /** The HTTP server's `upgrade` handler for the socket's path. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

/** Answers an upgrade it refuses as HTTP would, then drops the connection. */
export function refuseUpgrade(socket: Duplex, refusal: Refusal): void {
  const body = JSON.stringify({ ok: false, error: { code: 'bad-request', message: refusal.message } });
  socket.end(
    `HTTP/1.1 ${refusal.status} ${http.STATUS_CODES[refusal.status] ?? ''}\r\n` +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

export function requestSockets(options: RequestSocketOptions): RequestSockets {
  // A frame over MAX_REQUEST_BYTES closes the socket (1009), as a body that large gets a 413.
  const server = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_REQUEST_BYTES,
    perMessageDeflate: false,
  });

  function answer(client: WebSocket, data: RawData, isBinary: boolean): void {
    if (isBinary) {
      client.close(SOCKET_CLOSE.notText, 'Requests are JSON text.');
      return;
    }
    const request = readSocketRequest(data.toString());
    if (request === null) {
      client.close(SOCKET_CLOSE.notARequest, 'A request is {"id": integer, "method": string, "params"}.');
      return;
    }
    void dispatch(options.service, request.method, request.params, options.log).then((envelope) => {
      if (client.readyState !== client.OPEN) return; // the page went away meanwhile
      const frame: SocketAnswer = { id: request.id, envelope };
      client.send(JSON.stringify(frame));
    });
  }

  return {
    upgrade(request, socket, head) {
      const refusal = options.admit(request);
      if (refusal) return refuseUpgrade(socket, refusal);
      const origin = request.headers.origin?.toLowerCase();
      if (origin === undefined || !options.ownOrigin(origin))
        return refuseUpgrade(socket, {
          status: 403,
          message: 'The request socket is for the page this server serves.',
        });
      server.handleUpgrade(request, socket, head, (client) => {
        client.on('message', (data, isBinary) => answer(client, data, isBinary));
        // ws reports a page's protocol errors here (a frame too large, a broken frame) and closes
        // the socket with the code that says why; the page goes on over HTTP. Nothing to log.
        client.on('error', () => {});
      });
    },
    close() {
      for (const client of server.clients) client.terminate();
      server.close();
    },
  };
}
