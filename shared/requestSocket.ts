/**
 * The browser mode's request socket: the contract's requests over one WebSocket, one text frame a
 * request and one its answer, matched by `id`. The same requests and envelopes as
 * `POST /api/<method>`; only the transport differs (docs/architecture.md, "The browser mode").
 *
 * Here: the frames, and the page's side (`requestSocket`). The server's side is
 * electron/web/requestSocket.ts.
 *
 * Why a socket: on a two-core machine a `fetch` from Chromium to the local server takes 6–10 ms at
 * the median and up to 35 ms, a WebSocket frame 1.5 ms (measured, bench/README.md): most of a
 * keystroke's budget was the request itself.
 */
import type { Envelope } from './contract.js';

export const REQUEST_SOCKET_PATH = '/api/socket';

export interface SocketRequest {
  /** Chosen by the page, a safe integer; the answer carries it back. */
  id: number;
  method: string;
  params?: unknown;
}

export interface SocketAnswer {
  id: number;
  envelope: Envelope<unknown>;
}

/** Why the server closes a socket (RFC 6455 §7.4.1); the page then goes on over HTTP. */
export const SOCKET_CLOSE = {
  /** A binary frame: requests are JSON text. */
  notText: 1003,
  /** A frame that is not a request (not JSON, no integer id, no method name). */
  notARequest: 1008,
} as const;

/** A frame read as a request, or null when it is not one. */
export function readSocketRequest(text: string): SocketRequest | null {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) return null;
  const { id, method, params } = frame as Record<string, unknown>;
  if (!Number.isSafeInteger(id) || typeof method !== 'string') return null;
  return { id: id as number, method, params };
}

// ---------------------------------------------------------------- the page's side

/*
 * Requests go over the socket while it is open, and over HTTP (`send` answers null) while it is
 * connecting, closed or refused. A closed socket is opened again at the next request, at most once
 * per `retryMs`.
 */

/** What the page needs of a WebSocket: the browser's, or `ws`'s in Node tests. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface RequestSocketOptions {
  /** The page's own address: the socket goes to the same host, ws: or wss: as the page. */
  pageUrl: string;
  /** `(url) => new WebSocket(url)` in the page; `ws`'s WebSocket in Node tests. */
  open: (url: string) => SocketLike;
  retryMs?: number;
  now?: () => number;
}

export interface RequestSocket {
  /** The request's envelope, or null when the socket is not open (use HTTP). */
  send(method: string, params: unknown): Promise<Envelope<unknown>> | null;
  close(): void;
}

const OPEN = 1;

/** A request sent over the socket whose answer did not come: it may or may not have run. */
export class SocketClosedError extends Error {
  constructor() {
    super('The connection to the server closed before it answered.');
  }
}

export function socketUrl(pageUrl: string): string {
  const url = new URL(REQUEST_SOCKET_PATH, pageUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

export function requestSocket(options: RequestSocketOptions): RequestSocket {
  const open = options.open;
  const retryMs = options.retryMs ?? 5000;
  const now = options.now ?? (() => Date.now());
  const url = socketUrl(options.pageUrl);
  const waiting = new Map<
    number,
    { resolve: (envelope: Envelope<unknown>) => void; reject: (e: Error) => void }
  >();
  let socket: SocketLike | null = null;
  let openedAt = Number.NEGATIVE_INFINITY;
  let nextId = 1;
  let closedForGood = false;

  function connect(): void {
    if (socket !== null || closedForGood || now() - openedAt < retryMs) return;
    openedAt = now();
    const current = open(url);
    socket = current;
    current.onmessage = (event) => {
      let answer: SocketAnswer;
      try {
        answer = JSON.parse(String(event.data)) as SocketAnswer;
      } catch {
        return current.close(); // not our server's answer: HTTP from now on, until a new socket
      }
      const pending = waiting.get(answer.id);
      if (!pending) return;
      waiting.delete(answer.id);
      pending.resolve(answer.envelope);
    };
    current.onclose = () => {
      if (socket === current) socket = null;
      for (const pending of waiting.values()) pending.reject(new SocketClosedError());
      waiting.clear();
    };
    current.onerror = () => {}; // a close follows
  }

  connect();
  return {
    send(method, params) {
      connect();
      if (socket === null || socket.readyState !== OPEN) return null;
      const id = nextId++;
      const answered = new Promise<Envelope<unknown>>((resolve, reject) =>
        waiting.set(id, { resolve, reject }),
      );
      socket.send(JSON.stringify({ id, method, params }));
      return answered;
    },
    close() {
      closedForGood = true;
      socket?.close();
    },
  };
}
