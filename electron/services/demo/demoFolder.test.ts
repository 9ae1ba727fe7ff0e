import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeSessionToken, writeDemoFolder } from './demoFolder.js';

const HEX40 = /^[0-9a-f]{40}$/;
const BOM = '\uFEFF';

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'demo-folder-test-'));
  tempDirs.push(dir);
  return dir;
}

afterEach(async () => {
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Every entry under `root`, relative path → 'dir', 'link:<target>' or the SHA-256 of the file's bytes. */
async function snapshot(root: string): Promise<Map<string, string>> {
  const tree = new Map<string, string>();
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const full = path.join(dir, name);
      const relative = path.relative(root, full);
      const stats = await lstat(full);
      if (stats.isSymbolicLink()) tree.set(relative, `link:${await readlink(full)}`);
      else if (stats.isDirectory()) {
        tree.set(relative, 'dir');
        await walk(full);
      } else
        tree.set(
          relative,
          createHash('sha256')
            .update(await readFile(full))
            .digest('hex'),
        );
    }
  };
  await walk(root);
  return tree;
}

interface SessionFile {
  folder: string;
  name: string;
  text: string;
  size: number;
  symlink: boolean;
}

/** Entries with a session-like (hex) name directly inside the app folders. */
async function sessionLikeFiles(root: string): Promise<SessionFile[]> {
  const files: SessionFile[] = [];
  for (const folder of await appFolders(root)) {
    for (const name of await readdir(path.join(root, folder))) {
      if (!/^[0-9a-f]+$/i.test(name)) continue;
      const full = path.join(root, folder, name);
      const stats = await lstat(full);
      const symlink = stats.isSymbolicLink();
      const text = symlink ? '' : await readFile(full, 'utf8');
      files.push({ folder, name, text, size: stats.size, symlink });
    }
  }
  return files;
}

async function appFolders(root: string): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort();
}

// biome-ignore lint/suspicious/noExplicitAny: session files are arbitrary JSON.
function parse(text: string): any {
  return JSON.parse(text.startsWith(BOM) ? text.slice(1) : text);
}

function decodeToken(token: string): unknown {
  return JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
}

describe('encodeSessionToken', () => {
  it('matches the token of the documented example', () => {
    expect(
      encodeSessionToken('com.contactApp.Contact', '7023d9205074199d1c16fc00d24354e778137675', 'UTT7VDX8W5'),
    ).toBe(
      'eyJhcHBOYW1lSUQiOiJjb20uY29udGFjdEFwcC5Db250YWN0IiwiaWQiOiI3MDIzZDkyMDUwNzQxOTlkMWMxNmZjMDBkMjQzNTRlNzc4MTM3Njc1IiwidGVhbUlEIjoiVVRUN1ZEWDhXNSJ9',
    );
  });

  it('uses an empty teamID without a team and never pads', () => {
    for (const id of ['a', 'ab', 'abc', 'abcd']) {
      const token = encodeSessionToken('com.acme.x', id, null);
      expect(token).not.toContain('=');
      expect(decodeToken(token)).toEqual({ appNameID: 'com.acme.x', id, teamID: '' });
    }
  });
});

