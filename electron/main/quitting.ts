/**
 * Quitting closes the open folder first (the index cache saved, the watcher and the demo's 4D
 * Server double closed), however the quit comes: the last window closed, Cmd+Q, the Dock's Quit,
 * a log-out. `before-quit` is the one event all of them pass through: the first is held until the
 * folder is closed, then the quit goes on. A close that never ends does not keep the app alive.
 */
import type { App } from 'electron';

export const CLOSE_GRACE_MS = 15_000;

export function closeBeforeQuit(
  app: Pick<App, 'on' | 'quit'>,
  close: () => Promise<void>,
  log: (message: string, error?: unknown) => void,
): void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    const done = () => {
      if (state === 'closed') return;
      state = 'closed';
      app.quit();
    };
    const grace = setTimeout(() => {
      log(`the folder did not close within ${CLOSE_GRACE_MS / 1000} s: quitting anyway`);
      done();
    }, CLOSE_GRACE_MS);
    grace.unref?.();
    void close()
      .catch((error: unknown) => log('could not close the folder cleanly', error))
      .finally(() => {
        clearTimeout(grace);
        done();
      });
  });
}
