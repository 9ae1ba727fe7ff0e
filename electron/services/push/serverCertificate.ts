/**
 * A server's TLS certificate, read with a bare handshake (nothing is sent over the connection):
 * to name the fingerprint of a certificate the system does not trust, and to pin it when the
 * admin chooses to trust that one server.
 */
import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { ServerCertificate } from '../../../shared/push.js';
import { hostAndPort, serverNameFor } from './address.js';
import { destroyLayered, tunnel } from './tunnel.js';

export type { ServerCertificate };
export { hostAndPort, serverNameFor };

export const normalizeFingerprint = (fingerprint: string): string => fingerprint.trim().toUpperCase();

export const sameFingerprint = (a: string, b: string): boolean =>
  normalizeFingerprint(a).replace(/:/g, '') === normalizeFingerprint(b).replace(/:/g, '');

const describeName = (name: tls.Certificate | undefined): string =>
  name
    ? Object.entries(name)
        .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
        .join(', ')
    : '';

export interface CertificateReadOptions {
  /** The HTTP proxy to tunnel through (the push's), or null. */
  proxy?: URL | null;
  /** The certificate authorities a push trusts (trust.ts), for the verdict `trustedBySystem`. */
  ca?: string[] | undefined;
}

/** Connects (through the proxy's tunnel when there is one), completes the TLS handshake, reads the certificate, and closes. */
export function fetchServerCertificate(
  urlText: string,
  timeoutMs: number,
  options: CertificateReadOptions = {},
): Promise<ServerCertificate> {
  const url = new URL(urlText);
  if (url.protocol !== 'https:') return Promise.reject(new Error(`${urlText} is not an https:// URL.`));
  const { host, port } = hostAndPort(url);
  const sockets: Socket[] = [];
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | null, certificate?: ServerCertificate) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      destroyLayered(sockets);
      if (error) reject(error);
      else resolve(certificate as ServerCertificate);
    };
    const timer = setTimeout(() => {
      settle(
        Object.assign(new Error(`No TLS handshake with ${url.host} within ${timeoutMs} ms.`), {
          code: 'ETIMEDOUT',
        }),
      );
    }, timeoutMs);
    const connect = async () => {
      const tunnelled = options.proxy ? await tunnel(options.proxy, host, port, sockets) : undefined;
      const socket = tls.connect({
        ...(tunnelled ? { socket: tunnelled } : { host, port }),
        servername: serverNameFor(host),
        rejectUnauthorized: false,
        ...(options.ca ? { ca: options.ca } : {}),
      });
      sockets.push(socket);
      socket.once('secureConnect', () => {
        const cert = socket.getPeerCertificate();
        if (!cert?.fingerprint256) {
          settle(new Error(`${url.host} showed no certificate.`));
          return;
        }
        const subject = describeName(cert.subject);
        const issuer = describeName(cert.issuer);
        // Node checks the chain and the host name even when it does not reject: this is its verdict.
        const reason = socket.authorized ? null : String(socket.authorizationError);
        settle(null, {
          fingerprint256: normalizeFingerprint(cert.fingerprint256),
          subject,
          issuer,
          validFrom: cert.valid_from,
          validTo: cert.valid_to,
          selfSigned: subject === issuer,
          trustedBySystem: reason === null,
          untrustedReason: reason,
        });
      });
      socket.once('error', (error) => settle(error));
    };
    connect().catch((error: Error) => settle(error));
  });
}
