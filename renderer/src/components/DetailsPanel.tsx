import { useEffect, useRef } from 'react';
import { commandLabel } from '../../../shared/commands.js';
import { plural } from '../../../shared/text.js';
import { formatDate, osLabel, serverConsequence } from '../format.js';
import { useSessions } from '../store/StoreContext.js';
import { SESSIONS_GRID_ID } from './SessionsTable.js';

/** Every field of the selected session (never a password), its problems, its file. */
export function DetailsPanel() {
  const details = useSessions((s) => s.details);
  const openDetails = useSessions((s) => s.openDetails);
  const run = useSessions((s) => s.run);
  const platform = useSessions((s) => s.app?.platform ?? 'browser');
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
  const s = details.summary;
  const rows: [string, string][] = [
    ['Status', s.status ?? 'invalid'],
    ['Device', s.device.description ?? '—'],
    ['OS', osLabel(s)],
    ['Device ID', s.device.id ?? '—'],
    ['Simulator', s.device.simulator ? 'yes' : 'no'],
    ['Push notifications', s.device.pushRegistered ? 'registered' : 'not registered'],
    ['E-mail', s.email || 'guest'],
    ['App', `${s.application.name ?? '—'} ${s.application.version ?? ''} (${s.application.id ?? '—'})`],
    ['Team', s.team.id ?? 'none'],
    ['Language', s.language.id ?? '—'],
    ['IP', s.session.ip ?? '—'],
    ['Session ID', s.id],
    ['First seen', formatDate(s.firstSeen)],
    ['Last change', formatDate(s.modified)],
    ['File', details.path],
  ];
  return (
    <aside className="details" aria-label="Session details">
      <header>
        <h2>{s.device.description ?? s.id}</h2>
        <button type="button" aria-label="Close details" onClick={() => void openDetails(null)}>
          ✕
        </button>
      </header>
      {s.problems.length > 0 && (
        <section className="problems-list" aria-label="Problems">
          {s.problems.map((p) => (
            <p key={p.code + p.message} className="problem">
              <strong>
                {p.code}
                {p.mobi ? ` (mobi ${p.mobi})` : ''}
              </strong>
              : {p.message} {serverConsequence(p.code)}
            </p>
          ))}
        </section>
      )}
      {details.olderSessions > 0 && (
        // The superseded rule's count for this device (docs/cleanup.md); the Clean-up view removes them.
        <p className="hint">
          {plural(details.olderSessions, 'older session')} of this device.{' '}
          <button type="button" className="link" onClick={() => void run('clean-up')}>
            {commandLabel('clean-up', platform)}
          </button>
        </p>
      )}
      <dl>
        {rows.map(([label, value]) => (
          <div key={label} className="field">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={() => void run('reveal', { ref: s.ref })}>
        {commandLabel('reveal', platform)}
      </button>
      <details>
        <summary>Raw JSON</summary>
        <pre>{details.json}</pre>
      </details>
    </aside>
  );
}
