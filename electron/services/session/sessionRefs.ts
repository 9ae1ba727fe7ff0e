/**
 * References, not paths: what crosses a boundary names a session as `<app folder>/<session id>`
 * (or a bare session id when only one app folder holds it). Resolved inside the opened root only;
 * `..`, absolute paths, separators, links and unknown ids are refused.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import { errnoCode } from '../fsErrors.js';
import { listAppFolders } from '../live/scanRoot.js';
import { isAppFolderName, isSessionFileName } from './sessionNames.js';

export interface ResolvedRef {
  ref: string;
  folder: string;
  id: string;
  /** Absolute path of the session file, inside the root. */
  file: string;
}

const MAX_REF_LENGTH = 512;

export function parseRef(ref: string): { folder: string | null; id: string } {
  if (typeof ref !== 'string' || ref.length === 0 || ref.length > MAX_REF_LENGTH) {
    throw new AppError('bad-ref', 'A session reference must be "<app folder>/<session id>" or a session id.');
  }
  const parts = ref.split('/');
  const [folder, id] = parts.length === 2 ? parts : [null, parts[0]];
  const valid =
    parts.length <= 2 &&
    id !== undefined &&
    isSessionFileName(id) &&
    (folder === null ||
      (folder !== undefined &&
        isAppFolderName(folder) &&
        folder !== '..' &&
        !folder.includes('\\') &&
        !folder.includes('\0')));
  if (!valid) {
    throw new AppError(
      'bad-ref',
      `"${ref.slice(0, 100)}" is not a session reference: use "<app folder>/<session id>" (hexadecimal id), no paths.`,
    );
  }
  return { folder: folder ?? null, id: id as string };
}

async function isRegularSessionFile(file: string): Promise<'file' | 'link' | 'none'> {
  try {
    const stats = await fs.lstat(file);
    if (stats.isSymbolicLink()) return 'link';
    return stats.isFile() ? 'file' : 'none';
  } catch (error) {
    if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return 'none';
    throw error;
  }
}

async function isRealFolder(folderPath: string): Promise<boolean> {
  try {
    return (await fs.lstat(folderPath)).isDirectory();
  } catch {
    return false;
  }
}

export async function resolveRef(root: string, ref: string): Promise<ResolvedRef> {
  const { folder, id } = parseRef(ref);
  const folders = folder === null ? listAppFolders(root) : [folder];
  const found: ResolvedRef[] = [];
  for (const candidate of folders) {
    const folderPath = path.join(root, candidate);
    if (!(await isRealFolder(folderPath))) continue;
    const file = path.join(folderPath, id);
    const kind = await isRegularSessionFile(file);
    if (kind === 'link') {
      throw new AppError(
        'not-a-session',
        `${candidate}/${id} is a symbolic link: the app never writes through links.`,
      );
    }
    if (kind === 'file') found.push({ ref: `${candidate}/${id}`, folder: candidate, id, file });
  }
  if (found.length === 1 && found[0]) return found[0];
  if (found.length > 1) {
    throw new AppError(
      'ambiguous-ref',
      `Session ${id} exists in several app folders (${found.map((f) => f.folder).join(', ')}): name it as "<app folder>/${id}".`,
    );
  }
  throw new AppError('unknown-ref', `No session ${folder === null ? id : `${folder}/${id}`} in ${root}.`);
}
