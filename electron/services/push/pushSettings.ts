/**
 * Which 4D Server each root pushes to, kept in the data directory (`servers.json`, keyed by the
 * root's absolute path). Never a secret: the schema refuses any key it does not know.
 */
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/errors.js';
import {
  cleartextWarning,
  DEFAULT_LOGIN_FUNCTION,
  DEFAULT_PUSH_TIMEOUT_MS,
  FINGERPRINT_PATTERN,
  isLoopbackHost,
  PUSH_AUTH_KINDS,
  type ServerSettings,
  type ServerSettingsPatch,
  serverSettingsPatchSchema,
} from '../../../shared/push.js';
import { isRecord, JsonDataFile } from './dataFile.js';

const FILE_VERSION = 1;

const storedSettingsSchema = z.strictObject({
  url: z.string(),
  auth: z.enum(PUSH_AUTH_KINDS),
  user: z.string().nullable(),
  loginFunction: z.string(),
  timeoutMs: z.number().int().positive(),
  tls: z.strictObject({
    trustSelfSigned: z.boolean(),
    fingerprint256: z.string().regex(FINGERPRINT_PATTERN).nullable(),
  }),
});

interface SettingsFile {
  version: number;
  servers: Record<string, ServerSettings>;
}

const emptyFile = (): SettingsFile => ({ version: FILE_VERSION, servers: {} });

function acceptFile(json: unknown): SettingsFile | null {
  if (!isRecord(json) || json.version !== FILE_VERSION || !isRecord(json.servers)) return null;
  const servers: Record<string, ServerSettings> = {};
  for (const [root, value] of Object.entries(json.servers)) {
    const parsed = storedSettingsSchema.safeParse(value);
    if (parsed.success) servers[root] = parsed.data; // a damaged entry is skipped, the others stay
  }
  return { version: FILE_VERSION, servers };
}

export { cleartextWarning, isLoopbackHost };

/** Things an admin should know about these settings (not errors: the push still runs). */
export function settingsWarnings(settings: ServerSettings): string[] {
  const warnings: string[] = [];
  const cleartext = cleartextWarning(settings);
  if (cleartext) warnings.push(cleartext);
  if (settings.auth === 'none') {
    warnings.push(
      'No authentication: anyone who can reach this URL can make the server reload its sessions. Protect the endpoint (docs/push.md).',
    );
  }
  return warnings;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.join('.');
      if (issue.code === 'unrecognized_keys')
        return `unknown setting ${issue.keys.join(', ')} (secrets are never stored here)`;
      return field ? `${field} ${issue.message}` : issue.message;
    })
    .join('; ');
}

const originOf = (url: string): string => new URL(url).origin;

/** Applies a patch to the current settings (or to defaults), enforcing the rules between fields. */
export function applySettingsPatch(
  root: string,
  current: ServerSettings | null,
  input: ServerSettingsPatch | Record<string, unknown>,
): ServerSettings {
  const parsed = serverSettingsPatchSchema.safeParse(input);
  if (!parsed.success) {
    throw new AppError('bad-request', `Server settings not saved: ${describeIssues(parsed.error)}.`);
  }
  const patch = parsed.data;
  if (!current && !patch.url) {
    throw new AppError(
      'bad-request',
      `No server is set for ${root} yet: give its URL (for example --url https://server.example.com/mobile-sessions/refresh).`,
    );
  }
  const url = patch.url ?? (current as ServerSettings).url;
  const sameServer = current !== null && originOf(current.url) === originOf(url);
  const next: ServerSettings = {
    url,
    auth: patch.auth ?? current?.auth ?? 'bearer',
    user: patch.user !== undefined ? patch.user : (current?.user ?? null),
    loginFunction: patch.loginFunction ?? current?.loginFunction ?? DEFAULT_LOGIN_FUNCTION,
    timeoutMs: patch.timeoutMs ?? current?.timeoutMs ?? DEFAULT_PUSH_TIMEOUT_MS,
    // A pinned certificate belongs to one server: another origin starts untrusted.
    tls: sameServer && current ? { ...current.tls } : { trustSelfSigned: false, fingerprint256: null },
  };
  if (patch.tls?.fingerprint256 !== undefined) next.tls.fingerprint256 = patch.tls.fingerprint256;
  if (patch.tls?.trustSelfSigned !== undefined) next.tls.trustSelfSigned = patch.tls.trustSelfSigned;
  if (!next.tls.trustSelfSigned) next.tls.fingerprint256 = null;

  if (next.tls.trustSelfSigned) {
    if (new URL(next.url).protocol !== 'https:') {
      throw new AppError(
        'bad-request',
        'Trusting a self-signed certificate only makes sense for an https:// URL.',
      );
    }
    if (!next.tls.fingerprint256) {
      throw new AppError(
        'bad-request',
        "To trust this server's self-signed certificate, pin it: give its SHA-256 fingerprint, or let the app read it from the server.",
      );
    }
  }
  if ((next.auth === 'basic' || next.auth === 'rest-login') && !next.user) {
    throw new AppError('bad-request', `The "${next.auth}" authentication needs a user name.`);
  }
  return next;
}

export class PushSettingsStore {
  private readonly data: JsonDataFile<SettingsFile>;

  constructor(readonly dataDir: string) {
    this.data = new JsonDataFile(path.join(dataDir, 'servers.json'), emptyFile, acceptFile);
  }

  get file(): string {
    return this.data.file;
  }

  async get(root: string): Promise<ServerSettings | null> {
    return (await this.data.read()).servers[path.resolve(root)] ?? null;
  }

  /** Changes a root's settings (the first call must give a URL); returns them as saved. */
  set(root: string, patch: ServerSettingsPatch | Record<string, unknown>): Promise<ServerSettings> {
    const key = path.resolve(root);
    return this.data.update((file) => {
      const next = applySettingsPatch(key, file.servers[key] ?? null, patch);
      file.servers[key] = next;
      return next;
    });
  }

  /** Forgets a root's settings; true when there were some. */
  remove(root: string): Promise<boolean> {
    const key = path.resolve(root);
    return this.data.update((file) => {
      const had = key in file.servers;
      delete file.servers[key];
      return had;
    });
  }

  async list(): Promise<Record<string, ServerSettings>> {
    return (await this.data.read()).servers;
  }
}
