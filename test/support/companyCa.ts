/**
 * Test helper: a certificate authority of its own (as a company runs one) and a server
 * certificate it signed, for 127.0.0.1, localhost and fourd.test, made by openssl at test time.
 */
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface CompanyCa {
  /** The authority's certificate (PEM), and its file. */
  caCert: string;
  caFile: string;
  /** The server's key and certificate (PEM), signed by the authority. */
  key: string;
  cert: string;
  fingerprint256: string;
}

export function makeCompanyCa(dir: string): CompanyCa {
  const file = (name: string) => path.join(dir, name);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=Mobile Sessions Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=fourd.test',
  ]);
  writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost,DNS:fourd.test,IP:127.0.0.1\n');
  run([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
  ]);
  const cert = readFileSync(file('server.pem'), 'utf8');
  return {
    caCert: readFileSync(file('ca.pem'), 'utf8'),
    caFile: file('ca.pem'),
    key: readFileSync(file('server.key'), 'utf8'),
    cert,
    fingerprint256: new X509Certificate(cert).fingerprint256,
  };
}
