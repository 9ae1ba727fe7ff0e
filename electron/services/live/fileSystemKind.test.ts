/**
 * Network file systems are recognised on each platform: the Linux magic numbers, a macOS mount
 * table, Windows drive types; and the real folders of this machine (the temp folder, a tmpfs) are
 * local. No network share can be mounted here: the remote cases use the values the systems report.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSystemKind, kindFromMagic, kindFromMountTable, kindOnWindows } from './fileSystemKind.js';

describe('Linux statfs magic numbers', () => {
  it('names the remote and FUSE file systems and leaves local ones alone', () => {
    expect(kindFromMagic(0x6969)).toEqual({ network: true, name: 'nfs' });
    expect(kindFromMagic(0xff534d42)).toEqual({ network: true, name: 'cifs' });
    expect(kindFromMagic(-0xacb2be)).toEqual({ network: true, name: 'cifs' }); // a signed 32-bit f_type
    expect(kindFromMagic(0x65735546)).toEqual({ network: true, name: 'fuse' });
    expect(kindFromMagic(0xef53)).toEqual({ network: false, name: null }); // ext4
    expect(kindFromMagic(0x01021994)).toEqual({ network: false, name: null }); // tmpfs
  });

  it('finds the real temp folder local', () => {
    if (process.platform !== 'linux') return void console.log('Linux only: statfs magic numbers');
    expect(fileSystemKind(os.tmpdir()).network).toBe(false);
  });

  it('finds a real tmpfs local', () => {
    if (process.platform !== 'linux' || process.getuid?.() !== 0) {
      return void console.log('skipped: mounting a tmpfs needs root on Linux');
    }
    const point = mkdtempSync(path.join(os.tmpdir(), 'ms-fskind-'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', point]);
    if (mounted.status !== 0) {
      rmSync(point, { recursive: true, force: true });
      return void console.log(`skipped: mount refused (${mounted.stderr})`);
    }
    try {
      expect(fileSystemKind(point)).toEqual({ network: false, name: null });
    } finally {
      spawnSync('umount', [point]);
      rmSync(point, { recursive: true, force: true });
    }
  });
});

describe('macOS mount table', () => {
  const table = [
    '/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)',
    '/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse)',
    '//admin@fileserver/4D on /Volumes/4D (smbfs, nodev, nosuid, mounted by admin)',
    'nas:/export/4d on /Volumes/nfs4d (nfs, nodev, nosuid)',
    'sshfs@server:/srv on /Users/admin/remote (macfuse, nodev, nosuid, synchronous)',
  ].join('\n');

  it('takes the longest mount point that holds the folder', () => {
    expect(kindFromMountTable(table, '/Volumes/4D/Server/MobileApps')).toEqual({
      network: true,
      name: 'smbfs',
    });
    expect(kindFromMountTable(table, '/Volumes/nfs4d/MobileApps')).toEqual({ network: true, name: 'nfs' });
    expect(kindFromMountTable(table, '/Users/admin/remote/MobileApps')).toEqual({
      network: true,
      name: 'macfuse',
    });
    expect(kindFromMountTable(table, '/Users/admin/MobileApps')).toEqual({ network: false, name: 'apfs' });
    expect(kindFromMountTable(table, '/Volumes/4Dother')).toEqual({ network: false, name: 'apfs' });
  });
});

describe('Windows drives', () => {
  it('a UNC path is remote; a mapped drive is asked for', () => {
    const types: Record<string, string> = { C: 'Fixed', Z: 'Network' };
    const ask = (letter: string) => types[letter.toUpperCase()] ?? null;
    expect(kindOnWindows('\\\\fileserver\\4D\\MobileApps', ask).network).toBe(true);
    expect(kindOnWindows('Z:\\4D\\MobileApps', ask)).toEqual({ network: true, name: 'network drive' });
    expect(kindOnWindows('C:\\4D\\MobileApps', ask).network).toBe(false);
  });
});
