/**
 * Push end to end: real actions on a real folder, the real client, the 4D Server double over
 * HTTP on 127.0.0.1, and "restarts" (new service instances on the same data directory).
 */
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeCompanyCa } from '../../../test/support/companyCa.js';
import {
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  writeFile,
  writeSession,
} from '../../../test/support/fixtures.js';
import { startTestProxy, type TestProxy } from '../../../test/support/httpProxy.js';
import { opensslMissing } from '../../../test/support/selfSignedCert.js';
import { FourDServerDouble } from '../demo/fourDServerDouble.js';
import { SessionActions } from '../history/sessionActions.js';
import { PushService } from './pushService.js';
import { FileRestSessions } from './restSessions.js';
import { CliSecretStore, MemorySecretStore, PUSH_SECRET_ENV } from './secretStore.js';

let root: string;
let dataDir: string;
let double: FourDServerDouble | null = null;
beforeEach(async () => {
  root = await makeTempDir();
  dataDir = await makeTempDir('ms-data-');
});
afterEach(async () => {
  await double?.close();
  double = null;
  await removeDir(root);
  await removeDir(dataDir);
});

/** A fresh service, as after a restart: it only knows what the data directory holds. */
const service = (secret: string | null = 's3cret') =>
  new PushService({
    dataDir,
    secrets: new CliSecretStore({ env: secret ? { [PUSH_SECRET_ENV]: secret } : {} }),
  });
const actions = () => new SessionActions({ root, dataDir, trash: (file) => fs.rm(file) });

async function startDouble() {
  double = await FourDServerDouble.start({ root, secret: 's3cret' });
  await service().saveSettings(root, { url: double.handlerUrl, auth: 'bearer', timeoutMs: 2000 });
  return double;
}

