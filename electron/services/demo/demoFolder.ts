/**
 * Writes a realistic demo MobileApps folder (format page, sections 1-3): iOS and Android app folders
 * with their manifests and push files, a skewed spread of session files in the formats met in the
 * wild, a few harmless non-session files and, on request, one broken file of each problem kind.
 *
 * Every byte comes from a seeded PRNG, so the same options give a byte-identical tree (file times
 * aside). Independent PRNG streams feed the assets, the sessions, the harmless extras and the broken
 * files, so `withProblems` adds files without changing any valid session.
 */
import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Platform } from '../../../shared/session.js';
import { errnoCode } from '../fsErrors.js';
import { MAX_SESSION_FILE_BYTES } from '../session/sessionFile.js';
import { addCleanupCases, type CleanupCaseCounts, type CleanupCasesWritten } from './cleanupCases.js';
import { Random } from './seededRandom.js';

export interface DemoOptions {
  /** App folders to write (default 5). */
  apps?: number;
  /** Valid session files, in total across all apps (default 200). */
  sessions?: number;
  /** PRNG seed: the same options give a byte-identical tree (default 1). */
  seed?: number;
  /** Add one broken file of each problem kind to the first app folder (default false). */
  withProblems?: boolean;
  /** Add known clean-up cases: older sessions of a device, old files, guests (default none). */
  cleanupCases?: CleanupCaseCounts;
}

export interface DemoSummary {
  /** The absolute path of the folder written. */
  root: string;
  /** App folders written. */
  apps: number;
  /** Valid session files written (broken files not included). */
  sessions: number;
  /** Broken files written: 6 with `withProblems` (5 where the OS refuses symbolic links), else 0. */
  brokenFiles: number;
  /** The clean-up cases written, when asked for (their sessions are counted in `sessions`). */
  cleanupCases?: CleanupCasesWritten;
}

/**
 * The connection token 4D stores in a session file: base64 (standard alphabet, no `=` padding) of
 * `{"appNameID":…,"id":…,"teamID":…}`, with `teamID` `""` when the app has no team.
 */
export function encodeSessionToken(appId: string, sessionId: string, teamId: string | null): string {
  const json = JSON.stringify({ appNameID: appId, id: sessionId, teamID: teamId ?? '' });
  return Buffer.from(json, 'utf8').toString('base64').replace(/=+$/, '');
}

/** Files written at the same time. */
const WRITE_CONCURRENCY = 64;
/** The too-large file is just over the size past which the engine reads no file. */
const TOO_LARGE_BYTES = MAX_SESSION_FILE_BYTES + 1;

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

// ---------------------------------------------------------------------------------------------
// Apps

interface AppTemplate {
  name: string;
  bundleId: string;
  platform: Platform;
  teamId?: string;
  /** The company mail domain its users mostly sign in with. */
  domain: string;
  /** Newest first: most sessions run the newest build, some an older one. */
  versions: readonly string[];
}

interface AppSpec {
  name: string;
  bundleId: string;
  platform: Platform;
  teamId: string | null;
  folder: string;
  domain: string;
  versions: readonly string[];
}

