/**
 * Where push secrets (bearer token, basic or REST-login password) come from. Never written in
 * clear by this app:
 * - the command line reads them for one run only, from MOBILE_SESSIONS_PUSH_SECRET or from a file
 *   only its owner can read, and never stores them;
 * - the desktop app encrypts them (Electron's safeStorage: the OS keychain) and keeps only the
 *   ciphertext, in the data directory (EncryptedSecretStore, given the cipher by electron/main).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { PUSH_SECRET_ENV } from '../../../shared/pushNames.js';
import { describeFsError } from '../fsErrors.js';
import { isRecord, JsonDataFile } from './dataFile.js';

export interface SecretStore {
  /** The secret for `key`, or null when there is none. */
  get(key: string): Promise<string | null>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
  /** Where secrets come from, in words (for `server --show` and the settings screen). */
  readonly description: string;
}

// Defined in shared/ so that the command line's --help names it without loading the engine.
export { PUSH_SECRET_ENV };

/** The key of a root's push secret. */
export const pushSecretKey = (root: string): string => `push:${path.resolve(root)}`;

/** Largest secret file read: a token or password is short; anything bigger is a wrong path. */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/**
 * Reads a secret from a file, refusing one that other users can read or write: on a shared
 * server, a group- or world-readable secret is a leaked secret. Trailing line breaks are removed.
 */
export async function readSecretFile(
  file: string,
  platform: NodeJS.Platform = process.platform,
): Promise<string> {
  const absolute = path.resolve(file);
  let stats: Awaited<ReturnType<typeof fs.stat>>;
  try {
    stats = await fs.stat(absolute);
  } catch (error) {
    throw new AppError('io', `Cannot read the secret file ${absolute}: ${describeFsError(error)}.`, {
      cause: error,
    });
  }
  if (!stats.isFile())
    throw new AppError('bad-request', `The secret file ${absolute} is not a regular file.`);
  // Windows has no POSIX modes: there, the folder's ACLs are the admin's to set.
  if (platform !== 'win32' && (stats.mode & 0o077) !== 0) {
    const mode = (stats.mode & 0o777).toString(8).padStart(3, '0');
    throw new AppError(
      'bad-request',
      `The secret file ${absolute} can be read or changed by other users (mode ${mode}), so it was not used: ` +
        `make it readable by you only with "chmod 600 ${absolute}".`,
    );
  }
  if (stats.size > MAX_SECRET_FILE_BYTES) {
    throw new AppError(
      'bad-request',
      `The secret file ${absolute} is ${stats.size} bytes: a secret is a short line.`,
    );
  }
  let text: string;
  try {
    text = await fs.readFile(absolute, 'utf8');
  } catch (error) {
    throw new AppError('io', `Cannot read the secret file ${absolute}: ${describeFsError(error)}.`, {
      cause: error,
    });
  }
  const secret = text.replace(/[\r\n]+$/, '');
  if (!secret) throw new AppError('bad-request', `The secret file ${absolute} is empty.`);
  return secret;
}

/**
 * The command line's store: one secret for this run (the same for every key), from `--secret-file`
 * when given, else from the MOBILE_SESSIONS_PUSH_SECRET environment variable. It stores nothing.
 */
export class CliSecretStore implements SecretStore {
  constructor(
    private readonly source: {
      env: NodeJS.ProcessEnv;
      secretFile?: string | null;
      platform?: NodeJS.Platform;
    },
  ) {}

  get description(): string {
    return this.source.secretFile
      ? `the file ${path.resolve(this.source.secretFile)}`
      : `the ${PUSH_SECRET_ENV} environment variable`;
  }

  async get(_key: string): Promise<string | null> {
    if (this.source.secretFile) return readSecretFile(this.source.secretFile, this.source.platform);
    const value = this.source.env[PUSH_SECRET_ENV];
    return value ? value : null;
  }

  async set(_key: string, _secret: string): Promise<void> {
    throw new AppError(
      'bad-request',
      `The command line never stores secrets: set ${PUSH_SECRET_ENV} or pass --secret-file <file readable by you only> when you push.`,
    );
  }

  async delete(_key: string): Promise<void> {
    // Nothing is stored, so nothing to delete.
  }
}

/** Turns a secret into ciphertext and back (Electron's safeStorage.encryptString / decryptString). */
export interface SecretCipher {
  encrypt(plain: string): Buffer | Promise<Buffer>;
  decrypt(cipher: Buffer): string | Promise<string>;
}

