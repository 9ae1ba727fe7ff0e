/**
 * Push end to end: real actions on a real folder, the real client, the 4D Server double over
 * HTTP on 127.0.0.1, and "restarts" (new service instances on the same data directory).
 */
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  writeFile,
  writeSession,
} from '../../../test/support/fixtures.js';
import { FourDServerDouble } from '../demo/fourDServerDouble.js';
import { SessionActions } from '../history/sessionActions.js';
import { PushService } from './pushService.js';
import { CliSecretStore, PUSH_SECRET_ENV } from './secretStore.js';

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
    expect(result.serverErrors).toEqual([
      {
        component: 'mobi',
        code: 2,
        message: expect.any(String),
        path: `${IOS_FOLDER}/abcdef01`,
        matchedBy: 'message',
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