/** The same app on both platforms gives two folders (Field Service), as on a real server. */
const APP_CATALOGUE: readonly AppTemplate[] = [
  {
    name: 'Contacts',
    bundleId: 'com.acme.contacts',
    platform: 'ios',
    teamId: 'UTT7VDX8W5',
    domain: 'acme.com',
    versions: ['2.4.1', '2.4.0', '2.3.7'],
  },
  {
    name: 'Field Service',
    bundleId: 'com.acme.fieldservice',
    platform: 'android',
    domain: 'acme.fr',
    versions: ['3.1.0', '3.0.2'],
  },
  {
    name: 'Field Service',
    bundleId: 'com.acme.fieldservice',
    platform: 'ios',
    teamId: 'FAKETEAMID',
    domain: 'acme.fr',
    versions: ['3.1.0', '3.0.2', '2.9.0'],
  },
  {
    name: 'Tasks',
    bundleId: 'com.acme.tasks',
    platform: 'ios',
    teamId: 'Q4M8ZK2P7R',
    domain: 'acme.com',
    versions: ['1.0.0', '0.9.3'],
  },
  {
    name: 'Inventory',
    bundleId: 'com.acme.inventory',
    platform: 'android',
    domain: 'acme.de',
    versions: ['1.7.2', '1.7.0', '1.6.4'],
  },
  {
    name: 'Expenses',
    bundleId: 'com.acme.expenses',
    platform: 'ios',
    teamId: 'UTT7VDX8W5',
    domain: 'acme.com',
    versions: ['5.0.1', '5.0.0'],
  },
  {
    name: 'Sales Orders',
    bundleId: 'com.northwind.salesorders',
    platform: 'android',
    domain: 'northwind.es',
    versions: ['2.2.0', '2.1.5'],
  },
  {
    name: 'Deliveries',
    bundleId: 'com.northwind.deliveries',
    platform: 'ios',
    teamId: '7HX2KD9LQ3',
    domain: 'northwind.es',
    versions: ['1.3.0', '1.2.8'],
  },
  {
    name: 'Timesheets',
    bundleId: 'com.acme.timesheets',
    platform: 'android',
    domain: 'acme.com',
    versions: ['4.0.0', '3.9.1'],
  },
  {
    name: 'Events',
    bundleId: 'com.acme.events',
    platform: 'ios',
    teamId: 'FAKETEAMID',
    domain: 'acme.fr',
    versions: ['1.0.0'],
  },
  {
    name: 'Maintenance',
    bundleId: 'jp.kaisha.maintenance',
    platform: 'android',
    domain: 'kaisha.co.jp',
    versions: ['2.0.3', '2.0.1'],
  },
  {
    name: 'Real Estate',
    bundleId: 'com.northwind.realestate',
    platform: 'ios',
    teamId: '7HX2KD9LQ3',
    domain: 'northwind.es',
    versions: ['6.2.0', '6.1.4'],
  },
];

/** The catalogue in order, then again with a number appended to names and bundle ids. */
function buildApps(count: number): AppSpec[] {
  return Array.from({ length: count }, (_, index) => {
    const template = APP_CATALOGUE[index % APP_CATALOGUE.length] as AppTemplate;
    const round = Math.floor(index / APP_CATALOGUE.length);
    const suffix = round === 0 ? '' : String(round + 1);
    const bundleId = `${template.bundleId}${suffix}`;
    const teamId = template.teamId ?? null;
    return {
      name: suffix ? `${template.name} ${suffix}` : template.name,
      bundleId,
      platform: template.platform,
      teamId,
      folder: teamId ? `${teamId}.${bundleId}` : bundleId,
      domain: template.domain,
      versions: template.versions,
    };
  });
}

/**
 * Spreads `total` sessions over `count` apps with weights 1, 1/2, 1/3…: the first app gets the most,
 * every app gets at least one when there are enough sessions, else the first `total` apps get one.
 */
