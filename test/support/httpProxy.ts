/**
 * Test helper: a real, small HTTP proxy on 127.0.0.1 (absolute-URI requests for http://, CONNECT
 * tunnels for https://) that sends every host to 127.0.0.1, so a test can name a server that only
 * the proxy can reach (`fourd.test`). It records what went through it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';

export interface ProxyRecord {
  method: string;
  /** The absolute URL (plain HTTP) or host:port (CONNECT). */
  target: string;
  headers: http.IncomingHttpHeaders;
}

export interface TestProxy {
  url: string;
  records: ProxyRecord[];
  close(): Promise<void>;
}

/** `credentials`: the proxy answers 407 to anything without `Proxy-Authorization: Basic <them>`. */
export async function startTestProxy(options: { credentials?: string } = {}): Promise<TestProxy> {
  const records: ProxyRecord[] = [];
  const sockets = new Set<net.Socket>();
  const expected = options.credentials
    ? `Basic ${Buffer.from(options.credentials).toString('base64')}`
    : null;
  const allowed = (headers: http.IncomingHttpHeaders) =>
    !expected || headers['proxy-authorization'] === expected;

  const server = http.createServer((request, response) => {
    records.push({ method: request.method ?? '', target: request.url ?? '', headers: request.headers });
    if (!allowed(request.headers)) {
      response.writeHead(407, { 'Proxy-Authenticate': 'Basic' }).end();
      return;
    }
    const target = new URL(request.url ?? '');
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: Number(target.port || 80),
        method: request.method,
        path: `${target.pathname}${target.search}`,
        headers: { ...request.headers, host: target.host },
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.writeHead(502).end());
    request.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (request, client, head) => {
    records.push({ method: 'CONNECT', target: request.url ?? '', headers: request.headers });
    if (!allowed(request.headers)) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\n');
      return;
    }
    const port = Number((request.url ?? '').split(':').at(-1));
    const upstream = net.connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    records,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
