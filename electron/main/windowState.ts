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

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How much of the window's top edge (its title bar) must lie on a display for the saved place to count. */
export const TITLE_BAR = { width: 100, height: 40 };

/** How wide a stretch of the title bar lies in `area`, counting only where its whole height does. */
function titleBarWidthIn(titleBar: Rectangle, area: Rectangle): number {
  const inside = titleBar.y >= area.y && titleBar.y + titleBar.height <= area.y + area.height;
  if (!inside) return 0;
  return Math.max(
    0,
    Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x),
  );
}

/**
 * The saved bounds, checked against the displays there are now: a place whose title bar is on no
 * display's work area (a monitor unplugged, a smaller resolution, a laptop away from its dock) is
 * dropped, so Electron centres the window; a size larger than the largest work area is reduced to it.
 */
export function placeOnDisplays(bounds: WindowBounds, workAreas: Rectangle[]): WindowBounds {
  if (workAreas.length === 0) return bounds;
  const width = Math.min(bounds.width, Math.max(...workAreas.map((area) => area.width)));
  const height = Math.min(bounds.height, Math.max(...workAreas.map((area) => area.height)));
  const placed = { width, height, maximized: bounds.maximized };
  if (bounds.x === undefined || bounds.y === undefined) return placed;
  const titleBar = { x: bounds.x, y: bounds.y, width, height: TITLE_BAR.height };
  const onScreen = workAreas.some((area) => titleBarWidthIn(titleBar, area) >= TITLE_BAR.width);
  return onScreen ? { ...placed, x: bounds.x, y: bounds.y } : placed;
}
