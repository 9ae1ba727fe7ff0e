/** What counts as an app folder and as a session file (format page, section 1). */

const HEX_NAME = /^[0-9a-f]+$/i;

/** A session file's name has no extension and is made of hexadecimal digits only. */
export function isSessionFileName(name: string): boolean {
  return HEX_NAME.test(name);
}

/** Every directory directly under the root is an app folder, except hidden ones. */
export function isAppFolderName(name: string): boolean {
  return name.length > 0 && !name.startsWith('.');
}

/**
 * Splits an app folder name into team id and bundle id. Apple team ids are ten upper-case
 * letters or digits (`FAKETEAMID` included); Android folders carry the bundle id alone.
 */
export function splitAppFolderName(folder: string): { teamId: string | null; bundleId: string } {
  const match = /^([A-Z0-9]{10})\.(.+)$/.exec(folder);
  if (match?.[1] && match[2]) return { teamId: match[1], bundleId: match[2] };
  return { teamId: null, bundleId: folder };
}
