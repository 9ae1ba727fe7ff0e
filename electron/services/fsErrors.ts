/** Node file-system errors, told in words an admin can act on. */
import { AppError } from '../../shared/errors.js';

export function errnoCode(error: unknown): string | undefined {
  return error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

export function describeFsError(error: unknown): string {
  switch (errnoCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'it does not exist';
    case 'EIO':
      return 'an input/output error (disk or network share)';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EBUSY':
      return 'the file is busy';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

export function ioError(action: string, error: unknown): AppError {
  return new AppError('io', `Could not ${action}: ${describeFsError(error)}.`, { cause: error });
}
