/**
 * `mobile-sessions cleanup` on demo folders written with known clean-up cases: a dry run by
 * default proposes exactly the known files and removes nothing; `--yes` removes exactly what the
 * preview proposed, in one change that one `undo` reverses byte for byte; the pre-push check then
 * counts the removed sessions; usage errors exit 2.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChangeReport } from '../../shared/changes.js';
import type { CleanupPreview } from '../../shared/cleanup.js';
import type { PrePushCheck } from '../../shared/push.js';
import { runCliCaptured } from '../../test/support/cliRun.js';
import { makeTempDir, removeDir } from '../../test/support/fixtures.js';
import type { CleanupCasesWritten } from '../services/demo/cleanupCases.js';
import { writeDemoFolder } from '../services/demo/demoFolder.js';
import { EXIT } from './program.js';

let base: string;
let root: string;
let dataDir: string;
let cases: CleanupCasesWritten;

beforeEach(async () => {
  base = await makeTempDir('ms-cleanup-cli-');
  root = path.join(base, 'MobileApps');
  dataDir = path.join(base, 'data');
  const demo = await writeDemoFolder(root, {
    apps: 3,
    sessions: 90,
    seed: 4,
    cleanupCases: { superseded: 5, stale: 6, guests: 4 },
  });
  cases = demo.cleanupCases as CleanupCasesWritten;
});
afterEach(async () => {
  await removeDir(base);
});

const cli = (...args: string[]) => runCliCaptured(args, { dataDir });

/** Every file of the folder, by its path inside the root, with its bytes. */
async function snapshot(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const folder of await fs.readdir(root)) {
    const dir = path.join(root, folder);
    if (!(await fs.stat(dir)).isDirectory()) continue;
    for (const name of await fs.readdir(dir))
      files.set(`${folder}/${name}`, await fs.readFile(path.join(dir, name)));
  }
  return files;
}

/** The status each session file holds, by ref (broken demo files left out). */
async function statuses(): Promise<Map<string, string>> {
  const result = new Map<string, string>();
  for (const [ref, bytes] of await snapshot()) {
    try {
      const json = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
      if (typeof json.status === 'string') result.set(ref, json.status);
    } catch {
      // a broken file: no session
    }
  }
  return result;
}

const refsOf = (preview: CleanupPreview) => preview.candidates.map((c) => c.ref);

describe('mobile-sessions cleanup', () => {
  it('is a dry run by default: each rule proposes exactly its known files, and nothing moves', async () => {
    const before = await snapshot();
    const status = await statuses();
    const notPending = (refs: string[]) => refs.filter((ref) => status.get(ref) !== 'pending').sort();

    const superseded = await cli('cleanup', root, '--superseded', '--json');
    expect(superseded.code).toBe(EXIT.ok);
    const supersededPreview = JSON.parse(superseded.stdout) as { preview: CleanupPreview; report: null };
    expect(supersededPreview.report).toBeNull();
    expect(refsOf(supersededPreview.preview)).toEqual(Object.keys(cases.superseded).sort());

    const stale = JSON.parse((await cli('cleanup', root, '--stale-days', '100', '--json')).stdout);
    expect(refsOf(stale.preview)).toEqual(notPending(cases.stale));
    expect(stale.preview.counts.pendingLeftOut).toBe(cases.stale.length - notPending(cases.stale).length);

    const guests = JSON.parse((await cli('cleanup', root, '--guests', '--include-pending', '--json')).stdout);
    expect(refsOf(guests.preview)).toEqual(expect.arrayContaining(cases.guests));

    // In words: counts per rule and app, the suggested threshold, what the age is and is not.
    const text = await cli('cleanup', root, '--superseded', '--stale-days', '100');
    expect(text.code).toBe(EXIT.ok);
    const both = new Set([...Object.keys(cases.superseded), ...notPending(cases.stale)]);
    expect(text.stdout).toContain(`${both.size} sessions proposed for removal.`);
    expect(text.stdout).toMatch(/Superseded +5\n/);
    expect(text.stdout).toMatch(/Suggested stale threshold for this folder: \d+ days/);
    expect(text.stdout).toContain("It is not the device's last request");
    for (const ref of both) expect(text.stdout).toContain(ref);
    expect(text.stdout).toContain(`Dry run: nothing was removed. Add --yes to move ${both.size} sessions`);

    expect(await snapshot()).toEqual(before);
  });

  it('with --yes removes exactly what it previewed in one change: undo puts every byte back, push counts them', async () => {
    const before = await snapshot();
    const { code, stdout } = await cli('cleanup', root, '--superseded', '--guests', '--yes', '--json');
    expect(code).toBe(EXIT.ok);
    const { preview, report } = JSON.parse(stdout) as { preview: CleanupPreview; report: ChangeReport };
    const removed = refsOf(preview);
    expect(removed.length).toBeGreaterThan(Object.keys(cases.superseded).length);
    expect(report.results.map((r) => [r.ref, r.outcome]).sort()).toEqual(
      removed.map((ref) => [ref, 'deleted']),
    );
    expect(report.batch).toMatch(/^[0-9a-f-]{36}$/);
    const after = await snapshot();
    expect([...before.keys()].filter((ref) => !after.has(ref)).sort()).toEqual(removed);

    // The pre-push check counts the removed sessions: the server will drop them from memory.
    const check = JSON.parse((await cli('push', root, '--dry-run', '--json')).stdout) as PrePushCheck;
    expect(check.remove.map((change) => change.ref).sort()).toEqual(removed);
    expect(check.summary).toContain(`${removed.length} deleted sessions will be removed from memory`);

    const undo = await cli('undo', root);
    expect(undo.code).toBe(EXIT.ok);
    expect(await snapshot()).toEqual(before);
  });

  it('keeps to one app folder with --app', async () => {
    const folder = (Object.keys(cases.superseded)[0] as string).split('/')[0] as string;
    const { preview } = JSON.parse(
      (await cli('cleanup', root, '--app', folder, '--superseded', '--json')).stdout,
    );
    expect(refsOf(preview)).toEqual(
      Object.keys(cases.superseded)
        .filter((ref) => ref.startsWith(`${folder}/`))
        .sort(),
    );
    const unknown = await cli('cleanup', root, '--app', 'no.such.app', '--superseded');
    expect(unknown.code).toBe(EXIT.failure);
    expect(unknown.stderr).toContain('No app folder "no.such.app"');
  });

  it('refuses what it cannot do as a usage error (exit 2), touching nothing', async () => {
    const before = await snapshot();
    for (const [args, message] of [
      [[], 'Choose at least one rule'],
      [['--same-email'], '--same-email narrows --superseded'],
      [['--superseded', '--dry-run', '--yes'], 'give one of them'],
      [['--stale-days', '0'], '--stale-days must be a whole number'],
      [['--stale-days', 'ten'], '--stale-days must be a whole number'],
    ] as const) {
      const result = await cli('cleanup', root, ...args);
      expect(result.code, args.join(' ')).toBe(EXIT.usage);
      expect(result.stderr).toContain(message);
    }
    expect(await snapshot()).toEqual(before);
  });
});
