/**
 * Runs synchronous work in short slices, giving the event loop a turn between them, so a long
 * scan never holds up IPC, timers or the watcher for more than a few milliseconds.
 */
export const SLICE_MS = 8;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export class TimeSlicer {
  private sliceStart = performance.now();

  /** Call after each unit of work: yields when the current slice is used up. */
  async maybeYield(onYield?: () => void): Promise<void> {
    if (performance.now() - this.sliceStart < SLICE_MS) return;
    onYield?.();
    await yieldToEventLoop();
    this.sliceStart = performance.now();
  }
}
