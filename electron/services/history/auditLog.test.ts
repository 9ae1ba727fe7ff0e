/** The history's journal on real files: a line cut short by a crash costs nothing after it. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFoldersPerTest, writeSession } from '../../../test/support/fixtures.js';
import { SessionActions } from './sessionActions.js';

const temp = tempFoldersPerTest();

describe('the journal after a torn write', () => {
  it('keeps the next record whole when the last line was cut short', async () => {
    const a = await writeSession(temp.root, { status: 'pending' });
    const b = await writeSession(temp.root, { status: 'pending' });
    const actions = new SessionActions({ ...temp });
    await actions.setStatus([a.ref], 'accepted');
    const segment = path.join(actions.log.dir, '00000001.jsonl');
    await fs.appendFile(segment, '{"t":"outcome","id":"0b5c'); // a crash in the middle of a line
    const second = await actions.setStatus([b.ref], 'accepted');
    const entries = await actions.log.allEntries();
    expect(entries.map((e) => [e.ref, e.batch])).toEqual([
      [a.ref, expect.any(String)],
      [b.ref, second.batch],
    ]);
    expect(actions.log.stats.damaged).toBe(1);
    // Undo takes the latest change, the one written after the torn line.
    expect((await actions.undo()).results).toEqual([
      expect.objectContaining({ ref: b.ref, outcome: 'restored' }),
    ]);
  });

  it('keeps first-seen times written after a torn line', async () => {
    const a = await writeSession(temp.root, { status: 'pending' });
    const actions = new SessionActions({ ...temp });
    await fs.mkdir(actions.log.dir, { recursive: true });
    await fs.writeFile(path.join(actions.log.dir, 'first-seen.jsonl'), '{"ref":"x/ab","firstSe');
    await actions.setStatus([a.ref], 'accepted');
    const reloaded = new SessionActions({ ...temp });
    expect(reloaded.firstSeen().has(a.ref)).toBe(true);
  });
});
