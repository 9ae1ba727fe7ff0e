#!/usr/bin/env node
/**
 * `npm run dist [-- <electron-builder options>]`: packages the built app (`npm run build` runs first)
 * with electron-builder and electron-builder.yml. Without options it builds for the current platform;
 * `--mac`, `--win`, `--linux`, `--x64`, `--arm64`, `--dir`… are passed through unchanged.
 *
 * MOBILE_SESSIONS_ELECTRON_DIST=<folder> points electron-builder at a local Electron distribution
 * instead of downloading one (machines without internet): a folder of the official release zips
 * (electron-v<version>-<platform>-<arch>.zip, one per target platform and architecture), or an unpacked
 * Electron for the one platform and architecture being built. It becomes `-c.electronDist=<folder>`,
 * since electron-builder.yml cannot read environment variables.
 *
 * `--dry-run` prints the electron-builder command instead of running it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const builderArgs = args.filter((arg) => arg !== '--dry-run');

const electronDist = process.env.MOBILE_SESSIONS_ELECTRON_DIST;
if (electronDist) {
  const folder = path.resolve(electronDist);
  if (!existsSync(folder)) {
    console.error(`dist: MOBILE_SESSIONS_ELECTRON_DIST is set to ${folder}, which does not exist.`);
    process.exit(2);
  }
  builderArgs.push(`-c.electronDist=${folder}`);
}

// electron-builder's own command line, run by this Node (no shell, no .cmd shim on Windows).
const cli = createRequire(import.meta.url).resolve('electron-builder/cli.js');
if (dryRun) {
  console.log(JSON.stringify(['electron-builder', ...builderArgs]));
  process.exit(0);
}
const result = spawnSync(process.execPath, [cli, ...builderArgs], { stdio: 'inherit' });
if (result.error) throw result.error;
process.exit(result.status ?? 1);
