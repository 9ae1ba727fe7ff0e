/** The window's size and position, remembered in the data directory; anything odd gives the defaults. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../test/support/fixtures.js';
import { DEFAULT_BOUNDS, loadWindowBounds, saveWindowBounds } from './windowState.js';

let dataDir: string;
beforeEach(async () => {
  dataDir = await makeTempDir('ms-window-');
});
afterEach(() => removeDir(dataDir));

const stateFile = () => path.join(dataDir, 'window-state.json');

describe('window state', () => {
  it('round-trips the bounds', () => {
    const bounds = { x: -1200, y: 40, width: 1440, height: 900, maximized: true };
    saveWindowBounds(dataDir, bounds);
    expect(loadWindowBounds(dataDir)).toEqual(bounds);
    saveWindowBounds(dataDir, { width: 800, height: 600, maximized: false });
    expect(loadWindowBounds(dataDir)).toEqual({ width: 800, height: 600, maximized: false });
  });

  it('gives the defaults without a file, or with garbage in it', async () => {
    expect(loadWindowBounds(dataDir)).toEqual(DEFAULT_BOUNDS);
    for (const garbage of ['', 'not json', '{"width":', 'null', '[]', '42', '"text"', '\u0000\u0001']) {
      await fs.writeFile(stateFile(), garbage);
      expect(loadWindowBounds(dataDir), JSON.stringify(garbage)).toEqual(DEFAULT_BOUNDS);
    }
    expect(loadWindowBounds(path.join(dataDir, 'missing', 'dir'))).toEqual(DEFAULT_BOUNDS);
  });

  it('gives the defaults for sizes that make no sense', async () => {
    for (const bad of [
      { width: 10, height: 600 },
      { width: 800, height: 10 },
      { width: 1e9, height: 600 },
      { width: '800', height: 600 },
      { width: null, height: 600 },
      { height: 600 },
    ]) {
      await fs.writeFile(stateFile(), JSON.stringify(bad));
      expect(loadWindowBounds(dataDir), JSON.stringify(bad)).toEqual(DEFAULT_BOUNDS);
    }
  });

  it('drops a position that makes no sense, keeps the size', async () => {
    for (const position of [{ x: 'left', y: 0 }, { x: 1e9, y: 0 }, { x: 0 }, { x: Number.NaN, y: 0 }]) {
      await fs.writeFile(stateFile(), JSON.stringify({ width: 900, height: 700, ...position }));
      expect(loadWindowBounds(dataDir), JSON.stringify(position)).toEqual({
        width: 900,
        height: 700,
        maximized: false,
      });
    }
  });

  it('is maximized only when it says true', async () => {
    await fs.writeFile(stateFile(), JSON.stringify({ width: 900, height: 700, maximized: 'yes' }));
    expect(loadWindowBounds(dataDir).maximized).toBe(false);
  });

  it('writes one JSON line', async () => {
    saveWindowBounds(dataDir, { width: 1000, height: 700, maximized: false });
    expect(await fs.readFile(stateFile(), 'utf8')).toBe('{"width":1000,"height":700,"maximized":false}\n');
  });
});