describe('PushService', () => {
  it("without a server, fails with the setting to give and docs/push.md, in no door's language", async () => {
    await writeSession(root);
    const result = await service().push(root);
    expect(result).toMatchObject({
      outcome: 'failed',
      server: null,
      failure: { kind: 'not-configured', fix: { setting: 'url', suggested: null } },
    });
    expect(result.message).toContain('docs/push.md');
    expect(result.message).not.toMatch(/--|mobile-sessions |MOBILE_SESSIONS_/);
  });

  it('pushes: the server reloads the change, the push is recorded, nothing is unpushed after', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    const d = await startDouble();
    await actions().setStatus([ref], 'accepted');
    expect(d.statusOf(ref)).toBe('pending');

    const result = await service().push(root);
    expect(result).toMatchObject({
      outcome: 'reloaded',
      nothingToPush: false,
      failure: null,
      serverErrors: [],
    });
    expect(result.changes.map((c) => c.ref)).toEqual([ref]);
    expect(result.message).toMatch(/reloaded its sessions with your 1 change \(1 changed\)/);
    expect(d.statusOf(ref)).toBe('accepted');

    const after = await service().unpushed(root);
    expect(after.changes).toEqual([]);
    expect(after.lastPush).toMatchObject({
      time: result.pushedAt,
      server: d.handlerUrl,
      delivered: { changed: 1, refs: [ref] },
    });
  });

  it('keeps unpushed changes across a restart and a failed push, and clears them only on success', async () => {
    const a = await writeSession(root, { status: 'pending' });
    const b = await writeSession(root, { status: 'accepted' });
    const d = await startDouble(); // the server knows both sessions
    await actions().setStatus([a.ref], 'accepted');
    await actions().delete([b.ref]);
    expect((await service().unpushed(root)).counts).toEqual({
      changed: 1,
      deleted: 1,
      restored: 0,
      total: 2,
    });

    // The server is down: a refused connection on a port nothing listens on.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await service().saveSettings(root, { url: `http://127.0.0.1:${port}/mobile-sessions/refresh` });
    const down = await service().push(root);
    expect(down).toMatchObject({ outcome: 'failed', failure: { kind: 'unreachable' }, pushedAt: null });
    expect(down.message).toMatch(/The 2 unpushed changes are kept/);
    expect((await service().unpushed(root)).counts.total).toBe(2);

    // Wrong secret: refused, still kept.
    await service().saveSettings(root, { url: d.handlerUrl });
    expect(await service('wrong').push(root)).toMatchObject({
      outcome: 'failed',
      failure: { kind: 'credentials-refused' },
    });
    expect((await service().unpushed(root)).counts.total).toBe(2);
    expect(d.statusOf(b.ref)).toBe('accepted');

    // Success: cleared, and the server dropped the deleted session.
    expect(await service().push(root)).toMatchObject({ outcome: 'reloaded' });
    expect((await service().unpushed(root)).changes).toEqual([]);
    expect(d.statusOf(a.ref)).toBe('accepted');
    expect(d.statusOf(b.ref)).toBeUndefined();
  });

  it('is harmless twice in a row, and says there was nothing to push', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    const d = await startDouble();
    await actions().setStatus([ref], 'accepted');
    await service().push(root);
    const again = await service().push(root);
    expect(again).toMatchObject({ outcome: 'reloaded', nothingToPush: true, changes: [] });
    expect(again.message).toMatch(/no unpushed changes/);
    expect(d.refreshCount).toBe(2);
    expect(d.statusOf(ref)).toBe('accepted');
  });

  it('does not count a change undone before the push', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    await startDouble();
    await actions().setStatus([ref], 'accepted');
    await actions().undo();
    expect((await service().check(root)).unpushed.changes).toEqual([]);
    expect(await service().push(root)).toMatchObject({ nothingToPush: true, outcome: 'reloaded' });
  });

  it('tells N, M, K before the push, and maps the errors the server returns to the files', async () => {
    const changed = await writeSession(root, { status: 'pending' });
    const deleted = await writeSession(root, { status: 'accepted' });
    const d = await startDouble();
    await actions().setStatus([changed.ref], 'accepted');
    await actions().delete([deleted.ref]);
    await writeFile(root, IOS_FOLDER, 'abcdef01', '{broken');

    const check = await service().check(root);
    expect(check.reload.map((c) => c.ref)).toEqual([changed.ref]);
    expect(check.remove.map((c) => c.ref)).toEqual([deleted.ref]);
    expect(check.drop).toEqual([
      {
        path: `${IOS_FOLDER}/abcdef01`,
        changedByApp: false,
        problems: [expect.objectContaining({ code: 'malformed', mobi: 2 })],
      },
    ]);
    expect(check.summary).toBe(
      '1 changed session will be reloaded, 1 session will be dropped by the server because its file fails its checks, 1 deleted session will be removed from memory.',
    );

    const result = await service().push(root);
    expect(result.outcome).toBe('reloaded-with-errors');
    // 4D's message does not name the file: it is matched as the only local file failing with mobi 2.
    expect(result.serverErrors).toEqual([
      {
        component: 'mobi',
        code: 2,
        message: 'The json file is not correctly formed',
        path: `${IOS_FOLDER}/abcdef01`,
        matchedBy: 'code',
      },
    ]);
    expect(result.message).toMatch(/reported 1 error/);
    // The push reached the server: recorded, so the changes are no longer unpushed.
    expect((await service().unpushed(root)).changes).toEqual([]);
    expect(d.statusOf(changed.ref)).toBe('accepted');
  });

  it('uses --server and --token for one push, without saving them', async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    double = await FourDServerDouble.start({ root, secret: 'once' });
    await actions().setStatus([ref], 'accepted');
    const result = await service(null).push(root, { server: double.handlerUrl, secret: 'once' });
    expect(result).toMatchObject({ outcome: 'reloaded', server: double.handlerUrl });
    expect(await service().getSettings(root)).toBeNull();
    await expect(service().push(root, { server: 'not a url' })).rejects.toThrow(/not an http/);
  });

  it('says when no secret is available for an authenticated server', async () => {
    await startDouble();
    const result = await service(null).push(root);
    expect(result).toMatchObject({ outcome: 'failed', failure: { kind: 'no-secret' } });
    expect(result.message).toContain(PUSH_SECRET_ENV);
  });

  it('shows settings with whether a secret is available, and never a secret', async () => {
    const d = await startDouble();
    const view = await service().getSettings(root);
    expect(view).toMatchObject({ root, url: d.handlerUrl, auth: 'bearer', hasSecret: true, warnings: [] });
    expect(JSON.stringify(view)).not.toContain('s3cret');
    expect((await service(null).getSettings(root))?.hasSecret).toBe(false);
  });
});

