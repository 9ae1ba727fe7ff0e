/** Where a URL connects: host and port as sockets want them, and the name TLS sends (SNI). */
import { isIP } from 'node:net';

/** `host` without IPv6 brackets, and the port (the scheme's default when none is given). */
export function hostAndPort(url: URL): { host: string; port: number } {
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
  };
}

/** SNI needs a name: none is sent when connecting to an IP address. */
export const serverNameFor = (host: string): string | undefined => (isIP(host) ? undefined : host);
