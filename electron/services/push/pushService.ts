/**
 * Push, composed: a root's server settings and secret, its unpushed changes, the pre-push check,
 * the call to the server, and the record of a successful push. One instance per data directory;
 * every call reads the disk, so instances come and go (restarts) without losing anything.
 */
import path from 'node:path';
import { AppError } from '../../../shared/errors.js';
import {
  DEFAULT_LOGIN_FUNCTION,
  DEFAULT_PUSH_TIMEOUT_MS,
  type PrePushCheck,
  type PushFailure,
  type PushResult,
  type ServerSettings,
  type ServerSettingsPatch,
  type ServerSettingsView,
  type SessionState,
  type UnpushedSummary,
} from '../../../shared/push.js';
import type { FileProblem } from '../../../shared/session.js';
import { plural } from '../../../shared/text.js';
import { type AuditEntry, AuditLog } from '../history/auditLog.js';
import { listAppFolders, scanRoot } from '../live/scanRoot.js';
import { openSecret, originOf, sealSecret } from './boundSecret.js';
import { buildPrePushCheck } from './prePushCheck.js';
import { environmentProxy, type ProxyResolver } from './proxy.js';
import { requestRefresh } from './pushClient.js';
import { PushHistory } from './pushHistory.js';
import { PushSettingsStore, settingsWarnings } from './pushSettings.js';
import { MemoryRestSessions, type RestSessionStore } from './restSessions.js';
import { pushSecretKey, type SecretStore } from './secretStore.js';
import { mapServerErrors } from './serverAnswer.js';
import { fetchServerCertificate, type ServerCertificate } from './serverCertificate.js';
import { readCaFile, systemCertificates, trustedCertificates } from './trust.js';
import { computeUnpushed, countChanges } from './unpushedChanges.js';

/** How pushes travel, given by the door that runs them (each field has a default). */
export interface PushTransportOptions {
  /**
   * The 4D sessions kept between pushes (one REST login per server, not one per push): in memory
   * by default (the desktop app, the browser mode); the command line keeps them in its data directory.
   */
  sessions?: RestSessionStore;
  /** Which proxy a push goes through: the environment's (HTTPS_PROXY, NO_PROXY…) by default. */
  proxy?: ProxyResolver;
  /** A PEM file of certificate authorities to trust besides the system's (the CLI's --ca). */
  caFile?: string | null;
  /** The operating system's trusted CAs (trust.ts); a seam, so a test can stand in for the OS store. */
  systemCertificates?: () => string[];
}

export interface PushServiceOptions extends PushTransportOptions {
  dataDir: string;
  secrets: SecretStore;
  /** Test seam: the time recorded for a push. */
  now?: () => Date;
}

export interface PushOptions {
  /** Another endpoint URL than the saved one, for this push only (the saved authentication still applies). */
  server?: string;
  /** A secret for this push only (the CLI's --token); else the secret store's. */
  secret?: string;
  /** The folder's problems now, when the caller holds an up-to-date index; else the folder is scanned. */
  problems?: FileProblem[];
}

/** A secret for a server, or why there is none: missing, or saved for another server. */
type SecretLookup =
  | { secret: string; belongsTo?: undefined; error?: undefined }
  | { secret: null; belongsTo: string | null; error?: undefined }
  | { secret: null; error: string; belongsTo?: undefined };

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function describeDelivered(counts: UnpushedSummary['counts']): string {
  const parts = [
    counts.changed ? `${counts.changed} changed` : '',
    counts.deleted ? `${counts.deleted} deleted` : '',
    counts.restored ? `${counts.restored} restored` : '',
  ].filter(Boolean);
  return parts.join(', ');
}

export class PushService {
  readonly settings: PushSettingsStore;
  readonly history: PushHistory;
  private readonly secrets: SecretStore;
  private readonly sessions: RestSessionStore;
  private readonly proxy: ProxyResolver;
  private readonly now: () => Date;

  constructor(private readonly options: PushServiceOptions) {
    this.settings = new PushSettingsStore(options.dataDir);
    this.history = new PushHistory(options.dataDir);
    this.secrets = options.secrets;
    this.sessions = options.sessions ?? new MemoryRestSessions();
    this.proxy = options.proxy ?? environmentProxy;
    this.now = options.now ?? (() => new Date());
  }

  // --- settings and secrets --------------------------------------------------------------------

