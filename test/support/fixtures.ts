/** Test helpers: real temporary MobileApps folders with real session files. */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { encodeSessionToken } from '../../electron/services/demo/demoFolder.js';

export const TEAM = 'UTT7VDX8W5';
export const BUNDLE = 'com.contactApp.Contact';
export const IOS_FOLDER = `${TEAM}.${BUNDLE}`;
export const ANDROID_BUNDLE = 'com.acme.fieldservice';

let counter = 0;
/** A fresh 40-hex session id, different on every call. */
export function sessionId(): string {
  counter += 1;
  return `${counter.toString(16).padStart(8, '0')}${'7023d9205074199d1c16fc00d24354e7'}`.slice(0, 40);
}

export interface SessionOptions {
  id?: string;
  appId?: string;
  teamId?: string | null;
  status?: string;
  email?: string;
  extra?: Record<string, unknown>;
}

/** A session object as 4D writes it (format page, section 2). */
export function sessionJson(options: SessionOptions = {}): Record<string, unknown> {
  const id = options.id ?? sessionId();
  const appId = options.appId ?? BUNDLE;
  const teamId = options.teamId === undefined ? TEAM : options.teamId;
  return {
    application: { id: appId, name: 'Contact', version: '1.0.0' },
    ...(teamId ? { team: { id: teamId } } : {}),
    language: { id: 'en_US', code: 'en', region: 'US' },
    email: options.email ?? 'ann@example.com',
    device: {
      description: 'iPhone X',
      version: '11.3',
      id: '0DC5132E-1EF4-407C-A832-5FE33D818AF3',
      simulator: true,
    },
    send: 'link',
    session: { id, ip: '::ffff:192.168.5.4' },
    status: options.status ?? 'accepted',
    token: encodeSessionToken(appId, id, teamId ?? null),
    ...options.extra,
  };
}

export async function makeTempDir(prefix = 'ms-test-'): Promise<string> {
  return fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
}

export async function removeDir(dir: string): Promise<void> {
  await fs.rm(dir, { recursive: true, force: true });
}

/** A MobileApps folder and a data directory, as `tempFoldersPerTest` makes them for each test. */
export interface TempFolders {
  readonly root: string;
  readonly dataDir: string;
}

/**
 * Registers hooks that give each test of the file (or `describe`) calling it a fresh, empty
 * MobileApps folder and data directory, and remove both after the test. Read them inside a test or
 * a later hook, not when the file loads; `{ ...temp }` gives both as plain options.
 */
export function tempFoldersPerTest(): TempFolders {
  let current: TempFolders | null = null;
  beforeEach(async () => {
    current = { root: await makeTempDir(), dataDir: await makeTempDir('ms-data-') };
  });
  afterEach(async () => {
    if (current) for (const dir of [current.root, current.dataDir]) await removeDir(dir);
    current = null;
  });
  const now = (): TempFolders => {
    if (!current) throw new Error('tempFoldersPerTest: the folders exist only while a test runs');
    return current;
  };
  return {
    get root() {
      return now().root;
    },
    get dataDir() {
      return now().dataDir;
    },
  };
}

/** Writes `content` (an object is written as 4D does: pretty JSON) at root/folder/name; returns the path. */
export async function writeFile(
  root: string,
  folder: string,
  name: string,
  content: string | Buffer | Record<string, unknown>,
): Promise<string> {
  const dir = path.join(root, folder);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, name);
  const data =
    typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content, null, 2);
  await fs.writeFile(file, data);
  return file;
}

/** Writes a valid session in its right folder; returns its ref and path. */
export async function writeSession(
  root: string,
  options: SessionOptions = {},
): Promise<{ ref: string; file: string; id: string; json: Record<string, unknown> }> {
  const json = sessionJson(options);
  const id = (json.session as { id: string }).id;
  const teamId = options.teamId === undefined ? TEAM : options.teamId;
  const folder = teamId ? `${teamId}.${options.appId ?? BUNDLE}` : (options.appId ?? BUNDLE);
  const file = await writeFile(root, folder, id, json);
  return { ref: `${folder}/${id}`, file, id, json };
}

export type WrittenSession = Awaited<ReturnType<typeof writeSession>>;

/** Writes `count` valid sessions with `status`, one after the other, in one app folder. */
export async function writeSessions(
  root: string,
  count: number,
  status: 'pending' | 'accepted' = 'pending',
): Promise<WrittenSession[]> {
  const made: WrittenSession[] = [];
  for (let i = 0; i < count; i += 1) made.push(await writeSession(root, { status }));
  return made;
}
