/**
 * Whether a folder lives on a network file system, where native watching often delivers no events
 * without failing (SMB, NFS, AFP, WebDAV, FUSE mounts such as sshfs or rclone): the workspace then
 * polls instead, and says so. Linux reads the file system's magic number (`statfs`); macOS reads
 * the mount table (`mount`, whose type names are stable where statfs's numbers are not); Windows
 * asks the drive's type (a UNC path is always remote).
 */
import { spawnSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import path from 'node:path';

export interface FileSystemKind {
  /** True when native watching cannot be trusted there. */
  network: boolean;
  /** The file system's name where known (`nfs`, `smbfs`, `fuse`…), for the status bar. */
  name: string | null;
}

const UNKNOWN: FileSystemKind = { network: false, name: null };

/** Linux `statfs` magic numbers (linux/magic.h and the file systems' own headers) of remote and FUSE file systems. */
export const NETWORK_MAGIC: ReadonlyMap<number, string> = new Map([
  [0x6969, 'nfs'],
  [0x517b, 'smb'],
  [0xff534d42, 'cifs'],
  [0xfe534d42, 'smb2'],
  [0x5346414f, 'afs'],
  [0x6b414653, 'kafs'],
  [0x73757245, 'coda'],
  [0x564c, 'ncp'],
  [0x65735546, 'fuse'],
  [0x01021997, '9p'],
  [0x00c36400, 'ceph'],
  [0x47504653, 'gpfs'],
  [0x0bd00bd0, 'lustre'],
  [0x19830326, 'beegfs'],
]);

/** macOS and BSD mount type names of remote and FUSE file systems. */
const NETWORK_TYPES = new Set([
  'smbfs',
  'nfs',
  'afpfs',
  'webdav',
  'cifs',
  'macfuse',
  'osxfuse',
  'fusefs',
  'ftp',
]);

export function kindFromMagic(type: number): FileSystemKind {
  const name = NETWORK_MAGIC.get(type >>> 0);
  return name ? { network: true, name } : { network: false, name: null };
}

/**
 * The file system of `folder` according to `mount`'s output ("<device> on <mount point> (<type>, …)"):
 * the longest mount point that contains the folder.
 */
export function kindFromMountTable(table: string, folder: string): FileSystemKind {
  let best: { point: string; type: string } | null = null;
  for (const line of table.split('\n')) {
    const match = / on (.+) \(([^,)]+)/.exec(line);
    if (!match) continue;
    const point = match[1] as string;
    const inside = folder === point || folder.startsWith(point.endsWith('/') ? point : `${point}/`);
    if (inside && (!best || point.length > best.point.length)) best = { point, type: match[2] as string };
  }
  if (!best) return UNKNOWN;
  const type = best.type.trim().toLowerCase();
  return { network: NETWORK_TYPES.has(type) || type.includes('fuse'), name: type };
}

/** Windows: a UNC path is remote; a drive letter is asked for its type (`Network` for a mapped share). */
export function kindOnWindows(folder: string, driveType: (letter: string) => string | null): FileSystemKind {
  if (/^[\\/]{2}/.test(folder)) return { network: true, name: 'network share' };
  const letter = /^([a-zA-Z]):/.exec(folder)?.[1];
  if (!letter) return UNKNOWN;
  return driveType(letter)?.trim() === 'Network' ? { network: true, name: 'network drive' } : UNKNOWN;
}

function windowsDriveType(letter: string): string | null {
  const result = spawnSync(
    'powershell.exe',
    ['-NoProfile', '-NonInteractive', '-Command', `[System.IO.DriveInfo]::new('${letter}').DriveType`],
    { encoding: 'utf8', timeout: 5000, windowsHide: true },
  );
  return result.status === 0 ? result.stdout : null;
}

/** What `folder` is on; never throws (unknown means "trust native watching", as before). */
export function fileSystemKind(folder: string, platform: NodeJS.Platform = process.platform): FileSystemKind {
  const absolute = path.resolve(folder);
  try {
    if (platform === 'win32') return kindOnWindows(absolute, windowsDriveType);
    if (platform === 'darwin') {
      const mount = spawnSync('/sbin/mount', [], { encoding: 'utf8', timeout: 5000 });
      return mount.status === 0 ? kindFromMountTable(mount.stdout, absolute) : UNKNOWN;
    }
    return kindFromMagic(statfsSync(absolute).type);
  } catch {
    return UNKNOWN;
  }
}
