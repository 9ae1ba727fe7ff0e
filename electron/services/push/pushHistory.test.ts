import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../../test/support/fixtures.js';
import { MAX_RECORDED_REFS, PushHistory } from './pushHistory.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeTempDir('ms-data-');
});
afterEach(async () => {
  await removeDir(dataDir);
});

describe('PushHistory', () => {
  it('records the last push per root, readable by a new instance, with its refs bounded', async () => {
    const refs = Array.from(
      { length: MAX_RECORDED_REFS + 5 },
      (_, i) => `F/${i.toString(16).padStart(8, '0')}`,
    );
    await new PushHistory(dataDir).record('/r', {
      time: '2025-01-01T00:00:00.000Z',
      server: 'https://s/x',
      outcome: 'reloaded',
      delivered: { changed: refs.length, deleted: 0, restored: 0, refs },
      serverErrors: 0,
      lastEntryId: 'e1',
    });
    const last = await new PushHistory(dataDir).last('/r');
    expect(last).toMatchObject({ lastEntryId: 'e1', delivered: { changed: refs.length } });
    expect(last?.delivered.refs).toHaveLength(MAX_RECORDED_REFS);
    expect(await new PushHistory(dataDir).last('/other')).toBeNull();
  });
});
