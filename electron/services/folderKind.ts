/**
 * Whether a folder looks like a 4D Server's MobileApps folder, before it is opened: a new user
 * easily names the wrong one (an app folder itself, the current folder, /etc). The doors ask this
 * first and warn: the CLI needs --force for a folder that does not look right, the desktop asks.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FolderInspection } from '../../shared/contract.js';
import { isAppFolderName, isSessionFileName } from './session/sessionNames.js';

/** A bundle id (`com.example.app`), with an Apple team id in front or not: what 4D names app folders. */
const BUNDLE_LIKE = /^(?:[A-Z0-9]{10}\.)?[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+$/;

/** What one directory's entries say: app-folder-like names, session files, a manifest. */
async function entriesOf(folder: string) {
  const entries = await fs.readdir(folder, { withFileTypes: true });
  return {
    appLike: entries.filter((e) => e.isDirectory() && isAppFolderName(e.name) && BUNDLE_LIKE.test(e.name)),
    sessions: entries.filter((e) => e.isFile() && isSessionFileName(e.name)).length,
    manifest: entries.some((e) => e.isFile() && e.name === 'manifest.json'),
    directories: entries.filter((e) => e.isDirectory() && isAppFolderName(e.name)).length,
  };
}

export async function inspectFolder(root: string): Promise<FolderInspection> {
  const absolute = path.resolve(root);
  const parent = path.dirname(absolute);
  let here: Awaited<ReturnType<typeof entriesOf>>;
  try {
    here = await entriesOf(absolute);
  } catch {
    return {
      root: absolute,
      kind: 'missing',
      parent: null,
      message: `${absolute} is not a folder that can be read.`,
    };
  }
  if (here.appLike.length > 0) {
    return { root: absolute, kind: 'mobile-apps', parent: null, message: `${absolute} holds app folders.` };
  }
  if ((here.sessions > 0 || here.manifest) && BUNDLE_LIKE.test(path.basename(absolute))) {
    return {
      root: absolute,
      kind: 'app-folder',
      parent,
      message: `${absolute} is an app folder itself: its MobileApps folder is probably ${parent}.`,
    };
  }
  if (here.directories === 0 && here.sessions === 0) {
    return { root: absolute, kind: 'empty', parent: null, message: `${absolute} holds no app folders yet.` };
  }
  return {
    root: absolute,
    kind: 'unrecognised',
    parent: null,
    message: `${absolute} does not look like a MobileApps folder: none of its folders is named like an app (a bundle id such as com.example.app).`,
  };
}
