/**
 * An undone delete takes its copy out of the OS trash (issue 18, item 12), on Linux's freedesktop
 * trash: the tests' own one (vitest sets XDG_DATA_HOME), through the real `trash` package. Only the
 * exact file the delete sent there goes: a copy with other bytes, or sent from another place, stays.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir, writeSession } from '../../../test/support/fixtures.js';
import { SessionActions } from '../history/sessionActions.js';
import { removeTrashedCopy } from './trashedCopy.js';

const TRASH = path.join(process.env.XDG_DATA_HOME ?? '', 'Trash');
const onLinux = process.platform === 'linux';

let root: string;
let dataDir: string;
const planted: string[] = [];
beforeEach(async () => {
  root = await makeTempDir();
  dataDir = await makeTempDir('ms-data-');
});
afterEach(async () => {
  await removeDir(root);
  await removeDir(dataDir);
  for (const file of planted.splice(0)) await fs.rm(file, { force: true });
});

/** The trash entries (files/ name → recorded path) whose path lies under `folder`. */
async function trashedFrom(folder: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const name of await fs.readdir(path.join(TRASH, 'info')).catch(() => [] as string[])) {
    const info = await fs.readFile(path.join(TRASH, 'info', name), 'utf8');
    const recorded = decodeURIComponent(/^Path=(.*)$/m.exec(info)?.[1] ?? '');
    if (recorded.startsWith(`${folder}${path.sep}`)) found.set(name.replace(/\.trashinfo$/, ''), recorded);
  }
  return found;
}

/** A trash entry of our own making, as the `trash` package writes one. */
async function plant(recordedPath: string, bytes: Buffer): Promise<string> {
  const name = `planted-${randomUUID()}`;
  await fs.mkdir(path.join(TRASH, 'files'), { recursive: true });
  await fs.mkdir(path.join(TRASH, 'info'), { recursive: true });
  const file = path.join(TRASH, 'files', name);
  const info = path.join(TRASH, 'info', `${name}.trashinfo`);
  await fs.writeFile(file, bytes);
  await fs.writeFile(
    info,
    `[Trash Info]\nPath=${encodeURI(recordedPath)}\nDeletionDate=2026-01-01T00:00:00\n`,
  );
  planted.push(file, info);
  return name;
}

describe.runIf(onLinux)('the copy in the OS trash after an undone delete', () => {
  it('goes when the session comes back, and nothing else does', async () => {
    const { file, ref } = await writeSession(root, { status: 'pending' });
    const bytes = await fs.readFile(file);
    const actions = new SessionActions({ root, dataDir });
    await actions.delete([ref]);
    const ours = await trashedFrom(root);
    expect(ours.size).toBe(1);
    const [sentFrom] = [...ours.values()];
    // What the undo must leave: the same bytes sent from elsewhere, other bytes sent from the same place.
    const elsewhere = await plant(
      path.join(path.dirname(sentFrom as string), '..', 'elsewhere', path.basename(file)),
      bytes,
    );
    const otherBytes = await plant(sentFrom as string, Buffer.concat([bytes, Buffer.from(' ')]));

    await actions.undo();
    expect(await fs.readFile(file)).toEqual(bytes);
    const left = await trashedFrom(root);
    expect([...left.keys()].sort()).toEqual([elsewhere, otherBytes].sort());
  });

  it('is left where the trash cannot be listed (macOS, Windows)', async () => {
    const { file, ref } = await writeSession(root, { status: 'pending' });
    const bytes = await fs.readFile(file);
    const actions = new SessionActions({ root, dataDir });
    await actions.delete([ref]);
    const [sentFrom] = [...(await trashedFrom(root)).values()];
    const hash = (await import('node:crypto')).createHash('sha256').update(bytes).digest('hex');
    for (const platform of ['darwin', 'win32'] as const)
      expect(await removeTrashedCopy(file, hash, { platform })).toBe(false);
    expect((await trashedFrom(root)).size).toBe(1);
    expect(await removeTrashedCopy(file, hash)).toBe(true);
    expect((await trashedFrom(root)).size).toBe(0);
    expect(sentFrom).toBeDefined();
  });
});
