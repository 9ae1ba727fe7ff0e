import type { PushFix } from '../../shared/push.js';

/** The engine's structured fix, in the window's terms: the field of Push Setup to change. */
export function settingsAdvice(fix: PushFix): string {
  switch (fix.setting) {
    case 'url':
      return fix.suggested
        ? `In Push Setup, set "Server URL" to ${fix.suggested}.`
        : 'In Push Setup, fill in "Server URL" with the address of the Push endpoint.';
    case 'timeout':
      return `The server did not answer within ${fix.currentMs} ms: try again when it is less busy.`;
    case 'trust-certificate':
      return `In Push Setup, tick "Trust this server's own (self-signed) certificate" once you have checked its fingerprint${
        fix.fingerprint256 ? ` (SHA-256 ${fix.fingerprint256})` : ''
      } on the server.`;
    case 'secret':
      return 'In Push Setup, enter the secret (or password) the server expects.';
  }
}
