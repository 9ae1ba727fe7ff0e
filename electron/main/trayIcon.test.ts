import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { TRAY_ICON_1X, TRAY_ICON_2X } from './trayIcon.js';

it('inlines assets/tray.png and assets/tray@2x.png as they are', () => {
  for (const [url, file] of [
    [TRAY_ICON_1X, 'tray.png'],
    [TRAY_ICON_2X, 'tray@2x.png'],
  ] as const) {
    const bytes = readFileSync(new URL(`../../assets/${file}`, import.meta.url));
    expect(url).toBe(`data:image/png;base64,${bytes.toString('base64')}`);
  }
});