function allocateSessions(total: number, count: number): number[] {
  if (total < count) return Array.from({ length: count }, (_, index) => (index < total ? 1 : 0));
  const weights = Array.from({ length: count }, (_, index) => 1 / (index + 1));
  const weightSum = weights.reduce((sum, weight) => sum + weight, 0);
  const spare = total - count;
  const shares = weights.map((weight) => (spare * weight) / weightSum);
  const counts = shares.map((share) => 1 + Math.floor(share));
  let left = total - counts.reduce((sum, value) => sum + value, 0);
  const byRemainder = shares
    .map((share, index) => ({ index, remainder: share - Math.floor(share) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
    left--;
  }
  return counts;
}

// ---------------------------------------------------------------------------------------------
// Sessions

type JsonObject = Record<string, unknown>;

interface DeviceModel {
  description: string;
  os: string;
  simulator: boolean;
  weight: number;
  versions: readonly string[];
}

const IOS_VERSIONS = ['17.5.1', '17.6.1', '18.1', '18.0.1', '16.7.10', '15.8.3'];
const ANDROID_VERSIONS = [
  '34 (Android UPSIDE_DOWN_CAKE)',
  '34 (Android UPSIDE_DOWN_CAKE)',
  '33 (Android TIRAMISU)',
  '35 (Android VANILLA_ICE_CREAM)',
  '31 (Android S)',
  '29 (Android Q)',
];

const IOS_DEVICES: readonly DeviceModel[] = [
  { description: 'iPhone 13', os: 'iOS', simulator: false, weight: 14, versions: IOS_VERSIONS },
  { description: 'iPhone 15 Pro', os: 'iOS', simulator: false, weight: 12, versions: IOS_VERSIONS },
  { description: 'iPhone14,2', os: 'iOS', simulator: false, weight: 8, versions: IOS_VERSIONS },
  { description: 'iPhone16,1', os: 'iOS', simulator: false, weight: 6, versions: IOS_VERSIONS },
  { description: 'iPhone 12', os: 'iOS', simulator: false, weight: 6, versions: IOS_VERSIONS },
  {
    description: 'iPhone SE (3rd generation)',
    os: 'iOS',
    simulator: false,
    weight: 5,
    versions: IOS_VERSIONS,
  },
  { description: 'iPad Pro (11-inch)', os: 'iPadOS', simulator: false, weight: 5, versions: IOS_VERSIONS },
  {
    description: 'iPad (10th generation)',
    os: 'iPadOS',
    simulator: false,
    weight: 3,
    versions: IOS_VERSIONS,
  },
  {
    description: 'Simulator (iPhone 15 Pro)',
    os: 'iOS',
    simulator: true,
    weight: 8,
    versions: ['17.5', '18.0'],
  },
  {
    description: 'Simulator (iPad Air 13-inch (M2))',
    os: 'iPadOS',
    simulator: true,
    weight: 2,
    versions: ['17.5'],
  },
  { description: 'MacBookPro18,3', os: 'macOS', simulator: false, weight: 1, versions: ['14.6.1', '15.0'] },
];

const ANDROID_DEVICES: readonly DeviceModel[] = [
  { description: 'SM-S911B', os: 'Android', simulator: false, weight: 12, versions: ANDROID_VERSIONS },
  { description: 'Pixel 8', os: 'Android', simulator: false, weight: 10, versions: ANDROID_VERSIONS },
  { description: 'SM-A546B', os: 'Android', simulator: false, weight: 8, versions: ANDROID_VERSIONS },
  { description: 'Pixel 7a', os: 'Android', simulator: false, weight: 6, versions: ANDROID_VERSIONS },
  { description: 'moto g84 5G', os: 'Android', simulator: false, weight: 4, versions: ANDROID_VERSIONS },
  {
    description: 'sdk_gphone64_x86_64',
    os: 'Android',
    simulator: true,
    weight: 8,
    versions: ['34 (Android UPSIDE_DOWN_CAKE)'],
  },
  {
    description: 'sdk_gphone64_arm64',
    os: 'Android',
    simulator: true,
    weight: 3,
    versions: ['35 (Android VANILLA_ICE_CREAM)'],
  },
];

const LANGUAGES = [
  { id: 'en_US', weight: 40 },
  { id: 'fr_FR', weight: 25 },
  { id: 'de_DE', weight: 15 },
  { id: 'es_ES', weight: 10 },
  { id: 'ja_JP', weight: 10 },
];

const FIRST_NAMES = [
  'alice',
  'bruno',
  'chloé',
  'david',
  'emma',
  'françois',
  'zoë',
  'jürgen',
  'lucía',
  'marta',
  'noah',
  'olivia',
  'pierre',
  'sofia',
  'thomas',
  'yuki',
  'kenji',
  'hannah',
  'léa',
  'björn',
  'josé',
  'anaïs',
];
const LAST_NAMES = [
  'martin',
  'bernard',
  'dubois',
  'müller',
  'schmidt',
  'garcía',
  'lópez',
  'tanaka',
  'suzuki',
  'smith',
  'johnson',
  'rossi',
  'nguyen',
  'dupont',
  'weber',
  'søndergaard',
];
const PUBLIC_DOMAINS = ['gmail.com', 'outlook.com', 'icloud.com', 'orange.fr', 'gmx.de', 'yahoo.co.jp'];

const PARAMETER_SAMPLES: readonly JsonObject[] = [
  { site: 'Lyon', role: 'technician' },
  { company: 'ACME', region: 'EMEA' },
  { badge: 'A-1042' },
  { warehouse: 'MAD-2', shift: 'morning', manager: false },
  { customerNumber: 40217, lang: 'fr' },
];

/**
 * Session ordinals that always get one showcase variant, so that even a small demo holds each kind
 * of file an editor must preserve byte for byte. Past them, the same variants appear at random.
 */
const SHOWCASE = {
  compact: 3,
  tabs: 5,
  bom: 7,
  nestedStatus: 9,
  crlf: 11,
  oppositeNestedStatus: 13,
} as const;

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '');
}