interface SecretsFile {
  version: number;
  /** Base64 ciphertext by key. */
  secrets: Record<string, string>;
}

const emptySecrets = (): SecretsFile => ({ version: 1, secrets: {} });
const acceptSecrets = (json: unknown): SecretsFile | null => {
  if (!isRecord(json) || json.version !== 1 || !isRecord(json.secrets)) return null;
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(json.secrets))
    if (typeof value === 'string') secrets[key] = value;
  return { version: 1, secrets };
};

/**
 * Keeps ciphertext only, in `<data dir>/secrets.json` (owner-only); the cipher (the OS keychain
 * in the desktop app) holds the key. A ciphertext the cipher cannot decrypt (another machine,
 * another user, a reset keychain) reads as no secret, with the reason in `lastError`.
 */
export class EncryptedSecretStore implements SecretStore {
  private readonly data: JsonDataFile<SecretsFile>;
  lastError: string | null = null;

  constructor(
    dataDir: string,
    private readonly cipher: SecretCipher,
    readonly description = 'the encrypted secret store of this app',
  ) {
    this.data = new JsonDataFile(path.join(dataDir, 'secrets.json'), emptySecrets, acceptSecrets);
  }

  get file(): string {
    return this.data.file;
  }

  async get(key: string): Promise<string | null> {
    const stored = (await this.data.read()).secrets[key];
    if (stored === undefined) return null;
    try {
      this.lastError = null;
      return await this.cipher.decrypt(Buffer.from(stored, 'base64'));
    } catch (error) {
      this.lastError = `The saved secret cannot be decrypted (${error instanceof Error ? error.message : String(error)}): enter it again.`;
      return null;
    }
  }

  async set(key: string, secret: string): Promise<void> {
    if (!secret) throw new AppError('bad-request', 'An empty secret cannot be saved.');
    const cipher = Buffer.from(await this.cipher.encrypt(secret)).toString('base64');
    await this.data.update((file) => {
      file.secrets[key] = cipher;
    });
  }

  async delete(key: string): Promise<void> {
    await this.data.update((file) => {
      delete file.secrets[key];
    });
  }
}

/**
 * Secrets kept in memory only, for the browser mode (set from the UI for the server's lifetime,
 * never written anywhere), falling back on another store (the environment) when unset. Deleting
 * a key hides the fallback's secret too, until one is set again: a secret dropped because its
 * server changed is not replaced by the environment's behind the admin's back.
 */
export class MemorySecretStore implements SecretStore {
  private readonly secrets = new Map<string, string>();
  private readonly deleted = new Set<string>();

  constructor(private readonly fallback: SecretStore | null = null) {}

  get description(): string {
    return this.fallback ? `this server's memory, else ${this.fallback.description}` : "this server's memory";
  }

  async get(key: string): Promise<string | null> {
    const own = this.secrets.get(key);
    if (own !== undefined) return own;
    if (this.deleted.has(key)) return null;
    return (await this.fallback?.get(key)) ?? null;
  }

  async set(key: string, secret: string): Promise<void> {
    this.secrets.set(key, secret);
    this.deleted.delete(key);
  }

  async delete(key: string): Promise<void> {
    this.secrets.delete(key);
    this.deleted.add(key);
  }
}

/**
 * Another store, except for the keys it is told to keep in memory only. The demo's secret is one:
 * a throwaway for a local 4D Server double, not worth a keychain entry, and the demo must open
 * where there is no keychain at all (Linux without a keyring: CI, xvfb, WSLg, minimal desktops).
 */
export class SecretStoreWithMemoryKeys implements SecretStore {
  private readonly memory = new MemorySecretStore();
  private readonly memoryKeys = new Set<string>();

  constructor(private readonly store: SecretStore) {}

  get description(): string {
    return this.store.description;
  }

  /** From now on, `key` is kept in this process's memory only, never in the other store. */
  keepInMemory(key: string): void {
    this.memoryKeys.add(key);
  }

  private storeFor(key: string): SecretStore {
    return this.memoryKeys.has(key) ? this.memory : this.store;
  }

  get(key: string): Promise<string | null> {
    return this.storeFor(key).get(key);
  }

  set(key: string, secret: string): Promise<void> {
    return this.storeFor(key).set(key, secret);
  }

  delete(key: string): Promise<void> {
    return this.storeFor(key).delete(key);
  }
}