describe('writeDemoFolder', () => {
  it('is deterministic for a seed and differs across seeds', async () => {
    const [a, b, c] = [await tempDir(), await tempDir(), await tempDir()];
    await writeDemoFolder(a, { sessions: 300, seed: 7, withProblems: true });
    await writeDemoFolder(b, { sessions: 300, seed: 7, withProblems: true });
    await writeDemoFolder(c, { sessions: 300, seed: 8, withProblems: true });
    const [treeA, treeB, treeC] = [await snapshot(a), await snapshot(b), await snapshot(c)];
    expect([...treeA.keys()]).toEqual([...treeB.keys()]);
    for (const [name, content] of treeA) expect(treeB.get(name), name).toEqual(content);
    expect([...treeA.keys()]).not.toEqual([...treeC.keys()]);
  });

  it('writes the requested apps and sessions, each session valid for its location and token', async () => {
    const root = await tempDir();
    const summary = await writeDemoFolder(root, { sessions: 300 });
    expect(summary).toEqual({ root: path.resolve(root), apps: 5, sessions: 300, brokenFiles: 0 });

    const folders = await appFolders(root);
    expect(folders).toHaveLength(5);
    expect(folders.some((folder) => folder.startsWith('FAKETEAMID.'))).toBe(true);
    expect(folders.some((folder) => !/^[A-Z0-9]{10}\./.test(folder))).toBe(true);
    for (const folder of folders) {
      const names = await readdir(path.join(root, folder));
      expect(names, folder).toContain('manifest.json');
      const manifest = JSON.parse(await readFile(path.join(root, folder, 'manifest.json'), 'utf8'));
      const expectedFolder = manifest.team
        ? `${manifest.team.id}.${manifest.application.id}`
        : manifest.application.id;
      expect(folder).toBe(expectedFolder);
      if (manifest.info.target === 'iOS')
        expect(names.some((name) => /^AuthKey_[A-Z0-9]{10}\.p8$/.test(name))).toBe(true);
      else expect(names).toContain('google-services.json');
    }
    expect((await lstat(path.join(root, 'key.mobileapp'))).isFile()).toBe(true);

    const files = await sessionLikeFiles(root);
    expect(files).toHaveLength(300);
    const perFolder = new Map<string, number>();
    const statuses = new Set<string>();
    const layouts = { bom: 0, crlf: 0, tabs: 0, compact: 0, nestedStatus: 0 };
    for (const file of files) {
      expect(file.name).toMatch(HEX40);
      expect(file.size).toBeLessThan(16 * 1024);
      const session = parse(file.text);
      const teamId: string = session.team?.id ?? '';
      expect(file.folder).toBe(teamId ? `${teamId}.${session.application.id}` : session.application.id);
      expect(file.name).toBe(session.session.id);
      expect(decodeToken(session.token)).toEqual({
        appNameID: session.application.id,
        id: session.session.id,
        teamID: teamId,
      });
      expect(['accepted', 'pending']).toContain(session.status);
      expect(typeof session.email).toBe('string');
      expect(typeof session.device).toBe('object');
      expect(session.send === 'link').toBe(teamId !== '');
      if (teamId === '') expect(typeof session.device.simulator).toBe('boolean');
      else expect(session.device.simulator === undefined || session.device.simulator === true).toBe(true);
      statuses.add(session.status);
      perFolder.set(file.folder, (perFolder.get(file.folder) ?? 0) + 1);
      if (file.text.startsWith(BOM)) layouts.bom++;
      if (file.text.includes('\r\n')) layouts.crlf++;
      if (file.text.includes('\n\t')) layouts.tabs++;
      if (!file.text.includes('\n')) layouts.compact++;
      if (session.userInfo?.status !== undefined || session.parameters?.status !== undefined)
        layouts.nestedStatus++;
    }
    expect([...statuses].sort()).toEqual(['accepted', 'pending']);
    for (const count of Object.values(layouts)) expect(count).toBeGreaterThan(0);
    const counts = folders.map((folder) => perFolder.get(folder) ?? 0);
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);

    // Harmless non-session files are there too.
    const allNames = (await Promise.all(folders.map((folder) => readdir(path.join(root, folder))))).flat();
    expect(allNames).toContain('.DS_Store');
    expect(allNames).toContain('test_session');
    expect(allNames.some((name) => /^[0-9a-f]{40}(~|\.bak)$/.test(name))).toBe(true);
  });

  it('gives the first app the most sessions and leaves apps empty only when sessions are short', async () => {
    const skewed = await tempDir();
    await writeDemoFolder(skewed, { apps: 4, sessions: 100 });
    const files = await sessionLikeFiles(skewed);
    const byFolder = new Map<string, number>();
    for (const file of files) byFolder.set(file.folder, (byFolder.get(file.folder) ?? 0) + 1);
    const counts = (await appFolders(skewed)).map((folder) => byFolder.get(folder) ?? 0);
    expect(counts.every((count) => count >= 1)).toBe(true);
    expect(counts.reduce((sum, count) => sum + count, 0)).toBe(100);

    const short = await tempDir();
    const summary = await writeDemoFolder(short, { apps: 15, sessions: 3 });
    expect(summary.apps).toBe(15);
    const folders = await appFolders(short);
    expect(folders).toHaveLength(15);
    expect(new Set(folders.map((folder) => folder.toLowerCase())).size).toBe(15);
    expect(await sessionLikeFiles(short)).toHaveLength(3);
  });

  it('puts the largest share in the first app', async () => {
    const root = await tempDir();
    await writeDemoFolder(root, { sessions: 200 });
    const files = await sessionLikeFiles(root);
    const contacts = files.filter((file) => file.folder === 'UTT7VDX8W5.com.acme.contacts').length;
    const others = new Map<string, number>();
    for (const file of files) others.set(file.folder, (others.get(file.folder) ?? 0) + 1);
    expect(contacts).toBe(Math.max(...others.values()));
    expect(contacts).toBeGreaterThan(200 / 5);
  });

  it('adds exactly one broken file of each kind with withProblems, leaving valid sessions alone', async () => {
    const [plain, broken] = [await tempDir(), await tempDir()];
    await writeDemoFolder(plain, { sessions: 300, seed: 3 });
    const summary = await writeDemoFolder(broken, { sessions: 300, seed: 3, withProblems: true });
    expect(summary.brokenFiles).toBe(6);
    expect(summary.sessions).toBe(300);

    const plainTree = await snapshot(plain);
    const brokenTree = await snapshot(broken);
    for (const [name, content] of plainTree) expect(brokenTree.get(name), name).toEqual(content);
    const added = [...brokenTree.keys()].filter((name) => !plainTree.has(name));
    expect(added).toHaveLength(6);

    const kinds: string[] = [];
    for (const relative of added) {
      const [folder, name] = relative.split(path.sep) as [string, string];
      expect(name).toMatch(HEX40);
      const full = path.join(broken, relative);
      const stats = await lstat(full);
      if (stats.isSymbolicLink()) {
        const target = await readlink(full);
        expect(path.isAbsolute(target)).toBe(false);
        expect(target).toMatch(HEX40);
        expect((await lstat(path.join(broken, folder, target))).isFile()).toBe(true);
        kinds.push('symlink');
        continue;
      }
      if (stats.size > 1024 * 1024 + 1) {
        kinds.push('too-large');
        continue;
      }
      const text = await readFile(full, 'utf8');
      let session: ReturnType<typeof parse>;
      try {
        session = parse(text);
      } catch {
        kinds.push('malformed');
        continue;
      }
      const teamId: string = session.team?.id ?? '';
      expect(folder).toBe(teamId ? `${teamId}.${session.application.id}` : session.application.id);
      if (session.session.id !== name) kinds.push('location');
      else if (!['accepted', 'pending'].includes(session.status)) kinds.push('schema');
      else if ((decodeToken(session.token) as { id: string }).id !== name) kinds.push('token');
      else kinds.push('valid?');
    }
    expect(kinds.sort()).toEqual(['location', 'malformed', 'schema', 'symlink', 'token', 'too-large']);
  });

  it('creates a missing root and refuses a non-empty one', async () => {
    const base = await tempDir();
    const nested = path.join(base, 'a', 'MobileApps');
    await writeDemoFolder(nested, { apps: 2, sessions: 4 });
    expect(await appFolders(nested)).toHaveLength(2);

    const full = path.join(base, 'full');
    await mkdir(full);
    await writeFile(path.join(full, 'notes.txt'), 'keep me');
    await expect(writeDemoFolder(full)).rejects.toThrow(
      `${full} is not empty: the demo writes only into a new or empty folder`,
    );
    expect(await readdir(full)).toEqual(['notes.txt']);
    await expect(writeDemoFolder(nested)).rejects.toThrow(/is not empty/);
  });

  it('rejects nonsensical options', async () => {
    const root = await tempDir();
    await expect(writeDemoFolder(root, { apps: 0 })).rejects.toThrow(RangeError);
    await expect(writeDemoFolder(root, { sessions: -1 })).rejects.toThrow(RangeError);
    await expect(writeDemoFolder(root, { seed: 1.5 })).rejects.toThrow(RangeError);
  });
});