function makeEmail(rng: Random, app: AppSpec): string {
  if (rng.chance(0.15)) return '';
  const first = rng.pick(FIRST_NAMES);
  const last = rng.pick(LAST_NAMES);
  const keepAccents = rng.chance(0.25);
  const domain = rng.chance(0.6) ? app.domain : rng.pick(PUBLIC_DOMAINS);
  const form = rng.between(0, 2);
  const local = form === 0 ? `${first}.${last}` : form === 1 ? `${first.charAt(0)}${last}` : first;
  return `${keepAccents ? local : stripAccents(local)}@${domain}`;
}

function makeDeviceId(rng: Random, platform: Platform): string {
  if (platform === 'android') return rng.hex(16);
  if (rng.chance(0.1)) return rng.bytes(96).toString('base64');
  const variant = rng.pick(['8', '9', 'a', 'b']);
  return `${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${variant}${rng.hex(3)}-${rng.hex(12)}`.toUpperCase();
}

function makePushToken(rng: Random, platform: Platform): string {
  if (platform === 'ios') return rng.hex(64);
  return `${rng.chars(22, BASE64URL)}:APA91b${rng.chars(134, BASE64URL)}`;
}

function makeIp(rng: Random, local: boolean): string {
  if (local) return '::1';
  const r = rng.next();
  const host = rng.between(2, 254);
  if (r < 0.65) return `::ffff:192.168.5.${host}`;
  if (r < 0.85) return `::ffff:10.0.${rng.between(0, 3)}.${host}`;
  if (r < 0.92) return `::ffff:172.16.1.${host}`;
  return `::ffff:82.65.${rng.between(0, 255)}.${host}`;
}

/**
 * A valid session object, keys in the order 4D writes them. `ordinal` is the session's rank in the
 * demo (for the showcase variants), -1 for files outside the count.
 */
function makeSession(rng: Random, app: AppSpec, id: string, ordinal: number): JsonObject {
  const ios = app.platform === 'ios';
  const model = rng.weighted(ios ? IOS_DEVICES : ANDROID_DEVICES);
  // Simulators run on the server's own machine, whose logins 4D accepts automatically.
  const local = model.simulator;
  const status = !local && rng.chance(0.2) ? 'pending' : 'accepted';
  const version = rng.chance(0.7) ? (app.versions[0] as string) : rng.pick(app.versions);
  const language = rng.weighted(LANGUAGES).id;
  const [code, region] = language.split('_');

  const device: JsonObject = {
    description: model.description,
    version: rng.pick(model.versions),
    id: makeDeviceId(rng, app.platform),
  };
  if (!rng.chance(0.05)) device.os = model.os;
  if (!ios) device.simulator = model.simulator;
  else if (model.simulator) device.simulator = true;
  if (rng.chance(0.72) && status === 'accepted') device.token = makePushToken(rng, app.platform);
  if (rng.chance(0.015) && ios && !model.simulator && model.os !== 'macOS') device.jb = true;

  const extras: JsonObject = {};
  if (rng.chance(0.12) || ordinal === SHOWCASE.oppositeNestedStatus) {
    const sample = rng.pick(PARAMETER_SAMPLES);
    extras.parameters =
      ordinal === SHOWCASE.oppositeNestedStatus
        ? { ...sample, status: status === 'pending' ? 'accepted' : 'pending' }
        : sample;
  }
  if (rng.chance(0.08) || ordinal === SHOWCASE.nestedStatus) {
    const first = capitalize(rng.pick(FIRST_NAMES));
    const last = capitalize(rng.pick(LAST_NAMES));
    extras.userInfo = {
      name: `${first} ${last}`,
      plan: rng.pick(['pro', 'team', 'enterprise']),
      status: rng.pick(['vip', 'vip', 'vip', 'standard']),
    };
  }
  const extrasFirst = rng.chance(0.5) || ordinal === SHOWCASE.nestedStatus;

  const session: JsonObject = { application: { id: app.bundleId, name: app.name, version } };
  if (app.teamId) session.team = { id: app.teamId };
  session.language = rng.chance(0.02) ? { id: language } : { id: language, code, region };
  session.email = makeEmail(rng, app);
  session.device = device;
  if (ios) session.send = 'link';
  if (extrasFirst) Object.assign(session, extras);
  session.session = { id, ip: makeIp(rng, local) };
  session.status = status;
  session.token = encodeSessionToken(app.bundleId, id, app.teamId);
  if (!extrasFirst) Object.assign(session, extras);
  return session;
}

