/**
 * Runs synchronous work in short slices, giving the event loop a turn between them, so a long
 * scan never holds up IPC, timers or the watcher for more than a few milliseconds.
 */
export const SLICE_MS = 8;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class TimeSlicer {
  private sliceStart = performance.now();

  /**
   * Call after each unit of work: returns a promise to await when the slice is used up, and
   * nothing otherwise (an `await` per file would cost more than a stat).
   */
  pause(onYield?: () => void): Promise<void> | undefined {
    if (performance.now() - this.sliceStart < SLICE_MS) return undefined;
    onYield?.();
    return yieldToEventLoop().then(() => {
      this.sliceStart = performance.now();
    });
  }
}
