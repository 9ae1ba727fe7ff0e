import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  IOS_FOLDER,
  makeTempDir,
  removeDir,
  writeFile,
  writeSession,
} from '../../../test/support/fixtures.js';
import { SessionActions } from './sessionActions.js';

let root: string;
let dataDir: string;
let actions: SessionActions;
beforeEach(async () => {
  root = await makeTempDir();
  dataDir = await makeTempDir('ms-data-');
  actions = new SessionActions({ root, dataDir });
});
afterEach(async () => {
  await removeDir(root);
  await removeDir(dataDir);
});

const read = (file: string) => fs.readFile(file);
const listRoot = async () => (await fs.readdir(path.join(root, IOS_FOLDER))).sort();

describe('set status', () => {
  it('changes only the status value, atomically, keeping mode and the rest of the bytes', async () => {
    const { file, ref } = await writeSession(root, { status: 'pending' });
    await fs.chmod(file, 0o640);
    const before = await read(file);
    const report = await actions.setStatus([ref], 'accepted');
    expect(report.results).toEqual([
      { ref, outcome: 'changed', statusBefore: 'pending', statusAfter: 'accepted', error: null },
    ]);
    const after = await read(file);
    expect(after.toString()).toBe(before.toString().replace('"status": "pending"', '"status": "accepted"'));
    expect((await fs.stat(file)).mode & 0o777).toBe(0o640);
    expect(await listRoot()).toEqual([path.basename(file)]); // no temporary file left behind
  });

  it('writes nothing when the status is already the one asked', async () => {
    const { file, ref } = await writeSession(root, { status: 'accepted' });
    const { mtimeMs, ino } = await fs.stat(file);
    const report = await actions.setStatus([ref], 'accepted');
    expect(report.results[0]?.outcome).toBe('unchanged');
    expect(report.batch).toBeNull();
    expect(await fs.stat(file)).toMatchObject({ mtimeMs, ino });
    expect(await actions.log.allEntries()).toEqual([]);
  });

  it('accepts a bare id when only one app holds it, and refuses bad refs without touching anything', async () => {
    const { file, id, ref } = await writeSession(root, { status: 'pending' });
    const other = await writeSession(root, {
      appId: 'com.acme.fieldservice',
      teamId: null,
      id,
      status: 'pending',
    });
    const report = await actions.setStatus(
      [
        id,
        `../${IOS_FOLDER}/${id}`,
        `/etc/${id}`,
        `${IOS_FOLDER}/ffff`,
        `${IOS_FOLDER}/../x`,
        'not-hex',
        `${IOS_FOLDER}/${id}/x`,
      ],
      'accepted',
    );
    expect(report.results.map((r) => r.error?.code)).toEqual([
      'ambiguous-ref',
      'bad-ref',
      'bad-ref',
      'unknown-ref',
      'bad-ref',
      'bad-ref',
      'bad-ref',
    ]);
    expect((await actions.setStatus([ref], 'accepted')).results[0]?.outcome).toBe('changed');
    expect(JSON.parse(await fs.readFile(other.file, 'utf8')).status).toBe('pending');
    expect(JSON.parse(await fs.readFile(file, 'utf8')).status).toBe('accepted');
  });

  it('refuses a link and an invalid file, and carries on with the other refs', async () => {
    const good = await writeSession(root, { status: 'pending' });
    await fs.symlink(good.file, path.join(root, IOS_FOLDER, 'abc123'));
    await writeFile(root, IOS_FOLDER, 'def456', '{"status": "pending", ');
    const report = await actions.setStatus(
      [`${IOS_FOLDER}/abc123`, `${IOS_FOLDER}/def456`, good.ref],
      'accepted',
    );
    expect(report.results.map((r) => r.error?.code ?? r.outcome)).toEqual([
      'not-a-session',
      'not-a-session',
      'changed',
    ]);
    expect(await fs.readFile(path.join(root, IOS_FOLDER, 'def456'), 'utf8')).toBe('{"status": "pending", ');
  });
});

