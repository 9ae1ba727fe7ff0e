import { formatDate, osLabel, revealLabel, serverConsequence } from '../format.js';
import { useSessions } from '../store/StoreContext.js';

/** Every field of the selected session (never a password), its problems, its file. */
export function DetailsPanel() {
  const details = useSessions((s) => s.details);
  const openDetails = useSessions((s) => s.openDetails);
  const reveal = useSessions((s) => s.reveal);
  const platform = useSessions((s) => s.app?.platform ?? 'browser');
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
      <dl>
        {rows.map(([label, value]) => (
          <div key={label} className="field">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <button type="button" onClick={() => void reveal(s.ref)}>
        {revealLabel(platform)}
      </button>
      <details>
        <summary>Raw JSON</summary>
        <pre>{details.json}</pre>
      </details>
    </aside>
  );
}
