import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PUSH_TIMEOUT_MS } from '../../../shared/push.js';
import { makeTempDir, removeDir } from '../../../test/support/fixtures.js';
import { applySettingsPatch, PushSettingsStore, settingsWarnings } from './pushSettings.js';

const FP = Array.from({ length: 32 }, (_, i) => i.toString(16).padStart(2, '0').toUpperCase()).join(':');

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeTempDir('ms-data-');
});
afterEach(async () => {
  await removeDir(dataDir);
});

describe('PushSettingsStore', () => {
  it('keeps settings per absolute root in servers.json, owner-only, and reads them back in a new instance', async () => {
    const store = new PushSettingsStore(dataDir);
    const saved = await store.set('relative/MobileApps', {
      url: 'https://srv.example.com/mobile-sessions/refresh',
    });
    expect(saved).toEqual({
      url: 'https://srv.example.com/mobile-sessions/refresh',
      auth: 'bearer',
      user: null,
      loginFunction: 'authentify',
      timeoutMs: DEFAULT_PUSH_TIMEOUT_MS,
      tls: { trustSelfSigned: false, fingerprint256: null },
    });
    const file = path.join(dataDir, 'servers.json');
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const onDisk = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(Object.keys(onDisk.servers)).toEqual([path.resolve('relative/MobileApps')]);
    expect(await new PushSettingsStore(dataDir).get(path.resolve('relative/MobileApps'))).toEqual(saved);
  });

  it('patches: only the given fields change', async () => {
    const store = new PushSettingsStore(dataDir);
    await store.set('/r', { url: 'https://a.example/x', timeoutMs: 5000 });
    const next = await store.set('/r', { auth: 'basic', user: 'admin' });
    expect(next).toMatchObject({ url: 'https://a.example/x', timeoutMs: 5000, auth: 'basic', user: 'admin' });
  });

  it('refuses a first save without a URL, a bad URL, and anything that looks like a secret', async () => {
    const store = new PushSettingsStore(dataDir);
    await expect(store.set('/r', { auth: 'none' })).rejects.toThrow(/give its URL/);
    await expect(store.set('/r', { url: 'ftp://x/y' })).rejects.toThrow(/http:\/\/ or https:\/\//);
    await expect(store.set('/r', { url: 'https://a.example/x', token: 'abc' })).rejects.toThrow(
      /unknown setting token \(secrets are never stored here\)/,
    );
    expect(await store.get('/r')).toBeNull();
  });

  it('pins a self-signed certificate for one server only, and forgets the pin when the server changes', async () => {
    const store = new PushSettingsStore(dataDir);
    await expect(
      store.set('/r', { url: 'http://a.example/x', tls: { trustSelfSigned: true, fingerprint256: FP } }),
    ).rejects.toThrow(/https/);
    await expect(
      store.set('/r', { url: 'https://a.example/x', tls: { trustSelfSigned: true } }),
    ).rejects.toThrow(/pin it/);
    const pinned = await store.set('/r', {
      url: 'https://a.example/x',
      tls: { trustSelfSigned: true, fingerprint256: FP.toLowerCase() },
    });
    expect(pinned.tls).toEqual({ trustSelfSigned: true, fingerprint256: FP });
    expect((await store.set('/r', { url: 'https://a.example/other-path' })).tls.fingerprint256).toBe(FP);
    expect((await store.set('/r', { url: 'https://b.example/x' })).tls).toEqual({
      trustSelfSigned: false,
      fingerprint256: null,
    });
  });

  it('needs a user for basic and rest-login', () => {
    expect(() => applySettingsPatch('/r', null, { url: 'https://a/x', auth: 'rest-login' })).toThrow(
      /user name/,
    );
  });

  it('forgets a root', async () => {
    const store = new PushSettingsStore(dataDir);
    await store.set('/r', { url: 'https://a.example/x' });
    expect(await store.remove('/r')).toBe(true);
    expect(await store.remove('/r')).toBe(false);
    expect(await store.list()).toEqual({});
  });

  it('ignores a damaged file or entry instead of failing', async () => {
    await fs.writeFile(path.join(dataDir, 'servers.json'), '{not json');
    expect(await new PushSettingsStore(dataDir).list()).toEqual({});
    await fs.writeFile(
      path.join(dataDir, 'servers.json'),
      JSON.stringify({
        version: 1,
        servers: { '/bad': { url: 1 }, '/good': applySettingsPatch('/good', null, { url: 'https://g/x' }) },
      }),
    );
    expect(Object.keys(await new PushSettingsStore(dataDir).list())).toEqual(['/good']);
  });

  it('warns about a secret sent over plain HTTP to another machine, and about no authentication', () => {
    const base = applySettingsPatch('/r', null, { url: 'http://srv.example/x' });
    expect(settingsWarnings(base).join(' ')).toMatch(/unencrypted/);
    expect(settingsWarnings({ ...base, url: 'http://127.0.0.1:8080/x' })).toEqual([]);
    expect(settingsWarnings({ ...base, auth: 'none' }).join(' ')).toMatch(/anyone who can reach/);
  });
});
