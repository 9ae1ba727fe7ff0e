/** Labels an app folder: display name, bundle id, team and platform (format page, section 1). */
import { lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AppSummary, Platform, SessionSummary } from '../../../shared/session.js';
import { splitAppFolderName } from '../session/sessionNames.js';

const MAX_MANIFEST_BYTES = 256 * 1024;

export interface AppManifest {
  name: string | null;
  bundleId: string | null;
  teamId: string | null;
  platform: Platform | null;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

const PLATFORMS: Record<string, Platform> = { ios: 'ios', android: 'android' };

/**
 * `info.target` is one target ("iOS", "android") or a collection of them (["android","iOS"], as
 * 4D-Mobile-App-Server's createTestSession writes it). An app built for both has one folder per
 * platform: the iOS one carries the team id (`TEAM.bundle`), the Android one the bundle id alone.
 */
function platformOfTarget(target: unknown, folder: string): Platform | null {
  const targets = (Array.isArray(target) ? target : [target])
    .map((value) => (typeof value === 'string' ? PLATFORMS[value.toLowerCase()] : undefined))
    .filter((platform): platform is Platform => platform !== undefined);
  const unique = [...new Set(targets)];
  if (unique.length <= 1) return unique[0] ?? null;
  return splitAppFolderName(folder).teamId ? 'ios' : 'android';
}

/** Reads `manifest.json` written by 4D's mobile editor; null when absent or unusable (never an error). */
export function readAppManifest(appFolderPath: string): AppManifest | null {
  try {
    const file = path.join(appFolderPath, 'manifest.json');
    const stats = lstatSync(file);
    if (!stats.isFile() || stats.size > MAX_MANIFEST_BYTES) return null;
    const json: unknown = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    if (json === null || typeof json !== 'object') return null;
    const manifest = json as {
      application?: Record<string, unknown>;
      team?: Record<string, unknown>;
      info?: Record<string, unknown>;
    };
    return {
      name: text(manifest.application?.name),
      bundleId: text(manifest.application?.id),
      teamId: text(manifest.team?.id),
      platform: platformOfTarget(manifest.info?.target, path.basename(appFolderPath)),
    };
  } catch {
    return null;
  }
}

/**
 * How often each value occurs among an app's sessions, kept as sessions come and go, so an
 * app's label never needs a pass over its sessions (100,000 of them in one app, at each change).
 */
export class ValueCounts {
  private readonly counts = new Map<string, number>();

  add(value: string | null): void {
    if (value) this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }

  remove(value: string | null): void {
    if (!value) return;
    const count = (this.counts.get(value) ?? 0) - 1;
    if (count > 0) this.counts.set(value, count);
    else this.counts.delete(value);
  }

  /** The most common value; of equally common ones, the first in code-point order (whatever the order seen). */
  mostCommon(): string | null {
    let best: string | null = null;
    let bestCount = 0;
    for (const [value, count] of this.counts) {
      if (count > bestCount || (count === bestCount && best !== null && value < best))
        [best, bestCount] = [value, count];
    }
    return best;
  }
}

/** What an app's summary is made of, kept up to date session by session. */
export class AppTally {
  sessions = 0;
  pending = 0;
  withProblems = 0;
  readonly teams = new ValueCounts();
  readonly bundles = new ValueCounts();
  readonly oses = new ValueCounts();
  readonly names = new ValueCounts();

  add(s: SessionSummary): void {
    this.count(s, 1);
  }

  remove(s: SessionSummary): void {
    this.count(s, -1);
  }

  private count(s: SessionSummary, sign: 1 | -1): void {
    this.sessions += sign;
    if (s.status === 'pending') this.pending += sign;
    if (s.problems.length > 0) this.withProblems += sign;
    const method = sign === 1 ? 'add' : 'remove';
    this.teams[method](s.team.id);
    this.bundles[method](s.application.id);
    this.oses[method](s.device.os?.toLowerCase() ?? null);
    this.names[method](s.application.name);
  }
}

/**
 * Name: the sessions' application name, else the manifest's, else the folder name.
 * Platform: the manifest's target, else what the devices say, else no team means Android.
 * Problems are counted by the index (it knows the broken files).
 */
export function describeApp(folder: string, manifest: AppManifest | null, tally: AppTally): AppSummary {
  const fromFolder = splitAppFolderName(folder);
  const teamId = manifest?.teamId ?? tally.teams.mostCommon() ?? fromFolder.teamId;
  const bundleId = manifest?.bundleId ?? tally.bundles.mostCommon() ?? fromFolder.bundleId;
  const deviceOs = tally.oses.mostCommon();
  const platformFromDevices: Platform | null =
    deviceOs === 'android'
      ? 'android'
      : deviceOs && ['ios', 'ipados', 'macos'].includes(deviceOs)
        ? 'ios'
        : null;
  return {
    folder,
    name: tally.names.mostCommon() ?? manifest?.name ?? folder,
    bundleId,
    teamId: teamId ?? null,
    platform: manifest?.platform ?? platformFromDevices ?? (teamId ? 'ios' : 'android'),
    counts: { sessions: tally.sessions, pending: tally.pending, problems: 0 },
  };
}
