/** The command line's exit codes: 0 success, 1 failure, 2 usage error, 3 problems found. */
export const EXIT = { ok: 0, failure: 1, usage: 2, problems: 3 } as const;

/** Arguments commander accepts but the command cannot use as given (exit 2, like commander's own). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
