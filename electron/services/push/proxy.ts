/**
 * Which proxy a push goes through, so that it travels like the admin's other traffic.
 *
 * - The command line (and, by default, every process): the `HTTPS_PROXY` / `HTTP_PROXY` /
 *   `ALL_PROXY` / `NO_PROXY` environment variables, read by `proxy-from-env` (the package axios
 *   uses: curl's conventions, `NO_PROXY` suffixes, ports and `*`).
 * - The desktop app can give the system's choice instead: Electron's
 *   `session.defaultSession.resolveProxy(url)` answers in PAC form ("PROXY host:port; DIRECT"),
 *   which `pacProxyResolver` reads.
 *
 * A loopback server (127.0.0.0/8, ::1, localhost) is always reached directly: a proxy cannot
 * reach the admin's own machine, and that is where a 4D Server in development listens.
 * Only HTTP proxies are supported (CONNECT for https:// servers); SOCKS is not.
 */
import { getProxyForUrl } from 'proxy-from-env';
import { isLoopbackHost } from '../../../shared/push.js';

/** The proxy to reach `url` through, or null to connect directly. */
export type ProxyResolver = (url: URL) => Promise<URL | null>;

export const directConnection: ProxyResolver = async () => null;

function httpProxy(text: string): URL | null {
  try {
    const proxy = new URL(text);
    return proxy.protocol === 'http:' || proxy.protocol === 'https:' ? proxy : null;
  } catch {
    return null;
  }
}

/** From the environment, as curl reads it (`NO_PROXY` included); loopback hosts stay direct. */
export const environmentProxy: ProxyResolver = async (url) => {
  if (isLoopbackHost(url.hostname)) return null;
  const proxy = getProxyForUrl(url.href);
  return proxy ? httpProxy(proxy) : null;
};

/**
 * The first usable entry of a PAC answer ("PROXY a:8080; DIRECT"): `DIRECT` is null, `PROXY` and
 * `HTTP` an http:// proxy, `HTTPS` an https:// one; SOCKS entries are skipped (not supported).
 */
export function parsePacAnswer(answer: string): URL | null {
  for (const entry of answer.split(';')) {
    const [kind = '', hostPort = ''] = entry.trim().split(/\s+/);
    const upper = kind.toUpperCase();
    if (upper === 'DIRECT') return null;
    if ((upper === 'PROXY' || upper === 'HTTP') && hostPort) return httpProxy(`http://${hostPort}`);
    if (upper === 'HTTPS' && hostPort) return httpProxy(`https://${hostPort}`);
  }
  return null;
}

/** The system's proxy as Electron resolves it (`session.resolveProxy`); loopback stays direct. */
export function pacProxyResolver(resolveProxy: (url: string) => Promise<string>): ProxyResolver {
  return async (url) => (isLoopbackHost(url.hostname) ? null : parsePacAnswer(await resolveProxy(url.href)));
}

/** `Proxy-Authorization` for a proxy URL that carries a user (http://user:pass@proxy:3128). */
export function proxyAuthorization(proxy: URL): string | null {
  if (!proxy.username) return null;
  const user = decodeURIComponent(proxy.username);
  const password = decodeURIComponent(proxy.password);
  return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
}
