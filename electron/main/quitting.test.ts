/** However the app quits, the open folder is closed first, once; a close that fails or hangs does not keep it alive. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { app, resetElectronDouble } from '../../test/support/electronDouble.js';
import { CLOSE_GRACE_MS, closeBeforeQuit } from './quitting.js';

const asApp = () => app as unknown as Parameters<typeof closeBeforeQuit>[0];
const settle = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(() => resetElectronDouble());
afterEach(() => vi.useRealTimers());

describe('closeBeforeQuit', () => {
  it('holds the quit until the folder is closed, then quits', async () => {
    let finish: () => void = () => {};
    const close = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    closeBeforeQuit(asApp(), close, vi.fn());
    app.quit();
    expect(app.hasQuit).toBe(false);
    // Cmd+Q again while it closes: still one close.
    app.quit();
    expect(close).toHaveBeenCalledOnce();
    finish();
    await settle();
    expect(app.hasQuit).toBe(true);
  });

  it('quits when the close fails, and says so', async () => {
    const log = vi.fn();
    closeBeforeQuit(asApp(), () => Promise.reject(new Error('disk gone')), log);
    app.quit();
    await settle();
    expect(app.hasQuit).toBe(true);
    expect(log).toHaveBeenCalledWith('could not close the folder cleanly', expect.any(Error));
  });

  it(`quits after ${CLOSE_GRACE_MS / 1000} s when the close never ends`, async () => {
    vi.useFakeTimers();
    const log = vi.fn();
    closeBeforeQuit(asApp(), () => new Promise<void>(() => {}), log);
    app.quit();
    vi.advanceTimersByTime(CLOSE_GRACE_MS - 1);
    expect(app.hasQuit).toBe(false);
    vi.advanceTimersByTime(1);
    expect(app.hasQuit).toBe(true);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('did not close'));
  });
});