type Layout = 'spaces' | 'tabs' | 'compact';

function serialize(value: unknown, layout: Layout, bom = false, crlf = false): string {
  let text =
    layout === 'compact' ? JSON.stringify(value) : JSON.stringify(value, null, layout === 'tabs' ? '\t' : 2);
  if (crlf) text = text.replace(/\n/g, '\r\n');
  return bom ? `\uFEFF${text}` : text;
}

/** Pretty JSON mostly, tabs or compact now and then, a BOM or CRLF line endings in about 1%. */
function serializeSession(rng: Random, session: JsonObject, ordinal: number): string {
  const r = rng.next();
  const bom = rng.chance(0.01) || ordinal === SHOWCASE.bom;
  const crlf = rng.chance(0.01) || ordinal === SHOWCASE.crlf;
  let layout: Layout = r < 0.03 ? 'compact' : r < 0.06 ? 'tabs' : 'spaces';
  if (ordinal === SHOWCASE.compact) layout = 'compact';
  else if (ordinal === SHOWCASE.tabs) layout = 'tabs';
  else if (ordinal === SHOWCASE.crlf) layout = 'spaces';
  return serialize(session, layout, bom, crlf);
}

// ---------------------------------------------------------------------------------------------
// App assets and harmless files

function makeManifest(app: AppSpec): string {
  const manifest: JsonObject = { application: { id: app.bundleId, name: app.name } };
  if (app.teamId) manifest.team = { id: app.teamId };
  manifest.info = { target: app.platform === 'ios' ? 'iOS' : 'android', version: app.versions[0] };
  return serialize(manifest, 'spaces');
}

function makeAuthKey(rng: Random): string {
  const body = rng.bytes(138).toString('base64');
  const lines = body.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

function makeGoogleServices(rng: Random, app: AppSpec): string {
  const projectNumber = String(rng.between(100_000, 999_999)) + String(rng.between(100_000, 999_999));
  const projectId = `${app.bundleId.split('.').slice(1).join('-')}-demo`;
  return serialize(
    {
      project_info: {
        project_number: projectNumber,
        project_id: projectId,
        storage_bucket: `${projectId}.appspot.com`,
      },
      client: [
        {
          client_info: {
            mobilesdk_app_id: `1:${projectNumber}:android:${rng.hex(16)}`,
            android_client_info: { package_name: app.bundleId },
          },
          oauth_client: [],
          api_key: [{ current_key: `demo-not-a-real-key-${rng.hex(24)}` }],
          services: { appinvite_service: { other_platform_oauth_client: [] } },
        },
      ],
      configuration_version: '1',
    },
    'spaces',
  );
}

function makeDsStore(rng: Random): Buffer {
  return Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.from('Bud1', 'latin1'), rng.bytes(6140)]);
}

// ---------------------------------------------------------------------------------------------
// Writing

interface FileTask {
  file: string;
  data: string | Uint8Array;
}

interface Plan {
  root: string;
  apps: AppSpec[];
  counts: number[];
  seed: number;
  withProblems: boolean;
}

/** Set by the generator as it goes; read once every file is written. */
interface PlanState {
  usedIds: Set<string>;
  /** A valid session file in the first app folder, the symlink's target. */
  firstSessionOfFirstApp: string | null;
  symlink: { file: string; target: string } | null;
}

