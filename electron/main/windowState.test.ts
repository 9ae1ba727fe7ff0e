/** The window's size and position, remembered in the data directory; anything odd gives the defaults. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, removeDir } from '../../test/support/fixtures.js';
import { DEFAULT_BOUNDS, loadWindowBounds, placeOnDisplays, saveWindowBounds } from './windowState.js';

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

describe('placeOnDisplays', () => {
  const laptop = { x: 0, y: 25, width: 1440, height: 875 };
  const external = { x: 1440, y: 0, width: 2560, height: 1415 };
  const saved = (x: number, y: number, width = 1280, height = 800) => ({
    x,
    y,
    width,
    height,
    maximized: false,
  });

  it('keeps a place whose title bar is on a display', () => {
    expect(placeOnDisplays(saved(100, 60), [laptop])).toEqual(saved(100, 60));
    expect(placeOnDisplays(saved(2000, 100), [laptop, external])).toEqual(saved(2000, 100));
    // Mostly off to the left, but 100 px of title bar still on screen.
    expect(placeOnDisplays(saved(-1180, 60), [laptop])).toEqual(saved(-1180, 60));
  });

  it('drops a place on a display that is gone, or off every work area, so the window is centred', () => {
    // Saved on the external monitor, which is unplugged now.
    expect(placeOnDisplays({ ...saved(2000, 100), maximized: true }, [laptop])).toEqual({
      width: 1280,
      height: 800,
      maximized: true,
    });
    // Under the menu bar, below the bottom, only 99 px of title bar on screen.
    expect(placeOnDisplays(saved(100, 0), [laptop])).toEqual({ width: 1280, height: 800, maximized: false });
    expect(placeOnDisplays(saved(100, 880), [laptop])).toEqual({
      width: 1280,
      height: 800,
      maximized: false,
    });
    expect(placeOnDisplays(saved(-1181, 60), [laptop])).toEqual({
      width: 1280,
      height: 800,
      maximized: false,
    });
  });

  it('reduces a size larger than any display, and leaves the bounds alone without displays', () => {
    expect(placeOnDisplays(saved(0, 25, 3000, 2000), [laptop])).toEqual(saved(0, 25, 1440, 875));
    expect(placeOnDisplays({ width: 1280, height: 800, maximized: false }, [laptop])).toEqual({
      width: 1280,
      height: 800,
      maximized: false,
    });
    expect(placeOnDisplays(saved(5000, 5000), [])).toEqual(saved(5000, 5000));
  });
});