  /** The root's secret for the server at `url`: a secret saved for another server is not given. */
  private async secretFor(root: string, url: string): Promise<SecretLookup> {
    let stored: string | null;
    try {
      stored = await this.secrets.get(pushSecretKey(root));
    } catch (error) {
      return { secret: null, error: error instanceof Error ? error.message : String(error) };
    }
    if (stored === null) return { secret: null, belongsTo: null };
    const opened = openSecret(stored);
    if (opened.origin !== null && opened.origin !== originOf(url)) {
      return { secret: null, belongsTo: opened.origin };
    }
    if (!opened.sealed) {
      // A secret of the environment or a file is bound to the server set for the folder, if any:
      // a --server of another origin gets only a secret given for that push.
      const saved = await this.settings.get(root);
      if (saved && originOf(saved.url) !== originOf(url))
        return { secret: null, belongsTo: originOf(saved.url) };
    }
    return { secret: opened.secret };
  }

  private async view(
    root: string,
    settings: ServerSettings,
    notes: string[] = [],
  ): Promise<ServerSettingsView> {
    const warnings = [...settingsWarnings(settings), ...notes];
    let hasSecret: boolean | null = null;
    if (settings.auth !== 'none') {
      const found = await this.secretFor(root, settings.url);
      if (found.error !== undefined) {
        warnings.push(found.error);
      } else {
        hasSecret = found.secret !== null;
        if (found.secret === null && found.belongsTo) {
          warnings.push(
            `The saved secret was given for ${found.belongsTo}, not for ${originOf(settings.url)}: give the secret of this server.`,
          );
        } else if (found.secret === null) {
          warnings.push(`No secret is available from ${this.secrets.description}.`);
        }
      }
    }
    return { root: path.resolve(root), ...settings, hasSecret, warnings };
  }

  async getSettings(root: string): Promise<ServerSettingsView | null> {
    const settings = await this.settings.get(root);
    return settings ? this.view(root, settings) : null;
  }

  /**
   * Changes a root's settings (the first time, a URL is required); refuses anything that holds a
   * secret. When the server changes origin (scheme, host or port), its secret and its kept 4D
   * session are dropped: the secret of one server is never sent to another, and is asked again.
   */
  async saveSettings(
    root: string,
    patch: ServerSettingsPatch | Record<string, unknown>,
  ): Promise<ServerSettingsView> {
    const before = await this.settings.get(root);
    const after = await this.settings.set(root, patch);
    const notes: string[] = [];
    const origin = originOf(after.url);
    if (before && originOf(before.url) !== origin) {
      await this.sessions.deleteOrigin(originOf(before.url));
      if (await this.dropSecretNotFor(root, origin)) {
        notes.push(
          `The secret of ${originOf(before.url)} was dropped: it is never sent to another server. Give the secret of ${origin}.`,
        );
      }
    }
    await this.bindUnboundSecret(root, origin);
    return this.view(root, after, notes);
  }

  /**
   * The server moved to `origin`: a saved secret that is not for it is deleted. True when one was
   * (the command line's secret, from the environment or a file for each run, is not saved: nothing to drop).
   */
  private async dropSecretNotFor(root: string, origin: string): Promise<boolean> {
    const key = pushSecretKey(root);
    const stored = await this.secrets.get(key).catch(() => null);
    if (stored === null) return false;
    const opened = openSecret(stored);
    if (opened.sealed && (opened.origin === origin || opened.origin === null)) return false;
    await this.secrets.delete(key);
    return (await this.secrets.get(key).catch(() => null)) === null;
  }

  /** A secret given before any server was set belongs to the first one set. */
  private async bindUnboundSecret(root: string, origin: string): Promise<void> {
    const key = pushSecretKey(root);
    const stored = await this.secrets.get(key).catch(() => null);
    if (stored === null) return;
    const opened = openSecret(stored);
    if (opened.sealed && opened.origin === null)
      await this.secrets.set(key, sealSecret(opened.secret, origin));
  }

  /** Forgets a root's settings and its kept 4D session (the door deletes the secret: deleteSecret). */
  async forgetSettings(root: string): Promise<boolean> {
    const settings = await this.settings.get(root);
    if (settings) await this.sessions.deleteOrigin(originOf(settings.url));
    return this.settings.remove(root);
  }

  /**
   * Saves the root's secret, bound to the server it is for: `forUrl` when given, else the
   * server set for the root; with neither, it is bound to the first server set.
   */
  async setSecret(root: string, secret: string, forUrl?: string): Promise<void> {
    const url = forUrl ?? (await this.settings.get(root))?.url ?? null;
    await this.secrets.set(pushSecretKey(root), sealSecret(secret, url ? originOf(url) : null));
  }

