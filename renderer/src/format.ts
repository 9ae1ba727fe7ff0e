/**
 * How values read in the table: short, never "null", in the window's language. Dates, numbers and
 * lists come from `useFormats()` (shared/i18n/formats.ts); the words from the `window` catalog.
 */
import type { SessionSummary } from '../../shared/contract.js';
import type { Translate } from '../../shared/i18n/translator.js';
import { osLabel } from '../../shared/text.js';

export { osLabel };

/** An IPv4 address as people write it: `::ffff:192.168.5.4` (IPv4 seen through IPv6) reads `192.168.5.4`. */
export const shortIp = (ip: string | null): string =>
  ip === null ? '—' : (/^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1] ?? ip);

/** The device cell's tooltip: one fact a line. */
export function deviceTooltip(s: SessionSummary, t: Translate): string {
  return [
    t('window:deviceTooltip.device', {
      device: s.device.description ?? t('window:deviceTooltip.unknownDevice'),
    }),
    t('window:deviceTooltip.os', { os: osLabel(s) }),
    s.device.id ? t('window:deviceTooltip.deviceId', { id: s.device.id }) : null,
    s.device.simulator ? t('window:deviceTooltip.simulator') : null,
    s.device.jailbroken ? t('window:deviceTooltip.jailbroken') : null,
    t(s.device.pushRegistered ? 'window:deviceTooltip.push' : 'window:deviceTooltip.noPush'),
    s.session.ip ? t('window:deviceTooltip.ip', { ip: s.session.ip }) : null,
    t('window:deviceTooltip.session', { id: s.id }),
  ]
    .filter(Boolean)
    .join('\n');
}

/** A session's status as the window shows it (`accepted` → « acceptée »); the raw value stays the engine's. */
export const statusLabel = (status: 'accepted' | 'pending' | null, t: Translate): string =>
  t(`window:session.status.${status ?? 'invalid'}`);