function newSessionId(rng: Random, used: Set<string>): string {
  let id = rng.hex(40);
  while (used.has(id)) id = rng.hex(40);
  used.add(id);
  return id;
}

/** Every file of the demo, built one at a time so that only the files being written sit in memory. */
function* planFiles(plan: Plan, state: PlanState): Generator<FileTask> {
  const { root, apps, counts, seed } = plan;
  const assets = new Random(seed, 1);
  const sessions = new Random(seed, 2);
  const extras = new Random(seed, 3);
  const problems = new Random(seed, 4);
  const folderOf = (app: AppSpec) => path.join(root, app.folder);

  yield { file: path.join(root, 'key.mobileapp'), data: assets.bytes(128) };

  for (const app of apps) {
    yield { file: path.join(folderOf(app), 'manifest.json'), data: makeManifest(app) };
    if (app.platform === 'ios') {
      const keyId = assets.chars(10, UPPER_ALNUM);
      yield { file: path.join(folderOf(app), `AuthKey_${keyId}.p8`), data: makeAuthKey(assets) };
    } else {
      yield { file: path.join(folderOf(app), 'google-services.json'), data: makeGoogleServices(assets, app) };
    }
  }

  let ordinal = 0;
  for (const [index, app] of apps.entries()) {
    for (let n = 0; n < (counts[index] ?? 0); n++, ordinal++) {
      const id = newSessionId(sessions, state.usedIds);
      if (index === 0 && state.firstSessionOfFirstApp === null) state.firstSessionOfFirstApp = id;
      const text = serializeSession(sessions, makeSession(sessions, app, id, ordinal), ordinal);
      yield { file: path.join(folderOf(app), id), data: text };
    }
  }

  // Harmless files that are no sessions: the app must ignore them and never touch them.
  const firstApp = apps[0] as AppSpec;
  const appAt = (index: number) => apps[index % apps.length] as AppSpec;
  const macFolder = apps.find((app) => app.platform === 'ios') ?? firstApp;
  yield { file: path.join(folderOf(macFolder), '.DS_Store'), data: makeDsStore(extras) };
  const testApp = appAt(1);
  yield {
    file: path.join(folderOf(testApp), 'test_session'),
    data: serialize(makeSession(extras, testApp, 'test_session', -1), 'spaces'),
  };
  const backupId = newSessionId(extras, state.usedIds);
  yield {
    file: path.join(folderOf(firstApp), `${backupId}~`),
    data: serialize(makeSession(extras, firstApp, backupId, -1), 'spaces'),
  };
  const bakApp = appAt(2);
  const bakId = newSessionId(extras, state.usedIds);
  yield {
    file: path.join(folderOf(bakApp), `${bakId}.bak`),
    data: serialize(makeSession(extras, bakApp, bakId, -1), 'spaces'),
  };

  if (!plan.withProblems) return;
  // One broken file of each kind, all in the first app folder, each with a session-like name.
  const folder = folderOf(firstApp);
  const broken = (): { id: string; session: JsonObject } => {
    const id = newSessionId(problems, state.usedIds);
    return { id, session: makeSession(problems, firstApp, id, -1) };
  };

  // location (mobi 1): a consistent session filed under another session's name.
  const locationFile = newSessionId(problems, state.usedIds);
  const moved = broken();
  yield { file: path.join(folder, locationFile), data: serialize(moved.session, 'spaces') };

  // malformed (mobi 2): truncated JSON.
  const truncated = broken();
  const text = serialize(truncated.session, 'spaces');
  yield { file: path.join(folder, truncated.id), data: text.slice(0, Math.floor(text.length * 0.6)) };

  // schema (mobi 3): a status the server does not know.
  const schema = broken();
  schema.session.status = 'maybe';
  yield { file: path.join(folder, schema.id), data: serialize(schema.session, 'spaces') };

  // token (mobi 4): the token names another session.
  const token = broken();
  token.session.token = encodeSessionToken(firstApp.bundleId, problems.hex(40), firstApp.teamId);
  yield { file: path.join(folder, token.id), data: serialize(token.session, 'spaces') };

  // too-large: valid JSON past the size limit (an avatar pasted into userInfo).
  const large = broken();
  const avatar = `data:image/png;base64,${problems.bytes(Math.ceil(TOO_LARGE_BYTES / 4) * 3).toString('base64')}`;
  large.session.userInfo = { name: 'Zoë Martin', avatar, status: 'vip' };
  yield { file: path.join(folder, large.id), data: serialize(large.session, 'spaces') };

  // symlink: written last, once its target exists.
  state.symlink = {
    file: path.join(folder, newSessionId(problems, state.usedIds)),
    target: state.firstSessionOfFirstApp ?? locationFile,
  };
}