  deleteSecret(root: string): Promise<void> {
    return this.secrets.delete(pushSecretKey(root));
  }

  /** The certificate a server shows now, to pin it (trust this self-signed server only). */
  async readCertificate(url: string, timeoutMs = DEFAULT_PUSH_TIMEOUT_MS): Promise<ServerCertificate> {
    const target = new URL(url);
    return fetchServerCertificate(url, timeoutMs, {
      proxy: await this.proxy(target),
      ca: await this.trustedCertificates(),
    });
  }

  /** Node's roots, the system's and the CA file's, or undefined when Node's defaults suffice. */
  private async trustedCertificates(): Promise<string[] | undefined> {
    const extra = this.options.caFile ? await readCaFile(this.options.caFile) : [];
    return trustedCertificates(extra, (this.options.systemCertificates ?? systemCertificates)());
  }

  // --- what a push would do --------------------------------------------------------------------

  /**
   * The root's unpushed changes. `readNow` tells a session's state as the caller knows it (the
   * open folder's index, which the watcher keeps equal to the disk); by default, the disk.
   */
  async unpushed(root: string, readNow?: (ref: string) => SessionState): Promise<UnpushedSummary> {
    const key = path.resolve(root);
    return (await this.unpushedNow(key, readNow)).unpushed;
  }

  /** The history since the last push, per root, kept while the history has not grown since. */
  private readonly sinceLastPush = new Map<string, { from: string; end: string; entries: AuditEntry[] }>();

  /**
   * Reads the history only from where the last push left it (O(changes since), not O(history)),
   * and only when it grew since the last call: the window asks for the push state after every
   * change on disk, most of which (the server's writes) add nothing to the history. Notes where the
   * history ends now, which the next push starts from.
   */
  private async unpushedNow(key: string, readNow?: (ref: string) => SessionState) {
    const log = new AuditLog(this.options.dataDir, key);
    const last = await this.history.last(key);
    const end = await log.endPosition();
    const from = JSON.stringify(last?.logPosition ?? null);
    let cached = this.sinceLastPush.get(key);
    if (!cached || cached.from !== from || cached.end !== JSON.stringify(end)) {
      const entries: AuditEntry[] = [];
      for await (const entry of log.entries(last?.logPosition ?? null)) entries.push(entry);
      cached = { from, end: JSON.stringify(end), entries };
      this.sinceLastPush.set(key, cached);
    }
    return { unpushed: computeUnpushed(key, cached.entries, last, readNow), entries: cached.entries, end };
  }

  async check(root: string, options: { problems?: FileProblem[] } = {}): Promise<PrePushCheck> {
    const key = path.resolve(root);
    const unpushed = await this.unpushed(key);
    const problems = options.problems ?? (await scanRoot(key)).problems;
    return buildPrePushCheck(unpushed, problems);
  }

  // --- push ------------------------------------------------------------------------------------

  /** The settings a push uses: the saved ones, with `--server` replacing the URL (the pin only kept for the same server). */
  private async effectiveSettings(root: string, options: PushOptions): Promise<ServerSettings | null> {
    const saved = await this.settings.get(root);
    if (!options.server) return saved;
    const url = new URL(options.server).href;
    if (saved) {
      const sameServer = new URL(saved.url).origin === new URL(url).origin;
      return {
        ...saved,
        url,
        tls: sameServer ? saved.tls : { trustSelfSigned: false, fingerprint256: null },
      };
    }
    const secretAvailable = options.secret !== undefined || (await this.secretFor(root, url)).secret !== null;
    return {
      url,
      auth: secretAvailable ? 'bearer' : 'none',
      user: null,
      loginFunction: DEFAULT_LOGIN_FUNCTION,
      timeoutMs: DEFAULT_PUSH_TIMEOUT_MS,
      tls: { trustSelfSigned: false, fingerprint256: null },
    };
  }

