/**
 * A server's TLS certificate, read with a bare handshake (nothing is sent over the connection):
 * to name the fingerprint of a certificate the system does not trust, and to pin it when the
 * admin chooses to trust that one server.
 */
import { isIP } from 'node:net';
import tls from 'node:tls';
import type { ServerCertificate } from '../../../shared/push.js';

export type { ServerCertificate };

export const normalizeFingerprint = (fingerprint: string): string => fingerprint.trim().toUpperCase();

export const sameFingerprint = (a: string, b: string): boolean =>
  normalizeFingerprint(a).replace(/:/g, '') === normalizeFingerprint(b).replace(/:/g, '');

/** `host` without IPv6 brackets, and the port (443 by default). */
export function hostAndPort(url: URL): { host: string; port: number } {
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
  };
}

/** SNI needs a name: none is sent when connecting to an IP address. */
export const serverNameFor = (host: string): string | undefined => (isIP(host) ? undefined : host);

const describeName = (name: tls.Certificate | undefined): string =>
  name
    ? Object.entries(name)
        .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
        .join(', ')
    : '';

/** Connects, completes the TLS handshake, reads the certificate, and closes. */
export function fetchServerCertificate(urlText: string, timeoutMs: number): Promise<ServerCertificate> {
  const url = new URL(urlText);
  if (url.protocol !== 'https:') return Promise.reject(new Error(`${urlText} is not an https:// URL.`));
  const { host, port } = hostAndPort(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: serverNameFor(host), rejectUnauthorized: false });
    const timer = setTimeout(() => {
      socket.destroy(
        Object.assign(new Error(`No TLS handshake with ${url.host} within ${timeoutMs} ms.`), {
          code: 'ETIMEDOUT',
        }),
      );
    }, timeoutMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      const cert = socket.getPeerCertificate();
      socket.end();
      socket.destroy();
      if (!cert?.fingerprint256) {
        reject(new Error(`${url.host} showed no certificate.`));
        return;
      }
      const subject = describeName(cert.subject);
      const issuer = describeName(cert.issuer);
      // Node checks the chain and the host name even when it does not reject: this is its verdict.
      const reason = socket.authorized ? null : String(socket.authorizationError);
      resolve({
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
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}