describe('delete and undo', () => {
  it('moves a session to the OS trash and undo puts the exact bytes and mode back', async () => {
    const { file, ref } = await writeSession(root, { status: 'pending' });
    await fs.chmod(file, 0o600);
    const before = await read(file);
    const report = await actions.delete([ref]);
    expect(report.results[0]).toMatchObject({ ref, outcome: 'deleted', statusBefore: 'pending' });
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    const trashFiles = path.join(process.env.XDG_DATA_HOME ?? '', 'Trash', 'files');
    const trashed = await Promise.all(
      (await fs.readdir(trashFiles)).map((n) => fs.readFile(path.join(trashFiles, n))),
    );
    expect(trashed.some((bytes) => bytes.equals(before))).toBe(true);

    const undo = await actions.undo();
    expect(undo.results[0]).toMatchObject({ ref, outcome: 'restored', statusAfter: 'pending' });
    expect(await read(file)).toEqual(before);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect(await listRoot()).toEqual([path.basename(file)]);
  });

  it('a permanent delete is undoable too', async () => {
    const { file, ref } = await writeSession(root);
    const before = await read(file);
    await actions.delete([ref], { permanent: true });
    await expect(fs.stat(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await actions.undo();
    expect(await read(file)).toEqual(before);
  });

  it('undo walks back batch by batch, then says there is nothing left', async () => {
    const a = await writeSession(root, { status: 'pending' });
    const b = await writeSession(root, { status: 'pending' });
    const original = [await read(a.file), await read(b.file)];
    await actions.setStatus([a.ref, b.ref], 'accepted'); // batch 1
    await actions.delete([a.ref]); // batch 2
    expect((await actions.undo()).results.map((r) => r.outcome)).toEqual(['restored']); // the delete
    expect((await actions.undo()).results.map((r) => r.outcome)).toEqual(['restored', 'restored']); // the accept
    expect([await read(a.file), await read(b.file)]).toEqual(original);
    await expect(actions.undo()).rejects.toMatchObject({ code: 'nothing-to-undo' });
  });

  it('names the batch an undo undid, so a notice of that batch can drop its Undo', async () => {
    const a = await writeSession(root, { status: 'pending' });
    const b = await writeSession(root, { status: 'pending' });
    const accept = await actions.setStatus([a.ref], 'accepted');
    const trash = await actions.delete([b.ref]);
    const latest = await actions.undo(); // Ctrl/Cmd+Z: the latest batch
    expect(latest.undid).toBe(trash.batch);
    expect(latest.batch).not.toBe(trash.batch);
    await expect(actions.undo({ batch: trash.batch })).rejects.toMatchObject({ code: 'already-undone' });
    expect((await actions.undo({ batch: accept.batch })).undid).toBe(accept.batch);
  });

  it('refuses to undo over a change someone else made, and moves on next time', async () => {
    const a = await writeSession(root, { status: 'pending' });
    const b = await writeSession(root, { status: 'pending' });
    await actions.setStatus([a.ref], 'accepted');
    await actions.setStatus([b.ref], 'accepted');
    // The 4D Server registers a push token in b meanwhile.
    const serverVersion = (await fs.readFile(b.file, 'utf8')).replace(
      '"simulator": true',
      '"simulator": true, "token": "ab"',
    );
    await fs.writeFile(b.file, serverVersion);
    const refused = await actions.undo();
    expect(refused.results[0]).toMatchObject({ ref: b.ref, outcome: 'failed', error: { code: 'conflict' } });
    expect(await fs.readFile(b.file, 'utf8')).toBe(serverVersion);
    expect((await actions.undo()).results[0]).toMatchObject({ ref: a.ref, outcome: 'restored' });
    const log = await actions.log.allEntries();
    expect(log.filter((e) => e.action === 'undo').map((e) => e.action === 'undo' && e.ok)).toEqual([
      false,
      true,
    ]);
  });

  it('does not restore a deleted session over a new file of the same name', async () => {
    const { file, ref } = await writeSession(root);
    await actions.delete([ref], { permanent: true });
    await fs.writeFile(file, 'a new login');
    const report = await actions.undo();
    expect(report.results[0]).toMatchObject({ outcome: 'failed', error: { code: 'conflict' } });
    expect(await fs.readFile(file, 'utf8')).toBe('a new login');
  });

  it("keeps each folder's history apart and records who did what", async () => {
    const { ref } = await writeSession(root, { status: 'pending' });
    await actions.setStatus([ref], 'accepted');
    const otherRoot = await makeTempDir();
    try {
      await expect(new SessionActions({ root: otherRoot, dataDir }).undo()).rejects.toMatchObject({
        code: 'nothing-to-undo',
      });
    } finally {
      await removeDir(otherRoot);
    }
    const [entry] = await actions.log.allEntries();
    expect(entry).toMatchObject({
      action: 'set-status',
      ref,
      root,
      statusBefore: 'pending',
      statusAfter: 'accepted',
    });
    expect(entry?.user).toBeTruthy();
    expect(Number.isNaN(Date.parse(entry?.time ?? ''))).toBe(false);
    // Nothing of the engine's own lives in the MobileApps folder.
    expect(await fs.readdir(root)).toEqual([IOS_FOLDER]);
  });
});

describe('a concurrent writer (the 4D Server rewriting the same file)', () => {
  it('never leaves a torn or mixed file: each accept lands on the current bytes or reports a conflict', async () => {
    const { file, ref, json } = await writeSession(root, { status: 'pending' });
    // The double of the server: rewrites the file in place with a growing push token, as push registration does.
    const serverVersions = new Set<string>();
    let stop = false;
    const server = (async () => {
      for (let i = 0; !stop; i += 1) {
        const current = JSON.parse(await fs.readFile(file, 'utf8').catch(() => '{}'));
        const next = JSON.stringify(
          {
            ...json,
            status: current.status ?? 'pending',
            device: { ...(json.device as object), token: 'f'.repeat(i % 64) },
          },
          null,
          2,
        );
        serverVersions.add(next);
        await fs.writeFile(file, next);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const outcomes: string[] = [];
    for (let i = 0; i < 150; i += 1) {
      const report = await actions.setStatus([ref], i % 2 ? 'pending' : 'accepted');
      outcomes.push(report.results[0]?.error?.code ?? report.results[0]?.outcome ?? '?');
    }
    stop = true;
    await server;
    // Only these outcomes, and never an I/O error or an invalid-file refusal.
    expect(new Set(outcomes).size).toBeGreaterThan(0);
    for (const outcome of outcomes)
      expect(['changed', 'unchanged', 'conflict', 'not-a-session']).toContain(outcome);
    const final = await fs.readFile(file, 'utf8');
    const parsed = JSON.parse(final);
    const asServerWrote = [...serverVersions].some((v) => v === final);
    const asWeWrote = [...serverVersions].some(
      (v) => v.replace(/"status": "(accepted|pending)"/, `"status": "${parsed.status}"`) === final,
    );
    expect(asServerWrote || asWeWrote).toBe(true);
    expect(await listRoot()).toEqual([path.basename(file)]);
  });
});
