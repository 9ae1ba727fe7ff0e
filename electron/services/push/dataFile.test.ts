import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../../test/support/fixtures.js';
import { isRecord, JsonDataFile } from './dataFile.js';

let dir: string;
beforeEach(async () => {
  dir = await makeTempDir('ms-data-');
});
afterEach(async () => {
  await removeDir(dir);
});

const counter = (file: string) =>
  new JsonDataFile<{ n: number }>(
    file,
    () => ({ n: 0 }),
    (json) => (isRecord(json) && typeof json.n === 'number' ? { n: json.n } : null),
  );

describe('JsonDataFile', () => {
  it('reads missing or damaged files as empty', async () => {
    const file = path.join(dir, 'sub', 'c.json');
    expect(await counter(file).read()).toEqual({ n: 0 });
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{"n": "x"}');
    expect(await counter(file).read()).toEqual({ n: 0 });
  });

  it('runs concurrent updates one after the other, and writes owner-only', async () => {
    const file = path.join(dir, 'c.json');
    await Promise.all(
      Array.from({ length: 20 }, () =>
        counter(file).update((value) => {
          value.n += 1;
        }),
      ),
    );
    expect(await counter(file).read()).toEqual({ n: 20 });
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('writes nothing when the change throws', async () => {
    const file = path.join(dir, 'c.json');
    await expect(
      counter(file).update(() => {
        throw new Error('no');
      }),
    ).rejects.toThrow('no');
    await expect(fs.stat(file)).rejects.toThrow();
  });
});
