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
    const target = text(manifest.info?.target)?.toLowerCase();
    return {
      name: text(manifest.application?.name),
      bundleId: text(manifest.application?.id),
      teamId: text(manifest.team?.id),
      platform: target === 'ios' ? 'ios' : target === 'android' ? 'android' : null,
    };
  } catch {
    return null;
  }
}

function mostCommon(values: (string | null)[]): string | null {
  const counts = new Map<string, number>();
  for (const value of values) if (value) counts.set(value, (counts.get(value) ?? 0) + 1);
  let best: string | null = null;
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) [best, bestCount] = [value, count];
  }
  return best;
}

/**
 * Name: the sessions' application name, else the manifest's, else the folder name.
 * Platform: the manifest's target, else what the devices say, else no team means Android.
 */
export function describeApp(
  folder: string,
  manifest: AppManifest | null,
  sessions: SessionSummary[],
): AppSummary {
  const fromFolder = splitAppFolderName(folder);
  const teamId = manifest?.teamId ?? mostCommon(sessions.map((s) => s.team.id)) ?? fromFolder.teamId;
  const bundleId =
    manifest?.bundleId ?? mostCommon(sessions.map((s) => s.application.id)) ?? fromFolder.bundleId;
  const deviceOs = mostCommon(sessions.map((s) => s.device.os?.toLowerCase() ?? null));
  const platformFromDevices: Platform | null =
    deviceOs === 'android'
      ? 'android'
      : deviceOs && ['ios', 'ipados', 'macos'].includes(deviceOs)
        ? 'ios'
        : null;
  return {
    folder,
    name: mostCommon(sessions.map((s) => s.application.name)) ?? manifest?.name ?? folder,
    bundleId,
    teamId: teamId ?? null,
    platform: manifest?.platform ?? platformFromDevices ?? (teamId ? 'ios' : 'android'),
    counts: {
      sessions: sessions.length,
      pending: sessions.filter((s) => s.status === 'pending').length,
      problems: 0,
    },
  };
}
