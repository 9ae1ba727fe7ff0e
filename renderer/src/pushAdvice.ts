import type { Translate } from '../../shared/i18n/translator.js';
import type { PushFix } from '../../shared/push.js';

/** The engine's structured fix, in the window's terms: the field of Push Setup to change. */
export function settingsAdvice(fix: PushFix, t: Translate): string {
  switch (fix.setting) {
    case 'url':
      return fix.suggested
        ? t('push:advice.urlSuggested', { url: fix.suggested })
        : t('push:advice.urlMissing');
    case 'timeout':
      return t('push:advice.timeout', { ms: fix.currentMs });
    case 'trust-certificate':
      return fix.fingerprint256
        ? t('push:advice.trustFingerprint', { fingerprint: fix.fingerprint256 })
        : t('push:advice.trust');
    case 'secret':
      return t('push:advice.secret');
  }
}
