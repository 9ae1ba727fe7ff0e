/** The window words a failed push's fix as the field of Push Setup to change, never as a command. */
import { describe, expect, it } from 'vitest';
import type { PushFix } from '../../shared/push.js';
import { settingsAdvice } from './pushAdvice.js';

const FIXES: PushFix[] = [
  { setting: 'url', suggested: 'https://srv.example/mobile-sessions/refresh' },
  { setting: 'url', suggested: null },
  { setting: 'timeout', currentMs: 5000 },
  { setting: 'trust-certificate', fingerprint256: 'AB:CD' },
  { setting: 'secret' },
];

describe("the window's advice after a failed push", () => {
  it('names the field of Push Setup, and no command', () => {
    for (const fix of FIXES) expect(settingsAdvice(fix)).not.toMatch(/--|mobile-sessions |MOBILE_SESSIONS_/);
    expect(settingsAdvice({ setting: 'trust-certificate', fingerprint256: 'AB:CD' })).toContain(
      "Trust this server's own (self-signed) certificate",
    );
    expect(settingsAdvice({ setting: 'url', suggested: null })).toContain('"Server URL"');
    expect(settingsAdvice({ setting: 'timeout', currentMs: 5000 })).toContain('5000 ms');
  });
});