describe('PushService: a secret belongs to its server (scheme, host, port)', () => {
  let other: FourDServerDouble | null = null;
  afterEach(async () => {
    await other?.close();
    other = null;
  });

  /** Two servers, A and B, each with its own secret. */
  async function twoServers() {
    double = await FourDServerDouble.start({ root, secret: 'for-a' });
    other = await FourDServerDouble.start({ root, secret: 'for-b' });
    return { a: double, b: other };
  }

  it('drops the secret when the URL moves to another origin, never sends it there, and asks again', async () => {
    const { a, b } = await twoServers();
    const push = new PushService({ dataDir, secrets: new MemorySecretStore() }); // secrets saved from the UI
    await push.saveSettings(root, { url: a.handlerUrl, auth: 'bearer', timeoutMs: 2000 });
    await push.setSecret(root, 'for-a');
    expect(await push.push(root)).toMatchObject({ outcome: 'reloaded' });

    // Another path on the same server keeps it.
    expect(await push.saveSettings(root, { url: `${a.origin}/other/refresh` })).toMatchObject({
      hasSecret: true,
    });
    await push.saveSettings(root, { url: a.handlerUrl });

    const moved = await push.saveSettings(root, { url: b.handlerUrl });
    expect(moved.hasSecret).toBe(false);
    expect(moved.warnings.join(' ')).toMatch(
      new RegExp(`secret of ${a.origin} was dropped.*Give the secret of ${b.origin}`),
    );
    const refused = await push.push(root);
    expect(refused).toMatchObject({
      outcome: 'failed',
      failure: { kind: 'no-secret', fix: { setting: 'secret' } },
    });
    expect(b.requests).toHaveLength(0);

    await push.setSecret(root, 'for-b');
    expect(await push.push(root)).toMatchObject({ outcome: 'reloaded' });
    expect(b.requests.map((r) => r.headers.authorization)).toEqual(['Bearer for-b']);
    // Back to A: B's secret is not A's either.
    expect((await push.saveSettings(root, { url: a.handlerUrl })).hasSecret).toBe(false);
    expect(await push.push(root)).toMatchObject({ outcome: 'failed', failure: { kind: 'no-secret' } });
    expect(a.requests.filter((r) => r.headers.authorization === 'Bearer for-b')).toHaveLength(0);
  });

  it('does not send a saved secret to a --server of another origin', async () => {
    const { a, b } = await twoServers();
    const push = new PushService({ dataDir, secrets: new MemorySecretStore() });
    await push.saveSettings(root, { url: a.handlerUrl, auth: 'bearer' });
    await push.setSecret(root, 'for-a');
    const result = await push.push(root, { server: b.handlerUrl });
    expect(result).toMatchObject({ outcome: 'failed', failure: { kind: 'no-secret' } });
    expect(result.message).toContain(`belongs to ${a.origin}`);
    expect(b.requests).toHaveLength(0);
    // A secret given for this push is the admin's explicit choice.
    expect(await push.push(root, { server: b.handlerUrl, secret: 'for-b' })).toMatchObject({
      outcome: 'reloaded',
    });
  });

  it("an environment secret goes to the folder's server, not to a --server of another origin", async () => {
    const { a, b } = await twoServers();
    const push = new PushService({
      dataDir,
      secrets: new CliSecretStore({ env: { [PUSH_SECRET_ENV]: 'for-a' } }),
    });
    await push.saveSettings(root, { url: a.handlerUrl, auth: 'bearer' });
    const result = await push.push(root, { server: b.handlerUrl });
    expect(result).toMatchObject({ outcome: 'failed', failure: { kind: 'no-secret' } });
    expect(result.message).toContain(`belongs to ${a.origin}`);
    expect(b.requests).toHaveLength(0);
    expect(await push.push(root, { server: `${a.origin}/mobile-sessions/refresh` })).toMatchObject({
      outcome: 'reloaded',
    });
  });

  it("the browser mode's environment secret is dropped with the server too", async () => {
    const { a, b } = await twoServers();
    const secrets = new MemorySecretStore(new CliSecretStore({ env: { [PUSH_SECRET_ENV]: 'for-a' } }));
    const push = new PushService({ dataDir, secrets });
    await push.saveSettings(root, { url: a.handlerUrl, auth: 'bearer' });
    expect(await push.push(root)).toMatchObject({ outcome: 'reloaded' });
    await push.saveSettings(root, { url: b.handlerUrl });
    expect(await push.push(root)).toMatchObject({ outcome: 'failed', failure: { kind: 'no-secret' } });
    expect(b.requests).toHaveLength(0);
  });

  it('binds a secret given before any server to the first server set, or to the URL it is given for', async () => {
    const { a, b } = await twoServers();
    const secrets = new MemorySecretStore();
    const push = new PushService({ dataDir, secrets });
    await push.setSecret(root, 'for-a'); // no server yet
    await push.saveSettings(root, { url: a.handlerUrl, auth: 'bearer' });
    expect(await push.push(root)).toMatchObject({ outcome: 'reloaded' });
    // The demo's order: the secret for the new server first, then the settings that use it.
    await push.setSecret(root, 'for-b', b.handlerUrl);
    const view = await push.saveSettings(root, { url: b.handlerUrl });
    expect(view.hasSecret).toBe(true);
    expect(await push.push(root)).toMatchObject({ outcome: 'reloaded' });
    expect(b.requests.map((r) => r.headers.authorization)).toEqual(['Bearer for-b']);
  });
});

