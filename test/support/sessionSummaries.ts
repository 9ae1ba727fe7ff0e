/**
 * Session summaries for tests that build the engine's rows themselves (orders, searches): every
 * field a plain default, the ones a test varies given. The problem, when asked for, is the token's.
 */
import type { SessionStatus, SessionSummary } from '../../shared/session.js';

export interface SummaryFields {
  status?: SessionStatus | null;
  email?: string | null;
  device?: string | null;
  os?: string | null;
  osVersion?: string | null;
  simulator?: boolean;
  ip?: string | null;
  firstSeen?: string;
  modified?: string;
  appVersion?: string | null;
  language?: { id: string | null; code: string | null; region: string | null };
  problem?: boolean;
}

export function summaryOf(ref: string, id: string, f: SummaryFields = {}): SessionSummary {
  return {
    ref,
    id,
    status: f.status === undefined ? 'accepted' : f.status,
    email: f.email === undefined ? null : f.email,
    device: {
      id: null,
      description: f.device === undefined ? 'iPhone 13' : f.device,
      os: f.os === undefined ? 'iOS' : f.os,
      version: f.osVersion === undefined ? '17.5' : f.osVersion,
      simulator: f.simulator ?? false,
      jailbroken: false,
      pushRegistered: false,
    },
    application: { id: 'com.acme', name: 'Acme', version: f.appVersion === undefined ? '1.0' : f.appVersion },
    team: { id: null, name: null },
    language: f.language ?? { id: 'en_US', code: 'en', region: 'US' },
    session: { id, ip: f.ip === undefined ? null : f.ip },
    firstSeen: f.firstSeen ?? '2026-01-01T00:00:00.000Z',
    modified: f.modified ?? '2026-01-01T00:00:00.000Z',
    problems: f.problem ? [{ code: 'token', mobi: 4, message: 'The token does not match.' }] : [],
  };
}
