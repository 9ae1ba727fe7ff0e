/**
 * Which certificate authorities a push trusts, so that a 4D Server whose certificate chains to a
 * company CA works without pinning:
 *
 * - Node's own roots (Mozilla's), and `NODE_EXTRA_CA_CERTS` as Node reads it;
 * - the operating system's trust store, where the runtime can read it: `tls.getCACertificates
 *   ('system')`, added in Node 22.15 (an Electron whose Node is that recent has it; the command
 *   line on Node 20 does not, and uses NODE_EXTRA_CA_CERTS or `--ca` instead);
 * - the CA file given with `--ca <file>` (PEM, one or more certificates).
 *
 * Pinning (serverCertificate.ts) stays the way to trust one self-signed certificate.
 */
import { X509Certificate } from 'node:crypto';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { AppError } from '../../../shared/errors.js';
import { describeFsError } from '../fsErrors.js';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

type CaKind = 'default' | 'system';
const getCACertificates = (tls as unknown as { getCACertificates?: (kind: CaKind) => string[] })
  .getCACertificates;

/** The system's trusted CAs where the runtime exposes them (Node 22.15+), else none. */
export function systemCertificates(): string[] {
  try {
    return getCACertificates ? getCACertificates('system') : [];
  } catch {
    return []; // a store that cannot be read is not a reason to fail a push: Node's roots remain
  }
}

/** The certificates in a PEM text, each checked to be one. */
export function certificatesIn(pem: string): string[] {
  const blocks = pem.match(PEM_BLOCK) ?? [];
  return blocks.filter((block) => {
    try {
      new X509Certificate(block);
      return true;
    } catch {
      return false;
    }
  });
}

/** Node's default roots: Mozilla's and NODE_EXTRA_CA_CERTS (a given `ca` replaces them, so they are listed again). */
function defaultCertificates(env: NodeJS.ProcessEnv): string[] {
  if (getCACertificates) return getCACertificates('default');
  const extraFile = env.NODE_EXTRA_CA_CERTS;
  let extra: string[] = [];
  if (extraFile) {
    try {
      extra = certificatesIn(readFileSync(extraFile, 'utf8'));
    } catch {
      extra = []; // Node itself only warns about an unreadable NODE_EXTRA_CA_CERTS
    }
  }
  return [...tls.rootCertificates, ...extra];
}

/**
 * The `ca` option for a TLS connection: undefined (Node's defaults) when there is nothing to
 * add, else every default root plus the system's and the extra ones.
 */
export function trustedCertificates(
  extra: string[],
  system: string[] = systemCertificates(),
  env: NodeJS.ProcessEnv = process.env,
): string[] | undefined {
  if (extra.length === 0 && system.length === 0) return undefined;
  return [...defaultCertificates(env), ...system, ...extra];
}

/** Reads `--ca <file>`: a PEM file of one or more CA certificates; anything else is refused, saying why. */
export async function readCaFile(file: string): Promise<string[]> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(absolute, 'utf8');
  } catch (error) {
    throw new AppError('bad-request', `Cannot read the CA file ${absolute}: ${describeFsError(error)}.`, {
      cause: error,
    });
  }
  const certificates = certificatesIn(text);
  if (certificates.length === 0) {
    throw new AppError(
      'bad-request',
      `The CA file ${absolute} holds no PEM certificate ("-----BEGIN CERTIFICATE-----"): give the certificate of the authority that signed the server's certificate.`,
    );
  }
  return certificates;
}
