/**
 * The demo's 4D Server double: set as the folder's push target with a secret that stays in memory
 * (the demo opens without any keychain), and nothing left behind when its set-up fails: the double
 * closed, the folder closed, no settings asking for a secret that is not there.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempFoldersPerTest, writeSessions } from '../../../test/support/fixtures.js';
import { AppService } from '../appService.js';
import { PushService } from '../push/pushService.js';
import { MemorySecretStore, type SecretStore } from '../push/secretStore.js';
import { startDemoServer } from './demoServer.js';
import { FourDServerDouble } from './fourDServerDouble.js';

const temp = tempFoldersPerTest();
afterEach(() => {
  vi.restoreAllMocks();
});

/** The doubles started during the test (a spy on FourDServerDouble.start, which still starts them). */
function watchDoubles(): FourDServerDouble[] {
  const started: FourDServerDouble[] = [];
  const start = FourDServerDouble.start.bind(FourDServerDouble);
  vi.spyOn(FourDServerDouble, 'start').mockImplementation(async (options) => {
    const double = await start(options);
    started.push(double);
    return double;
  });
  return started;
}

const refused = (url: string) =>
  fetch(url, { method: 'POST' }).then(
    () => false,
    () => true,
  );

/** A keychain that is not there (Linux without a keyring): every write fails. */
const noKeychain: SecretStore = {
  description: 'the system keychain',
  get: async () => null,
  set: async () => {
    throw new Error('No system keyring (GNOME Keyring or KWallet) is running: the secret is not stored.');
  },
  delete: async () => {},
};

describe('startDemoServer', () => {
  it('stores the secret, then the settings that need it, and returns the listening double', async () => {
    const push = new PushService({ dataDir: temp.dataDir, secrets: new MemorySecretStore() });
    const double = await startDemoServer(temp.root, push);
    try {
      expect(await push.getSettings(temp.root)).toMatchObject({
        url: double.handlerUrl,
        auth: 'bearer',
        hasSecret: true,
      });
    } finally {
      await double.close();
    }
  });

  it('closes the double and saves no settings when its secret cannot be stored', async () => {
    const started = watchDoubles();
    const push = new PushService({ dataDir: temp.dataDir, secrets: noKeychain });
    await expect(startDemoServer(temp.root, push)).rejects.toThrow('No system keyring');
    expect(started).toHaveLength(1);
    expect(await refused(started[0]?.handlerUrl as string)).toBe(true);
    expect(await push.getSettings(temp.root)).toBeNull();
  });

  it('closes the double when its settings cannot be saved', async () => {
    const started = watchDoubles();
    mkdirSync(path.join(temp.dataDir, 'servers.json'));
    const push = new PushService({ dataDir: temp.dataDir, secrets: new MemorySecretStore() });
    await expect(startDemoServer(temp.root, push)).rejects.toThrow();
    expect(await refused(started[0]?.handlerUrl as string)).toBe(true);
  });
});

describe('AppService.openDemo', () => {
  const service = (secrets: SecretStore) =>
    new AppService({
      dataDir: temp.dataDir,
      hooks: {
        platform: 'linux',
        secrets,
        createDemo: async () => {
          await writeSessions(temp.root, 2);
          return temp.root;
        },
      },
    });

  it('opens without a keychain: the secret stays in memory, never in the store given', async () => {
    const set = vi.spyOn(noKeychain, 'set');
    const app = service(noKeychain);
    try {
      expect(await app.handlers.openDemo({})).toMatchObject({ root: temp.root, demo: true });
      expect(await app.handlers.getPushState({})).toMatchObject({
        settings: { auth: 'bearer', hasSecret: true },
      });
      expect((await app.handlers.push({})).failure).toBeNull();
      expect(set).not.toHaveBeenCalled();
    } finally {
      await app.close();
    }
  });

  it('closes the folder and the double when the set-up fails, and says why', async () => {
    const started = watchDoubles();
    mkdirSync(path.join(temp.dataDir, 'servers.json'));
    const app = service(new MemorySecretStore());
    await expect(app.handlers.openDemo({})).rejects.toThrow();
    expect(app.state()).toMatchObject({ root: null, demo: false });
    expect(await refused(started[0]?.handlerUrl as string)).toBe(true);
  });
});
