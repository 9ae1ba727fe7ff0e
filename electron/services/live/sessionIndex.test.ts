/**
 * The index keeps each app's counts and label as sessions come and go (no pass over an app's
 * sessions per change), and its cache holds a large app folder in parts: both must give exactly
 * what a fresh computation gives.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../../shared/session.js';
import { makeTempDir, removeDir } from '../../../test/support/fixtures.js';
import { indexCacheDir, loadIndexCache, saveIndexCache } from './indexCache.js';
import { SessionIndex } from './sessionIndex.js';
import { StampBook } from './stampBook.js';

function summary(folder: string, id: string, f: Partial<Fields> = {}): SessionSummary {
  return {
    ref: `${folder}/${id}`,
    id,
    status: f.status ?? 'accepted',
    email: `${id}@example.com`,
    device: {
      id: null,
      description: 'iPhone 13',
      os: f.os ?? 'iOS',
      version: '17.5',
      simulator: false,
      jailbroken: false,
      pushRegistered: false,
    },
    application: { id: f.appId ?? 'com.acme', name: f.name ?? 'Acme', version: '1.0' },
    team: { id: f.team ?? null, name: null },
    language: { id: 'en_US', code: 'en', region: 'US' },
    session: { id, ip: '::1' },
    firstSeen: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    problems: f.problem ? [{ code: 'token', mobi: 4, message: 'The token does not match.' }] : [],
  };
}

interface Fields {
  status: 'accepted' | 'pending' | null;
  os: string | null;
  appId: string | null;
  name: string | null;
  team: string | null;
  problem: boolean;
}

const stamp = (i: number) => ({
  ino: 1000 + i,
  size: 700 + (i % 50),
  mtimeMs: 1.7e12 + i / 3,
  ctimeMs: 1.7e12 + i,
});

describe('the index', () => {
  it("keeps each app's counts and label equal to a fresh count after any changes", () => {
    const fields = fc.record({
      status: fc.constantFrom<Fields['status']>('accepted', 'pending', null),
      os: fc.constantFrom<string | null>('iOS', 'Android', 'iPadOS', null),
      appId: fc.constantFrom<string | null>('com.acme', 'com.other', null),
      name: fc.constantFrom<string | null>('Acme', 'Other', null),
      team: fc.constantFrom<string | null>('AAAAAAAAAA', 'BBBBBBBBBB', null),
      problem: fc.boolean(),
    });
    const op = fc.record({
      id: fc.integer({ min: 0, max: 20 }),
      remove: fc.boolean(),
      broken: fc.boolean(),
      fields,
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), (ops) => {
        const kept = new SessionIndex('/root');
        kept.addApp('APP', null);
        for (const o of ops) {
          const id = `a${o.id}`;
          if (o.remove) kept.applyRead('APP', id, { kind: 'absent' });
          else if (o.broken) {
            const problem = { path: `APP/${id}`, code: 'malformed', mobi: 2, message: 'Not JSON.' } as const;
            kept.applyRead('APP', id, { kind: 'broken', problem, stamp: null });
          } else
            kept.applyRead('APP', id, {
              kind: 'session',
              summary: summary('APP', id, o.fields),
              stamp: stamp(o.id),
            });
        }
        const entry = kept.apps.get('APP');
        const fresh = new SessionIndex('/root');
        fresh.restoreApp({
          folder: 'APP',
          manifest: null,
          sessions: new Map(entry?.sessions),
          broken: new Map(entry?.broken),
          stamps: new StampBook(),
        });
        expect(kept.summarizeApp('APP')).toEqual(fresh.summarizeApp('APP'));
      }),
      { numRuns: 200 },
    );
  });

  it('names an app after its most common value, the same whatever order the sessions came in', () => {
    const one = new SessionIndex('/root');
    const other = new SessionIndex('/root');
    for (const index of [one, other]) index.addApp('APP', null);
    const names = ['Zeta', 'Alpha', 'Zeta', 'Alpha'];
    const put = (index: SessionIndex, i: number) => {
      const name = names[i] as string;
      index.applyRead('APP', `a${i}`, {
        kind: 'session',
        summary: summary('APP', `a${i}`, { name }),
        stamp: stamp(i),
      });
    };
    for (let i = 0; i < names.length; i++) put(one, i);
    for (let i = names.length - 1; i >= 0; i--) put(other, i);
    expect(one.summarizeApp('APP')?.name).toBe('Alpha');
    expect(other.summarizeApp('APP')?.name).toBe('Alpha');
  });
});

describe('the index cache', () => {
  let dataDir: string;
  let root: string;
  beforeEach(async () => {
    dataDir = await makeTempDir();
    root = await makeTempDir();
  });
  afterEach(async () => {
    await removeDir(dataDir);
    await removeDir(root);
  });

  it('gives back a folder of 10,000 sessions (saved in parts) exactly, and ignores a damaged file', async () => {
    const index = new SessionIndex(root);
    index.addApp('BIG', { name: 'Big', bundleId: 'com.big', teamId: null, platform: 'android' });
    index.addApp('SMALL', null);
    for (let i = 0; i < 10_000; i++) {
      const fields = { status: i % 3 ? 'accepted' : 'pending', problem: i % 997 === 0 } as const;
      index.applyRead('BIG', `b${i}`, {
        kind: 'session',
        summary: summary('BIG', `b${i}`, fields),
        stamp: stamp(i),
      });
    }
    index.applyRead('SMALL', 's1', { kind: 'session', summary: summary('SMALL', 's1'), stamp: stamp(1) });
    const problem = { path: 'SMALL/bad', code: 'malformed', mobi: 2, message: 'Not JSON.' } as const;
    index.applyRead('SMALL', 'bad', { kind: 'broken', problem, stamp: stamp(2) });
    await saveIndexCache(dataDir, index);

    const back = new SessionIndex(root);
    expect(await loadIndexCache(dataDir, back)).toBe(true);
    expect(back.snapshot()).toEqual(index.snapshot());
    expect(back.allStamps()).toEqual(index.allStamps());

    // A file cut short (a crash while writing it): that folder is left out, the others load.
    const dir = indexCacheDir(dataDir, root);
    const files = (await fs.readdir(dir)).filter((name) => name.endsWith('.v8'));
    const sizes = await Promise.all(files.map(async (name) => (await fs.stat(path.join(dir, name))).size));
    const big = files[sizes.indexOf(Math.max(...sizes))] as string;
    await fs.truncate(path.join(dir, big), Math.floor(Math.max(...sizes) / 2));
    const cut = new SessionIndex(root);
    expect(await loadIndexCache(dataDir, cut)).toBe(true);
    expect([...cut.apps.keys()]).toEqual(['SMALL']);
  });
});
