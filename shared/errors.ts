/** One error shape for every front door: a code for programs, a message for people. */

export type ErrorCode =
  | 'bad-request' // malformed or oversized request
  | 'bad-ref' // not of the form <app folder>/<session id> or a bare session id
  | 'unknown-ref' // no such session in the opened folder
  | 'ambiguous-ref' // a bare id that several app folders hold
  | 'not-a-session' // the file is a link, a directory, too large, or not a valid session
  | 'conflict' // the file changed on disk between reading and writing
  | 'root-missing' // the MobileApps folder is not there (anymore)
  | 'nothing-to-undo'
  | 'already-undone' // that change was undone already (by this window, another one, or the CLI)
  | 'history' // the change could not be recorded in the history first: nothing was touched
  | 'cancelled' // a table query a newer one replaced before it was answered: drop it, the newer one answers
  | 'not-allowed' // this door may not do that (the browser mode opening a folder it was not given)
  | 'io'; // the file system refused (permissions, disk full, I/O error)

export interface ErrorShape {
  code: ErrorCode;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
  }

  toShape(): ErrorShape {
    return { code: this.code, message: this.message };
  }
}

/** Any thrown value as the one error shape: an AppError as it is, anything else as `io`. */
export function errorShapeOf(error: unknown): ErrorShape {
  if (error instanceof AppError) return error.toShape();
  return { code: 'io', message: error instanceof Error ? error.message : String(error) };
}