  /**
   * Asks the root's 4D Server to reload its sessions, always (an explicit request, even with
   * nothing unpushed). On an answer, records the push: the changes it delivered are no longer
   * unpushed. On a failure, records nothing: they stay unpushed.
   */
  async push(root: string, options: PushOptions = {}): Promise<PushResult> {
    const started = Date.now();
    const key = path.resolve(root);
    listAppFolders(key); // the folder must be there: a clear error now if it is not
    const { unpushed, entries, end } = await this.unpushedNow(key);
    const nothingToPush = unpushed.changes.length === 0;
    const base = { root: key, nothingToPush, changes: unpushed.changes, serverErrors: [] };
    const failed = (server: string | null, failure: PushFailure): PushResult => ({
      ...base,
      server,
      outcome: 'failed',
      failure,
      pushedAt: null,
      durationMs: Date.now() - started,
      message: `${failure.message}${
        nothingToPush
          ? ''
          : ` The ${plural(unpushed.changes.length, 'unpushed change')} ${unpushed.changes.length === 1 ? 'is' : 'are'} kept: push again once this is fixed.`
      }`,
    });

    if (options.server !== undefined && !isHttpUrl(options.server)) {
      throw new AppError(
        'bad-request',
        `"${options.server}" is not an http:// or https:// URL: give the endpoint, such as https://server.example.com/mobile-sessions/refresh.`,
      );
    }
    const settings = await this.effectiveSettings(key, options);
    if (!settings) {
      return failed(null, {
        kind: 'not-configured',
        message: `No 4D Server is set for ${key}: give the address of its Push endpoint; docs/push.md gives the 4D code to install on the server.`,
        fix: { setting: 'url', suggested: null },
        status: null,
        fingerprint256: null,
      });
    }
    let secret: string | null = options.secret ?? null;
    if (secret === null && settings.auth !== 'none') {
      const found = await this.secretFor(key, settings.url);
      const missing = (message: string) =>
        failed(settings.url, {
          kind: 'no-secret',
          message,
          fix: { setting: 'secret' },
          status: null,
          fingerprint256: null,
        });
      if (found.error !== undefined) return missing(found.error);
      if (found.secret === null) {
        return missing(
          found.belongsTo
            ? `The secret of ${this.secrets.description} belongs to ${found.belongsTo}, and is never sent to another server: give the secret of ${originOf(settings.url)} for this push.`
            : `The "${settings.auth}" authentication needs a secret and ${this.secrets.description} has none for this server.`,
        );
      }
      secret = found.secret;
    }
    const ca = await this.trustedCertificates();

    const problems = options.problems ?? (await scanRoot(key)).problems;
    const check = buildPrePushCheck(unpushed, problems);
    const lastEntryId = entries.at(-1)?.id ?? null; // changes made from now on stay unpushed

    const outcome = await requestRefresh(
      {
        url: settings.url,
        auth: settings.auth,
        user: settings.user,
        secret,
        loginFunction: settings.loginFunction,
        timeoutMs: settings.timeoutMs,
        fingerprint256: settings.tls.trustSelfSigned ? settings.tls.fingerprint256 : null,
      },
      {
        sessions: this.sessions,
        proxy: this.proxy,
        ca,
        now: Date.now,
      },
    );
    if (!outcome.ok) return failed(settings.url, outcome.failure);
    const { answer } = outcome;
    if (!answer.success && answer.errors.length === 0) {
      return failed(settings.url, {
        kind: 'server-error',
        message:
          'The server answered that the refresh failed, without saying why: check the 4D Server, then push again.',
        fix: null,
        status: outcome.status,
        fingerprint256: null,
      });
    }
    const serverErrors = mapServerErrors(answer.errors, check.drop);
    const pushedAt = this.now().toISOString();
    const result: PushResult['outcome'] = serverErrors.length ? 'reloaded-with-errors' : 'reloaded';
    const counts = countChanges(unpushed.changes);
    await this.history.record(key, {
      time: pushedAt,
      server: settings.url,
      outcome: result,
      delivered: {
        changed: counts.changed,
        deleted: counts.deleted,
        restored: counts.restored,
        refs: unpushed.changes.map((change) => change.ref),
      },
      serverErrors: serverErrors.length,
      lastEntryId,
      logPosition: end,
    });
    const host = new URL(settings.url).host;
    const delivered = nothingToPush
      ? `There were no unpushed changes; the server at ${host} reloaded its sessions anyway`
      : `The server at ${host} reloaded its sessions with your ${plural(unpushed.changes.length, 'change')} (${describeDelivered(counts)})`;
    const errors = serverErrors.length
      ? `, and reported ${plural(serverErrors.length, 'error')}: the files concerned were dropped from its memory`
      : '';
    return {
      ...base,
      server: settings.url,
      outcome: result,
      serverErrors,
      failure: null,
      pushedAt,
      durationMs: Date.now() - started,
      message: `${delivered}${errors}.`,
    };
  }
}
