/**
 * A TCP connection through an HTTP proxy's CONNECT tunnel (RFC 9110, 9.3.6), with Node's own
 * http client: the TLS session to the 4D Server then runs end to end inside it, so the proxy
 * sees neither the secret nor the answer, and a pinned certificate is checked as without a proxy.
 */
import http from 'node:http';
import https from 'node:https';
import net, { type Socket } from 'node:net';
import { hostAndPort } from './address.js';
import { proxyAuthorization } from './proxy.js';

/** The proxy could not be reached, or refused the tunnel (its HTTP status, or the socket error). */
export class ProxyError extends Error {
  readonly code = 'PUSH_PROXY';
  constructor(
    readonly proxy: URL,
    readonly status: number | null,
    readonly reason: unknown,
  ) {
    super(`The proxy ${proxy.host} ${status ? `answered HTTP ${status} to CONNECT` : 'cannot be reached'}.`);
  }
}

/** Opens the tunnel to `host:port`; every socket made is added to `sockets` (for the caller's timeout). */
export function tunnel(proxy: URL, host: string, port: number, sockets: Socket[]): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const target = `${net.isIPv6(host) ? `[${host}]` : host}:${port}`;
    const headers: Record<string, string> = { Host: target };
    const auth = proxyAuthorization(proxy);
    if (auth) headers['Proxy-Authorization'] = auth;
    const { host: proxyHost, port: proxyPort } = hostAndPort(proxy);
    const request = (proxy.protocol === 'https:' ? https : http).request({
      host: proxyHost,
      port: proxyPort,
      method: 'CONNECT',
      path: target,
      headers,
      agent: false,
    });
    request.once('socket', (socket) => sockets.push(socket));
    request.once('connect', (response, socket) => {
      sockets.push(socket);
      if (response.statusCode === 200) {
        resolve(socket);
      } else {
        socket.destroy();
        reject(new ProxyError(proxy, response.statusCode ?? null, null));
      }
    });
    request.once('error', (error) => reject(new ProxyError(proxy, null, error)));
    request.end();
  });
}

/**
 * Destroys the sockets of one connection, the outermost (the TLS socket, made last) first and the
 * tunnel under it on the next turn: destroying a TLS socket's underlying socket within the same
 * turn crashed Node 20 with a segmentation fault (reproduced while writing this).
 */
export function destroyLayered(sockets: Socket[]): void {
  const [outer, ...inner] = [...sockets].reverse();
  outer?.destroy();
  setImmediate(() => {
    for (const socket of inner) socket.destroy();
  });
}
