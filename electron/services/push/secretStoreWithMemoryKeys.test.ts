/** The keys told to stay in memory never reach the other store; every other key goes there. */
import { describe, expect, it, vi } from 'vitest';
import { MemorySecretStore, SecretStoreWithMemoryKeys } from './secretStore.js';

describe('SecretStoreWithMemoryKeys', () => {
  it('keeps the keys it was told to in memory, and passes the others to its store', async () => {
    const store = new MemorySecretStore();
    const set = vi.spyOn(store, 'set');
    const secrets = new SecretStoreWithMemoryKeys(store);
    secrets.keepInMemory('push:/demo');
    await secrets.set('push:/demo', 'throwaway');
    await secrets.set('push:/srv/MobileApps', 'real');
    expect(set.mock.calls).toEqual([['push:/srv/MobileApps', 'real']]);
    expect(await store.get('push:/demo')).toBeNull();
    expect(await secrets.get('push:/demo')).toBe('throwaway');
    expect(await secrets.get('push:/srv/MobileApps')).toBe('real');
    await secrets.delete('push:/demo');
    expect(await secrets.get('push:/demo')).toBeNull();
    expect(await secrets.get('push:/srv/MobileApps')).toBe('real');
    expect(secrets.description).toBe(store.description);
  });

  it('never reads a memory key from the store, even one it holds from before', async () => {
    const store = new MemorySecretStore();
    await store.set('push:/demo', 'stale, from the keychain');
    const secrets = new SecretStoreWithMemoryKeys(store);
    secrets.keepInMemory('push:/demo');
    expect(await secrets.get('push:/demo')).toBeNull();
  });
});
