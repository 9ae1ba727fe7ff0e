/**
 * Commands whose code loads when they run. The definitions (names, arguments, options, help) are
 * all `--help` and `--version` need; each action is a dynamic import of its command's module, so
 * a command loads the engine, Zod and the rest only for itself, and help loads none of it.
 */
import type { CliIo } from './io.js';

/** What an action may touch besides its arguments: the process's I/O and the exit code. */
export interface CommandContext {
  io: CliIo;
  setExit: (code: number) => void;
}

/**
 * A commander action that imports `load`'s module when the command runs and calls the function
 * `pick` chooses in it with the context first, then commander's arguments.
 */
export function lazyAction<M, A extends unknown[]>(
  context: CommandContext,
  load: () => Promise<M>,
  pick: (module: M) => (context: CommandContext, ...args: A) => Promise<void>,
): (...args: A) => Promise<void> {
  return async (...args: A) => pick(await load())(context, ...args);
}
