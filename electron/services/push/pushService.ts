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
  type UnpushedSummary,
} from '../../../shared/push.js';
import type { FileProblem } from '../../../shared/session.js';
import { plural } from '../../../shared/text.js';
import { type AuditEntry, AuditLog } from '../history/auditLog.js';
import { listAppFolders, scanRoot } from '../live/scanRoot.js';
import { buildPrePushCheck } from './prePushCheck.js';
import { requestRefresh } from './pushClient.js';
import { PushHistory } from './pushHistory.js';
import { PushSettingsStore, settingsWarnings } from './pushSettings.js';
import { pushSecretKey, type SecretStore } from './secretStore.js';
import { mapServerErrors } from './serverAnswer.js';
import { fetchServerCertificate, type ServerCertificate } from './serverCertificate.js';
import { computeUnpushed, countChanges } from './unpushedChanges.js';

export interface PushServiceOptions {
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
  private readonly now: () => Date;

  constructor(private readonly options: PushServiceOptions) {
    this.settings = new PushSettingsStore(options.dataDir);
    this.history = new PushHistory(options.dataDir);
    this.secrets = options.secrets;
    this.now = options.now ?? (() => new Date());
  }

  // --- settings --------------------------------------------------------------------------------

  private async view(root: string, settings: ServerSettings): Promise<ServerSettingsView> {
    const warnings = settingsWarnings(settings);
    let hasSecret: boolean | null = null;
    if (settings.auth !== 'none') {
      try {
        hasSecret = (await this.secrets.get(pushSecretKey(root))) !== null;
        if (!hasSecret) warnings.push(`No secret is available from ${this.secrets.description}.`);
      } catch (error) {
        warnings.push(error instanceof Error ? error.message : String(error));
      }
    }
    return { root: path.resolve(root), ...settings, hasSecret, warnings };
  }

  async getSettings(root: string): Promise<ServerSettingsView | null> {
    const settings = await this.settings.get(root);
    return settings ? this.view(root, settings) : null;
  }

  /** Changes a root's settings (the first time, a URL is required); refuses anything that holds a secret. */
  async saveSettings(
    root: string,
    patch: ServerSettingsPatch | Record<string, unknown>,
  ): Promise<ServerSettingsView> {
    return this.view(root, await this.settings.set(root, patch));
  }

  forgetSettings(root: string): Promise<boolean> {
    return this.settings.remove(root);
  }

  setSecret(root: string, secret: string): Promise<void> {
    return this.secrets.set(pushSecretKey(root), secret);
  }

  deleteSecret(root: string): Promise<void> {
    return this.secrets.delete(pushSecretKey(root));
  }

  /** The certificate a server shows now, to pin it (trust this self-signed server only). */
  readCertificate(url: string, timeoutMs = DEFAULT_PUSH_TIMEOUT_MS): Promise<ServerCertificate> {
    return fetchServerCertificate(url, timeoutMs);
  }

  // --- what a push would do --------------------------------------------------------------------

  async unpushed(root: string): Promise<UnpushedSummary> {
    const key = path.resolve(root);
    return (await this.unpushedNow(key)).unpushed;
  }

  /**
   * Reads the history only from where the last push left it (O(changes since), not O(history)),
   * and notes where it ends now, which the next push starts from.
   */
  private async unpushedNow(key: string) {
    const log = new AuditLog(this.options.dataDir, key);
    const last = await this.history.last(key);
    const end = await log.endPosition();
    const entries: AuditEntry[] = [];
    for await (const entry of log.entries(last?.logPosition ?? null)) entries.push(entry);
    return { unpushed: computeUnpushed(key, entries, last), entries, end };
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
    const secretAvailable =
      options.secret !== undefined ||
      (await this.secrets.get(pushSecretKey(root)).catch(() => null)) !== null;
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
      try {
        secret = await this.secrets.get(pushSecretKey(key));
      } catch (error) {
        return failed(settings.url, {
          kind: 'no-secret',
          message: error instanceof Error ? error.message : String(error),
          fix: { setting: 'secret' },
          status: null,
          fingerprint256: null,
        });
      }
      if (secret === null) {
        return failed(settings.url, {
          kind: 'no-secret',
          message: `The "${settings.auth}" authentication needs a secret and ${this.secrets.description} has none for this server.`,
          fix: { setting: 'secret' },
          status: null,
          fingerprint256: null,
        });
      }
    }

    const problems = options.problems ?? (await scanRoot(key)).problems;
    const check = buildPrePushCheck(unpushed, problems);
    const lastEntryId = entries.at(-1)?.id ?? null; // changes made from now on stay unpushed

    const outcome = await requestRefresh({
      url: settings.url,
      auth: settings.auth,
      user: settings.user,
      secret,
      loginFunction: settings.loginFunction,
      timeoutMs: settings.timeoutMs,
      fingerprint256: settings.tls.trustSelfSigned ? settings.tls.fingerprint256 : null,
    });
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