describe('PushService: one REST login for many pushes, across command-line runs', () => {
  it('keeps the 4D session in the data directory, owner-only, without the secret', async () => {
    double = await FourDServerDouble.start({ root, secret: 's3cret', licences: 1 });
    const run = () =>
      new PushService({
        dataDir,
        secrets: new CliSecretStore({ env: { [PUSH_SECRET_ENV]: 's3cret' } }),
        sessions: new FileRestSessions(dataDir),
      });
    await run().saveSettings(root, { url: double.restUrl, auth: 'rest-login', user: 'mobile-sessions' });
    for (let i = 0; i < 3; i += 1) expect(await run().push(root)).toMatchObject({ outcome: 'reloaded' });
    expect(double.web.logins).toBe(1);
    expect(double.licencesInUse).toBe(1);
    const file = new FileRestSessions(dataDir).file;
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const text = await fs.readFile(file, 'utf8');
    expect(text).toMatch(/4DSID_MobileSessionsDouble/);
    expect(text).not.toContain('s3cret');
    // Forgetting the server forgets its session.
    await run().forgetSettings(root);
    expect(await fs.readFile(file, 'utf8')).not.toMatch(/4DSID/);
  });
});

describe("PushService: push travels like the admin's other traffic", () => {
  const saved = { ...process.env };
  let proxy: TestProxy | null = null;
  afterEach(async () => {
    for (const name of ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await proxy?.close();
    proxy = null;
  });

  it('goes through HTTP_PROXY, except for what NO_PROXY names', async () => {
    proxy = await startTestProxy();
    double = await FourDServerDouble.start({ root, secret: 's3cret' });
    const url = `http://fourd.test:${new URL(double.origin).port}/mobile-sessions/refresh`;
    process.env.HTTP_PROXY = proxy.url;
    await service().saveSettings(root, { url, auth: 'bearer', timeoutMs: 2000 });
    expect(await service().push(root)).toMatchObject({ outcome: 'reloaded' });
    expect(proxy.records.map((r) => r.target)).toEqual([url]);
    process.env.NO_PROXY = 'fourd.test';
    expect(await service().push(root)).toMatchObject({ outcome: 'failed', failure: { kind: 'unreachable' } });
    expect(proxy.records).toHaveLength(1);
  });

  it.skipIf(opensslMissing() !== null)('trusts the certificate authority of the CA file', async () => {
    const certDir = await makeTempDir('ms-ca-');
    try {
      const company = makeCompanyCa(certDir);
      double = await FourDServerDouble.start({ root, secret: 's3cret', tls: company });
      await service().saveSettings(root, { url: double.handlerUrl, auth: 'bearer' });
      expect(await service().push(root)).toMatchObject({
        outcome: 'failed',
        failure: { kind: 'tls-untrusted' },
      });
      const withCa = (caFile: string) =>
        new PushService({
          dataDir,
          secrets: new CliSecretStore({ env: { [PUSH_SECRET_ENV]: 's3cret' } }),
          caFile,
        });
      expect(await withCa(company.caFile).push(root)).toMatchObject({ outcome: 'reloaded' });
      const notPem = path.join(certDir, 'server.ext');
      await expect(withCa(notPem).push(root)).rejects.toThrow(/holds no PEM certificate/);
    } finally {
      await removeDir(certDir);
    }
  });
});