/** Writes the files with at most `concurrency` in flight; the first failure stops the others. */
async function writeAll(files: Iterator<FileTask>, concurrency: number): Promise<void> {
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed) {
      const next = files.next();
      if (next.done) return;
      try {
        // 'wx': the root was empty, so an existing file means a bug, never something to overwrite.
        await writeFile(next.value.file, next.value.data, { flag: 'wx' });
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: concurrency }, worker));
  const failure = results.find((result) => result.status === 'rejected');
  if (failure) throw failure.reason;
}

async function prepareRoot(root: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') {
      await mkdir(root, { recursive: true });
      return;
    }
    if (code === 'ENOTDIR') {
      throw new Error(`${root} is not a folder: the demo writes only into a new or empty folder`);
    }
    throw error;
  }
  if (entries.length > 0) {
    throw new Error(`${root} is not empty: the demo writes only into a new or empty folder`);
  }
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer of at least ${min}, got ${value}`);
  }
}

/**
 * Writes a demo MobileApps folder into `root`, which must be missing or empty. The same options
 * give a byte-identical tree.
 */
export async function writeDemoFolder(root: string, options: DemoOptions = {}): Promise<DemoSummary> {
  const appCount = options.apps ?? 5;
  const sessionCount = options.sessions ?? 200;
  const seed = options.seed ?? 1;
  checkCount('apps', appCount, 1);
  checkCount('sessions', sessionCount, 0);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);

  const absoluteRoot = path.resolve(root);
  await prepareRoot(absoluteRoot);

  const apps = buildApps(appCount);
  for (const app of apps) await mkdir(path.join(absoluteRoot, app.folder));

  const plan: Plan = {
    root: absoluteRoot,
    apps,
    counts: allocateSessions(sessionCount, appCount),
    seed,
    withProblems: options.withProblems ?? false,
  };
  const state: PlanState = { usedIds: new Set(), firstSessionOfFirstApp: null, symlink: null };
  await writeAll(planFiles(plan, state), WRITE_CONCURRENCY);

  let brokenFiles = plan.withProblems ? 5 : 0;
  if (state.symlink) {
    try {
      await symlink(state.symlink.target, state.symlink.file, 'file');
      brokenFiles++;
    } catch (error) {
      // Windows without developer mode refuses symbolic links: the demo goes without one.
      if (!(process.platform === 'win32' && errnoCode(error) === 'EPERM')) throw error;
    }
  }

  const summary: DemoSummary = { root: absoluteRoot, apps: appCount, sessions: sessionCount, brokenFiles };
  if (options.cleanupCases) {
    summary.cleanupCases = await addCleanupCases(absoluteRoot, options.cleanupCases, seed, state.usedIds);
    summary.sessions += Object.keys(summary.cleanupCases.superseded).length;
  }
  return summary;
}

/** The demo folder of a data directory: made once, reused after. */
export async function ensureDemoFolder(
  dataDir: string,
  make: (root: string) => Promise<unknown>,
): Promise<string> {
  const root = path.join(dataDir, 'demo', 'MobileApps');
  const entries = await readdir(root).catch(() => [] as string[]);
  if (entries.length === 0) await make(root);
  return root;
}

/** What the demo folder holds: five apps, 300 sessions, one broken file of each kind. */
export const DEMO_OPTIONS = { apps: 5, sessions: 300, seed: 1, withProblems: true } as const;

/** The demo folder of a data directory, as the desktop app and `serve --demo` open it. */
export function ensureDemo(dataDir: string): Promise<string> {
  return ensureDemoFolder(dataDir, (root) => writeDemoFolder(root, DEMO_OPTIONS));
}
