/** The main window's size and position, remembered in the data directory between launches. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1280, height: 800, maximized: false };

const sane = (n: unknown, min: number, max: number): n is number =>
  typeof n === 'number' && Number.isFinite(n) && n >= min && n <= max;

export function loadWindowBounds(dataDir: string): WindowBounds {
  try {
    const raw = JSON.parse(
      readFileSync(path.join(dataDir, 'window-state.json'), 'utf8'),
    ) as Partial<WindowBounds>;
    if (!sane(raw.width, 400, 20_000) || !sane(raw.height, 300, 20_000)) return DEFAULT_BOUNDS;
    const placed = sane(raw.x, -20_000, 20_000) && sane(raw.y, -20_000, 20_000);
    return {
      width: raw.width,
      height: raw.height,
      maximized: raw.maximized === true,
      ...(placed ? { x: raw.x, y: raw.y } : {}),
    };
  } catch {
    return DEFAULT_BOUNDS;
  }
}

export function saveWindowBounds(dataDir: string, bounds: WindowBounds): void {
  writeFileAtomic.sync(path.join(dataDir, 'window-state.json'), `${JSON.stringify(bounds)}\n`);
}
