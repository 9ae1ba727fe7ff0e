/** Test helper: a self-signed certificate for 127.0.0.1 and localhost, made by openssl at test time. */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface SelfSignedCert {
  key: string;
  cert: string;
  fingerprint256: string;
}

/** Why no certificate can be made here (no openssl), or null when one can. */
export function opensslMissing(): string | null {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return null;
  } catch {
    return 'openssl is not installed: the HTTPS tests need it to make a self-signed certificate';
  }
}

export function makeSelfSignedCert(dir: string, commonName = 'localhost'): SelfSignedCert {
  const keyFile = path.join(dir, `${commonName}-key.pem`);
  const certFile = path.join(dir, `${commonName}-cert.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(certFile, 'utf8');
  return {
    key: readFileSync(keyFile, 'utf8'),
    cert,
    fingerprint256: new X509Certificate(cert).fingerprint256,
  };
}
