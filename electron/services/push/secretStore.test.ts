import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../../test/support/fixtures.js';
import {
  CliSecretStore,
  EncryptedSecretStore,
  MemorySecretStore,
  PUSH_SECRET_ENV,
  pushSecretKey,
  readSecretFile,
  type SecretCipher,
} from './secretStore.js';

/** A cipher double standing in for Electron's safeStorage: reversible, keyed, and not plain text. */
const fakeCipherDouble = (key = 7): SecretCipher => ({
  encrypt: (plain) => Buffer.from([0xfa, ...Buffer.from(plain, 'utf8').map((byte) => byte ^ key)]),
  decrypt: (cipher) => {
    if (cipher[0] !== 0xfa) throw new Error('not made by this cipher');
    return Buffer.from(cipher.subarray(1).map((byte) => byte ^ key)).toString('utf8');
  },
});

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('ms-secret-');
});
afterEach(async () => {
  await removeDir(dir);
});

describe('CliSecretStore', () => {
  it('reads the environment variable', async () => {
    const store = new CliSecretStore({ env: { [PUSH_SECRET_ENV]: 'from-env' } });
    expect(await store.get(pushSecretKey('/r'))).toBe('from-env');
    expect(await new CliSecretStore({ env: {} }).get('k')).toBeNull();
    expect(store.description).toContain(PUSH_SECRET_ENV);
  });

  it('prefers a secret file readable by its owner only, without its trailing line break', async () => {
    const file = path.join(dir, 'secret');
    await fs.writeFile(file, 'from-file\n', { mode: 0o600 });
    const store = new CliSecretStore({ env: { [PUSH_SECRET_ENV]: 'from-env' }, secretFile: file });
    expect(await store.get('k')).toBe('from-file');
  });

  it('refuses a secret file other users can read, saying how to fix it', async () => {
    const file = path.join(dir, 'secret');
    await fs.writeFile(file, 'leaky');
    await fs.chmod(file, 0o644);
    await expect(readSecretFile(file, 'linux')).rejects.toThrow(/other users \(mode 644\).*chmod 600/);
    await fs.chmod(file, 0o620);
    await expect(readSecretFile(file, 'linux')).rejects.toThrow(/mode 620/);
  });

  it('refuses an empty or missing file', async () => {
    const file = path.join(dir, 'empty');
    await fs.writeFile(file, '\n', { mode: 0o600 });
    await expect(readSecretFile(file, 'linux')).rejects.toThrow(/is empty/);
    await expect(readSecretFile(path.join(dir, 'none'), 'linux')).rejects.toThrow(/does not exist/);
  });

  it('never stores anything', async () => {
    await expect(new CliSecretStore({ env: {} }).set('k', 'v')).rejects.toThrow(/never stores secrets/);
  });
});

describe('EncryptedSecretStore', () => {
  it('keeps ciphertext only, owner-only, readable again by a new instance', async () => {
    const store = new EncryptedSecretStore(dir, fakeCipherDouble());
    await store.set(pushSecretKey('/r'), 'top secret');
    const text = await fs.readFile(store.file, 'utf8');
    expect(text).not.toContain('top secret');
    expect((await fs.stat(store.file)).mode & 0o777).toBe(0o600);
    expect(await new EncryptedSecretStore(dir, fakeCipherDouble()).get(pushSecretKey('/r'))).toBe(
      'top secret',
    );
    expect(await store.get(pushSecretKey('/other'))).toBeNull();
  });

  it('deletes a secret', async () => {
    const store = new EncryptedSecretStore(dir, fakeCipherDouble());
    await store.set('k', 'v');
    await store.delete('k');
    expect(await store.get('k')).toBeNull();
  });

  it('reads a ciphertext it cannot decrypt as no secret, and says why', async () => {
    await new EncryptedSecretStore(dir, fakeCipherDouble()).set('k', 'v');
    const otherMachine: SecretCipher = {
      encrypt: () => Buffer.alloc(0),
      decrypt: () => {
        throw new Error('keychain reset');
      },
    };
    const store = new EncryptedSecretStore(dir, otherMachine);
    expect(await store.get('k')).toBeNull();
    expect(store.lastError).toMatch(/keychain reset.*enter it again/);
  });
});

describe('MemorySecretStore', () => {
  it('falls back on the environment, and a deleted secret hides the fallback until one is set again', async () => {
    const store = new MemorySecretStore(new CliSecretStore({ env: { [PUSH_SECRET_ENV]: 'from-env' } }));
    expect(await store.get('k')).toBe('from-env');
    await store.delete('k');
    expect(await store.get('k')).toBeNull();
    expect(await store.get('other')).toBe('from-env');
    await store.set('k', 'typed');
    expect(await store.get('k')).toBe('typed');
  });
});
