import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { commandLabel } from '../../../shared/commands.js';
import type { Problem } from '../../../shared/session.js';
import { osLabel, statusLabel } from '../format.js';
import { useFormats, useLanguage } from '../i18n/LanguageProvider.js';
import { problemExplanation, problemTitle, serverConsequence } from '../problemTexts.js';
import { useSessions } from '../store/StoreContext.js';
import { markers, richText } from './richText.js';
import { SESSIONS_GRID_ID } from './SessionsTable.js';

/** Every field of the selected session (never a password), its problems, its file. */
export function DetailsPanel() {
  const details = useSessions((s) => s.details);
  const openDetails = useSessions((s) => s.openDetails);
  const run = useSessions((s) => s.run);
  const platform = useSessions((s) => s.app?.platform ?? 'browser');
  const { t } = useTranslation();
  const formats = useFormats();
  const { language } = useLanguage();
  const open = details !== null;
  const wasOpen = useRef(open);
  // Closed (Escape, its ✕) while the focus was in it: the focus goes back to the table, not nowhere.
  useEffect(() => {
    const closed = wasOpen.current && !open;
    wasOpen.current = open;
    const focused = document.activeElement;
    if (closed && (focused === null || focused === document.body))
      document.getElementById(SESSIONS_GRID_ID)?.focus();
  }, [open]);
  if (!details) return null;
  // One sentence, the problem's name in bold inside it.
  const problemLine = (p: Problem) => {
    const title = { title: <strong>{problemTitle(p, t)}</strong> };
    const values = {
      ...markers(title),
      explanation: problemExplanation(p, language, t),
      consequence: serverConsequence(p.code, t),
    };
    return richText(t('window:details.problem', values), title);
  };
  const s = details.summary;
  // [catalog key of the label, value]
  const rows: [string, string][] = [
    ['status', statusLabel(s.status, t)],
    ['device', s.device.description ?? '—'],
    ['os', osLabel(s)],
    ['deviceId', s.device.id ?? '—'],
    ['simulator', t(s.device.simulator ? 'window:details.yes' : 'window:details.no')],
    [
      'push',
      t(s.device.pushRegistered ? 'window:details.pushRegistered' : 'window:details.pushNotRegistered'),
    ],
    ['email', s.email || t('window:session.guest')],
    ['app', `${s.application.name ?? '—'} ${s.application.version ?? ''} (${s.application.id ?? '—'})`],
    ['team', s.team.id ?? t('window:details.noTeam')],
    ['language', s.language.id ?? '—'],
    ['ip', s.session.ip ?? '—'],
    ['sessionId', s.id],
    ['firstSeen', formats.dateTime(s.firstSeen)],
    ['modified', formats.dateTime(s.modified)],
    ['file', details.path],
  ];
  return (
    <aside className="details" aria-label={t('window:details.label')}>
      <header>
        <h2>{s.device.description ?? s.id}</h2>
        <button type="button" aria-label={t('window:details.close')} onClick={() => void openDetails(null)}>
          ✕
        </button>
      </header>
      {s.problems.length > 0 && (
        <section className="problems-list" aria-label={t('window:details.problems')}>
          {s.problems.map((p) => (
            <p key={p.code + p.message} className="problem">
              {problemLine(p)}
            </p>
          ))}
        </section>
      )}
      {details.olderSessions > 0 && (
        // The superseded rule's count for this device (docs/cleanup.md); the Clean-up view removes them.
        <p className="hint">
          {t('window:details.olderSessions', { count: details.olderSessions })}{' '}
          <button type="button" className="link" onClick={() => void run('clean-up')}>
            {commandLabel('clean-up', platform, t)}
          </button>
        </p>
      )}
      <dl>
        {rows.map(([label, value]) => (
          <div key={label} className="field">
            <dt>{t(`window:details.fields.${label}`)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={() => void run('reveal', { ref: s.ref })}>
        {commandLabel('reveal', platform, t)}
      </button>
      <details>
        <summary>{t('window:details.rawJson')}</summary>
        <pre>{details.json}</pre>
      </details>
    </aside>
  );
}
