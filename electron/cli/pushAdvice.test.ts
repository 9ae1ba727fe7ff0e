/**
 * The engine's push failures carry the setting to change as data; the command line words it as
 * the exact command to run (the window's wording: renderer/src/pushAdvice.test.ts).
 */
import { describe, expect, it } from 'vitest';
import type { PushFix } from '../../shared/push.js';
import { commandLineAdvice } from './pushActions.js';

const FIXES: PushFix[] = [
  { setting: 'url', suggested: 'https://srv.example/mobile-sessions/refresh' },
  { setting: 'url', suggested: null },
  { setting: 'timeout', currentMs: 5000 },
  { setting: 'trust-certificate', fingerprint256: 'AB:CD' },
  { setting: 'secret' },
];

describe('each door words the fix of a failed push', () => {
  it('the command line gives the command, for the folder', () => {
    expect(FIXES.map((fix) => commandLineAdvice('/srv/My Apps', fix))).toEqual([
      "Set it: mobile-sessions server '/srv/My Apps' --url https://srv.example/mobile-sessions/refresh (or pass --server to push once).",
      "Set it: mobile-sessions server '/srv/My Apps' --url <endpoint> (or pass --server to push once).",
      "Allow more time: mobile-sessions server '/srv/My Apps' --timeout 10000.",
      "Trust it for this server only: mobile-sessions server '/srv/My Apps' --trust-self-signed --fingerprint AB:CD.",
      'Give the secret with MOBILE_SESSIONS_PUSH_SECRET or --secret-file <file>.',
    ]);
    expect(commandLineAdvice('/srv', null)).toBeNull();
  });
});
