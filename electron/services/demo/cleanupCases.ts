/**
 * Clean-up cases added to a demo folder just written, so the clean-up rules can be tried and
 * tested on known files: older sessions of a device that has a newer one (a reinstall), files
 * untouched for months, and sessions without an e-mail. Simulators come from the demo itself.
 *
 * "Newer" is the file's first-seen time: its birth time where the file system keeps one, else its
 * change time. So each older duplicate is written first, and the session it is a duplicate of is
 * then rewritten (same bytes, a new file renamed over it) so that it is born after it.
 */
import { readdir, readFile, rename, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isSessionFileName } from '../session/sessionNames.js';
import { Random } from './seededRandom.js';

export interface CleanupCaseCounts {
  /** Devices given one older session each. */
  superseded?: number;
  /** Sessions whose file is set 200 to 400 days old. */
  stale?: number;
  /** Sessions whose e-mail is emptied. */
  guests?: number;
}

export interface CleanupCasesWritten {
  /** The older sessions written, each mapped to the ref of the newer session of its device. */
  superseded: Record<string, string>;
  stale: string[];
  guests: string[];
}

const DAY_MS = 86_400_000;
type Json = Record<string, unknown>;

function toText(json: Json, bom: boolean): string {
  return `${bom ? '\uFEFF' : ''}${JSON.stringify(json, null, 2)}`;
}

async function sessionsOf(root: string): Promise<{ ref: string; file: string; json: Json; bom: boolean }[]> {
  const found = [];
  for (const folder of (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory())) {
    for (const name of (await readdir(path.join(root, folder.name))).sort()) {
      if (!isSessionFileName(name)) continue;
      const file = path.join(root, folder.name, name);
      const text = await readFile(file, 'utf8').catch(() => null);
      if (text === null) continue;
      try {
        const json = JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
        const device = json.device as Json | undefined;
        if (
          typeof json.status === 'string' &&
          typeof device?.id === 'string' &&
          typeof json.session === 'object'
        ) {
          found.push({ ref: `${folder.name}/${name}`, file, json, bom: text.startsWith('\uFEFF') });
        }
      } catch {
        // a broken demo file: not a case
      }
    }
  }
  return found.sort((a, b) => a.ref.localeCompare(b.ref));
}

/** Replaces a file by a new one with `text`, renamed over it: a new file, born now. */
async function rewrite(file: string, text: string): Promise<void> {
  const { mtime } = await stat(file);
  await writeFile(`${file}.rewrite`, text, { flag: 'wx' });
  await rename(`${file}.rewrite`, file);
  await utimes(file, mtime, mtime);
}

function tokenFor(json: Json, id: string): string {
  const team = (json.team as Json | undefined)?.id;
  const app = (json.application as Json | undefined)?.id;
  const token = JSON.stringify({ appNameID: app, id, teamID: typeof team === 'string' ? team : '' });
  return Buffer.from(token, 'utf8').toString('base64').replace(/=+$/, '');
}

export async function addCleanupCases(
  root: string,
  counts: CleanupCaseCounts,
  seed: number,
  usedIds: Set<string>,
): Promise<CleanupCasesWritten> {
  const rng = new Random(seed, 5);
  const pool = await sessionsOf(root);
  const take = (n: number) => {
    const picked = [];
    for (let i = 0; i < n && pool.length > 0; i++)
      picked.push(...pool.splice(rng.between(0, pool.length - 1), 1));
    return picked;
  };
  const written: CleanupCasesWritten = { superseded: {}, stale: [], guests: [] };
  const now = Date.now();

  for (const newer of take(counts.superseded ?? 0)) {
    let id = rng.hex(40);
    while (usedIds.has(id)) id = rng.hex(40);
    usedIds.add(id);
    const session = { ...(newer.json.session as Json), id };
    const older: Json = { ...newer.json, session, status: 'accepted', token: tokenFor(newer.json, id) };
    const folder = newer.ref.slice(0, newer.ref.indexOf('/'));
    const file = path.join(root, folder, id);
    await writeFile(file, toText(older, newer.bom), { flag: 'wx' });
    const olderTime = new Date(now - rng.between(20, 60) * DAY_MS);
    await utimes(file, olderTime, olderTime);
    await rewrite(newer.file, toText(newer.json, newer.bom));
    written.superseded[`${folder}/${id}`] = newer.ref;
  }
  for (const old of take(counts.stale ?? 0)) {
    const time = new Date(now - rng.between(200, 400) * DAY_MS);
    await utimes(old.file, time, time);
    written.stale.push(old.ref);
  }
  for (const guest of take(counts.guests ?? 0)) {
    await rewrite(guest.file, toText({ ...guest.json, email: '' }, guest.bom));
    written.guests.push(guest.ref);
  }
  written.stale.sort();
  written.guests.sort();
  return written;
}
