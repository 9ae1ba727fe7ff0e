import { describe, expect, it } from 'vitest';
import type { UnpushedChange, UnpushedSummary } from '../../../shared/push.js';
import type { FileProblem } from '../../../shared/session.js';
import { buildPrePushCheck, describeCheck } from './prePushCheck.js';
import { countChanges } from './unpushedChanges.js';

const change = (ref: string, kind: UnpushedChange['kind']): UnpushedChange => ({
  ref,
  kind,
  atLastPush: kind === 'restored' ? { present: false } : { present: true, status: 'pending' },
  now: kind === 'deleted' ? { present: false } : { present: true, status: 'accepted' },
  changedAt: '2025-01-01T00:00:00.000Z',
});

const summary = (changes: UnpushedChange[]): UnpushedSummary => ({
  root: '/r',
  lastPush: null,
  changes,
  counts: countChanges(changes),
});

describe('buildPrePushCheck', () => {
  it('tells N reloaded, M dropped (every failing file, grouped), K removed', () => {
    const problems: FileProblem[] = [
      { path: 'F/bad1', code: 'location', mobi: 1, message: 'wrong folder' },
      { path: 'F/bad1', code: 'token', mobi: 4, message: 'wrong token' },
      { path: 'F/changedbroken', code: 'malformed', mobi: 2, message: 'not JSON' },
    ];
    const check = buildPrePushCheck(
      summary([
        change('F/aa', 'status'),
        change('F/bb', 'restored'),
        change('F/changedbroken', 'status'),
        change('F/cc', 'deleted'),
      ]),
      problems,
    );
    expect(check.reload.map((c) => c.ref)).toEqual(['F/aa', 'F/bb']);
    expect(check.remove.map((c) => c.ref)).toEqual(['F/cc']);
    expect(check.drop).toEqual([
      {
        path: 'F/bad1',
        changedByApp: false,
        problems: [
          { code: 'location', mobi: 1, message: 'wrong folder' },
          { code: 'token', mobi: 4, message: 'wrong token' },
        ],
      },
      {
        path: 'F/changedbroken',
        changedByApp: true,
        problems: [{ code: 'malformed', mobi: 2, message: 'not JSON' }],
      },
    ]);
    expect(check.summary).toBe(
      '2 changed sessions will be reloaded, 2 sessions will be dropped by the server because their files fail its checks, 1 deleted session will be removed from memory.',
    );
  });

  it('speaks in the singular', () => {
    expect(
      describeCheck({
        reload: [change('F/a', 'status')],
        drop: [{ path: 'F/b', problems: [], changedByApp: false }],
        remove: [],
      }),
    ).toBe(
      '1 changed session will be reloaded, 1 session will be dropped by the server because its file fails its checks, 0 deleted sessions will be removed from memory.',
    );
  });
});
