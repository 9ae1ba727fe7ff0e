/** New pending sessions, told to the admin: one notification per batch; a click focuses the first. */
import { describe, expect, it, vi } from 'vitest';
import type { WorkspaceDelta } from '../../shared/deltas.js';
import { createTranslator } from '../../shared/i18n/translator.js';
import type { SessionStatus, SessionSummary } from '../../shared/session.js';
import { announcePending, newPendingSessions } from './pendingNotifier.js';

const FOLDER = 'UTT7VDX8W5.com.acme.contacts';
const english = createTranslator('en');
const french = createTranslator('fr');

function summary(id: string, status: SessionStatus, description: string | null): SessionSummary {
  return {
    ref: `${FOLDER}/${id}`,
    id,
    status,
    email: null,
    device: {
      id: null,
      description,
      os: 'iOS',
      version: '18.0',
      simulator: false,
      jailbroken: false,
      pushRegistered: false,
    },
    application: { id: 'com.acme.contacts', name: 'Contacts', version: '1.0' },
    team: { id: 'UTT7VDX8W5', name: null },
    language: { id: 'en_US', code: 'en', region: 'US' },
    session: { id, ip: null },
    firstSeen: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    problems: [],
  };
}

const added = (
  id: string,
  status: SessionStatus = 'pending',
  description: string | null = `iPhone ${id}`,
): WorkspaceDelta => ({
  type: 'session-added',
  ref: `${FOLDER}/${id}`,
  folder: FOLDER,
  session: summary(id, status, description),
});

function ports() {
  return { notify: vi.fn(), setBadgeCount: vi.fn(), focusSession: vi.fn() };
}

describe('pending notifications', () => {
  it('counts only sessions that arrive pending', () => {
    const changed: WorkspaceDelta = {
      type: 'session-changed',
      ref: `${FOLDER}/c1`,
      folder: FOLDER,
      session: summary('c1', 'pending', 'iPhone c1'),
    };
    expect(
      newPendingSessions([
        added('a1'),
        added('a2', 'accepted'),
        changed,
        { type: 'session-removed', ref: `${FOLDER}/a3`, folder: FOLDER },
        added('a4', 'pending', null),
      ]),
    ).toEqual([
      { ref: `${FOLDER}/a1`, label: 'iPhone a1' },
      { ref: `${FOLDER}/a4`, label: 'a4' },
    ]);
  });

  it('says nothing when no pending session arrived', () => {
    const p = ports();
    announcePending([added('a1', 'accepted')], p, english);
    announcePending([], p, english);
    expect(p.notify).not.toHaveBeenCalled();
  });

  it('names one device and its app; a click focuses that session', () => {
    const p = ports();
    announcePending([added('b1')], p, english);
    expect(p.notify).toHaveBeenCalledExactlyOnceWith(
      'A device is waiting for approval',
      `iPhone b1 (${FOLDER})`,
      expect.any(Function),
    );
    const [, , onClick] = p.notify.mock.calls[0] as [string, string, () => void];
    onClick();
    expect(p.focusSession).toHaveBeenCalledExactlyOnceWith(`${FOLDER}/b1`);
  });

  it('counts several devices, names the first three, and a click focuses the first', () => {
    const p = ports();
    announcePending(
      ['c1', 'c2', 'c3', 'c4', 'c5'].map((id) => added(id)),
      p,
      english,
    );
    expect(p.notify).toHaveBeenCalledTimes(1);
    const [title, body, onClick] = p.notify.mock.calls[0] as [string, string, () => void];
    expect(title).toBe('5 devices are waiting for approval');
    expect(body).toBe('iPhone c1, iPhone c2, iPhone c3');
    onClick();
    expect(p.focusSession).toHaveBeenCalledExactlyOnceWith(`${FOLDER}/c1`);
  });

  it('speaks French: one device, then several (a plural)', () => {
    const p = ports();
    announcePending([added('d1')], p, french);
    announcePending(
      ['d2', 'd3'].map((id) => added(id)),
      p,
      french,
    );
    expect(p.notify.mock.calls.map(([title, body]) => [title, body])).toEqual([
      ['Un appareil est en attente d’approbation', `iPhone d1 (${FOLDER})`],
      ['2 appareils sont en attente d’approbation', 'iPhone d2, iPhone d3'],
    ]);
  });
});
