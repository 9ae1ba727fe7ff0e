/** The command line's exit codes: 0 success, 1 failure, 2 usage error, 3 problems found. */
export const EXIT = { ok: 0, failure: 1, usage: 2, problems: 3 } as const;
