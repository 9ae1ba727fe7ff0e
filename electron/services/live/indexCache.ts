/**
 * The index of a root, cached in the data directory so a relaunch shows the list at once; the
 * workspace then revalidates it against the disk (a stat per file) in the background.
 *
 * One file per app folder, so a change costs the save of that folder only, never the whole index;
 * a folder's file is a run of parts of PART_ROWS sessions, each serialized and written on its own.
 * Sessions are stored as compact tuples with a table of repeated strings (device models, OS
 * versions, app ids): at 100,000 sessions that is about 14 MB read back in under 0.4 s, where the plain
 * objects took 62 MB and 1.2 s (measured). A cache that is missing, of another version, for
 * another root or damaged is simply not used.
 */
import { createHash } from 'node:crypto';
import { promises as fs, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import writeFileAtomic from 'write-file-atomic';
import type { FileProblem, Problem, SessionStatus, SessionSummary } from '../../../shared/session.js';
import { NO_PROBLEMS, refOf, sharedApplication, sharedLanguage, sharedTeam } from '../session/sessionFile.js';
import type { FileStamp } from '../session/sessionReader.js';
import type { AppManifest } from './appFolder.js';
import type { SessionIndex } from './sessionIndex.js';
import { StampBook } from './stampBook.js';

/** Bump when the index's shape or the checks change: an old cache is then ignored. */
export const INDEX_CACHE_VERSION = 4;

interface CacheMeta {
  version: number;
  root: string;
  rootIno: number;
  folders: string[];
}

type Row = [
  id: string,
  status: number,
  email: string | null,
  deviceId: string | null,
  description: number,
  os: number,
  osVersion: number,
  flags: number,
  appId: number,
  appName: number,
  appVersion: number,
  teamId: number,
  teamName: number,
  languageId: number,
  languageCode: number,
  languageRegion: number,
  sessionId: string | null,
  ip: string | null,
  /** ISO strings as they are: reading them back is cheaper than formatting dates. */
  firstSeen: string,
  modified: string,
  problems: Problem[] | 0,
  ino: number,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
];

interface CachedFolder {
  version: number;
  folder: string;
  manifest: AppManifest | null;
  strings: (string | null)[];
  rows: Row[];
  broken: [string, FileProblem, FileStamp | null][];
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 32);

export function indexCacheDir(dataDir: string, root: string): string {
  return path.join(dataDir, 'index-cache', hash(root));
}

const folderFile = (dir: string, folder: string) => path.join(dir, `${hash(folder)}.v8`);

/** Sessions per part of a folder's file: serializing one part is about a millisecond of work. */
const PART_ROWS = 1024;

/**
 * One app folder as parts of at most PART_ROWS sessions (the first part also holds the broken
 * files), each serialized on its own with a turn of the event loop between two: a folder of
 * 100,000 sessions no longer holds the loop for the 300 ms one `serialize` of it took.
 */
async function encodeFolder(
  index: SessionIndex,
  folder: string,
  write: (bytes: Buffer) => Promise<void>,
): Promise<boolean> {
  const app = index.apps.get(folder);
  if (!app) return false;
  const broken = [...app.broken].map(
    ([name, problem]) =>
      [name, problem, app.stamps.get(name) ?? null] as [string, FileProblem, FileStamp | null],
  );
  let parts = 0;
  let strings: (string | null)[] = [null];
  let ids = new Map<string | null, number>([[null, 0]]);
  let rows: Row[] = [];
  const s = (value: string | null) => {
    let id = ids.get(value);
    if (id === undefined) {
      id = strings.length;
      strings.push(value);
      ids.set(value, id);
    }
    return id;
  };
  const endPart = async () => {
    const part: CachedFolder = {
      version: INDEX_CACHE_VERSION,
      folder,
      manifest: app.manifest,
      strings,
      rows,
      broken: parts === 0 ? broken : [],
    };
    const bytes = serialize(part);
    const length = Buffer.alloc(4);
    length.writeUInt32LE(bytes.length);
    // Written as it is made: a folder's parts are never all in memory at once.
    await write(length);
    await write(bytes);
    parts++;
    strings = [null];
    ids = new Map([[null, 0]]);
    rows = [];
    await new Promise<void>((resolve) => setImmediate(resolve));
  };
  for (const [name, x] of app.sessions) {
    const stamp = app.stamps.get(name);
    if (!stamp) continue; // never cache what cannot be revalidated
    const d = x.device;
    rows.push([
      x.id,
      s(x.status),
      x.email,
      d.id,
      s(d.description),
      s(d.os),
      s(d.version),
      (d.simulator ? 1 : 0) | (d.jailbroken ? 2 : 0) | (d.pushRegistered ? 4 : 0),
      s(x.application.id),
      s(x.application.name),
      s(x.application.version),
      s(x.team.id),
      s(x.team.name),
      s(x.language.id),
      s(x.language.code),
      s(x.language.region),
      x.session.id === x.id ? null : x.session.id,
      x.session.ip,
      x.firstSeen,
      x.modified,
      x.problems.length ? x.problems : 0,
      stamp.ino,
      stamp.size,
      stamp.mtimeMs,
      stamp.ctimeMs,
    ]);
    if (rows.length === PART_ROWS) await endPart();
  }
  if (rows.length > 0 || parts === 0) await endPart();
  return true;
}

/** Writes a folder's file next to it, then renames it into place (a torn file is never read as whole). */
async function saveFolder(index: SessionIndex, dir: string, folder: string): Promise<void> {
  const target = folderFile(dir, folder);
  const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const handle = await fs.open(temporary, 'wx', 0o600);
  let written: boolean;
  try {
    written = await encodeFolder(index, folder, async (bytes) => {
      await handle.write(bytes);
    });
  } catch (error) {
    await handle.close().catch(() => {});
    await fs.rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  if (written) await fs.rename(temporary, target);
  else await Promise.all([fs.rm(temporary, { force: true }), fs.rm(target, { force: true })]);
}

/** The parts of a folder's file, as `encodeFolder` wrote them; throws on a damaged file. */
function* readParts(file: Buffer): Generator<CachedFolder> {
  let at = 0;
  while (at < file.length) {
    if (at + 4 > file.length) throw new Error('a cut part');
    const length = file.readUInt32LE(at);
    at += 4;
    if (at + length > file.length) throw new Error('a cut part');
    yield deserialize(file.subarray(at, at + length)) as CachedFolder;
    at += length;
  }
}

function decodeFolder(index: SessionIndex, folder: string, file: Buffer): boolean {
  const sessions = new Map<string, SessionSummary>();
  const stamps = new StampBook();
  const broken = new Map<string, FileProblem>();
  let manifest: AppManifest | null = null;
  let parts = 0;
  for (const cached of readParts(file)) {
    if (cached.version !== INDEX_CACHE_VERSION || cached.folder !== folder) return false;
    parts++;
    manifest = cached.manifest;
    const t = cached.strings;
    for (const r of cached.rows) {
      const [id] = r;
      sessions.set(id, {
        ref: refOf(folder, id),
        id,
        status: t[r[1]] as SessionStatus | null,
        email: r[2],
        device: {
          id: r[3],
          description: t[r[4]] ?? null,
          os: t[r[5]] ?? null,
          version: t[r[6]] ?? null,
          simulator: (r[7] & 1) !== 0,
          jailbroken: (r[7] & 2) !== 0,
          pushRegistered: (r[7] & 4) !== 0,
        },
        application: sharedApplication(t[r[8]] ?? null, t[r[9]] ?? null, t[r[10]] ?? null),
        team: sharedTeam(t[r[11]] ?? null, t[r[12]] ?? null),
        language: sharedLanguage(t[r[13]] ?? null, t[r[14]] ?? null, t[r[15]] ?? null),
        session: { id: r[16] ?? id, ip: r[17] },
        firstSeen: r[18],
        modified: r[19],
        problems: r[20] === 0 ? NO_PROBLEMS : r[20],
      });
      stamps.set(id, { ino: r[21], size: r[22], mtimeMs: r[23], ctimeMs: r[24] });
    }
    for (const [name, problem, stamp] of cached.broken) {
      broken.set(name, problem);
      if (stamp) stamps.set(name, stamp);
    }
  }
  if (parts === 0) return false;
  index.restoreApp({ folder, manifest, sessions, broken, stamps });
  return true;
}

/** Saves the given app folders' entries (all when `folders` is omitted) and the list of folders. */
export async function saveIndexCache(
  dataDir: string,
  index: SessionIndex,
  folders?: Iterable<string>,
): Promise<void> {
  const dir = indexCacheDir(dataDir, index.root);
  await fs.mkdir(dir, { recursive: true });
  // A torn cache file is detected (it does not deserialize) and ignored, so no fsync is needed.
  for (const folder of [...(folders ?? index.apps.keys())]) await saveFolder(index, dir, folder);
  const meta: CacheMeta = {
    version: INDEX_CACHE_VERSION,
    root: index.root,
    rootIno: lstatSync(index.root).ino,
    folders: [...index.apps.keys()],
  };
  await writeFileAtomic(path.join(dir, 'meta.json'), JSON.stringify(meta), { mode: 0o600, fsync: false });
}

/**
 * Fills an empty index from the cache; returns false when there is no usable cache. A folder whose
 * file is missing or damaged is left out: revalidation then reads it from the disk.
 */
export async function loadIndexCache(dataDir: string, index: SessionIndex): Promise<boolean> {
  const dir = indexCacheDir(dataDir, index.root);
  let meta: CacheMeta;
  try {
    meta = JSON.parse(await fs.readFile(path.join(dir, 'meta.json'), 'utf8')) as CacheMeta;
    if (
      meta.version !== INDEX_CACHE_VERSION ||
      meta.root !== index.root ||
      meta.rootIno !== lstatSync(index.root).ino
    ) {
      return false;
    }
  } catch {
    return false;
  }
  // Each folder's file read synchronously (a few milliseconds for the largest): with a promise per
  // file, the engine waited on the thread pool 50 times, and a relaunch of 100,000 sessions took
  // 525–680 ms instead of 450–465 ms (alternated runs).
  for (const folder of meta.folders) {
    try {
      decodeFolder(index, folder, readFileSync(folderFile(dir, folder)));
    } catch {
      // Missing or damaged: this folder is read from the disk by the revalidation.
    }
  }
  return true;
}
